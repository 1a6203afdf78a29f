/* The exports list on the responses page: while an export is being prepared, ask for the
   list again every two seconds (an HTML fragment of this page) until it is ready. */
(function () {
  "use strict";
  var box = document.getElementById("exports");
  if (!box) { return; }
  var tries = 0;
  function running() {
    var panel = box.querySelector("[data-running]");
    return panel && panel.getAttribute("data-running") === "1";
  }
  function poll() {
    if (!running() || tries++ > 150) { return; }
    fetch(box.getAttribute("data-url"), {credentials: "same-origin"})
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) { box.innerHTML = html; window.setTimeout(poll, 2000); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
}());
