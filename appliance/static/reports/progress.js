// Follows a report run rendered by the job runner until it is ready or failed.
(function () {
  "use strict";
  var box = document.getElementById("report-run");
  if (!box) { return; }
  var bar = document.getElementById("report-progress");
  var status = document.getElementById("report-status");
  var download = document.getElementById("report-download");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (!body.ok) { return; }
        bar.value = body.progress;
        if (body.status === "ready") {
          status.textContent = box.dataset.readyLabel;
          download.hidden = false;
        } else if (body.status === "failed") {
          status.textContent = box.dataset.failedLabel;
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (download.hidden) { window.setTimeout(poll, 1000); }
})();
