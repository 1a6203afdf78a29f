/* The preview is interactive: questions with display logic appear as the answers allow. */
(function () {
  "use strict";
  var form = document.getElementById("preview-form");
  if (!form || !window.TJLogic) { return; }

  function answers() {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.r-q"), function (fs) {
      var key = fs.getAttribute("data-key"), values = [];
      Array.prototype.forEach.call(fs.querySelectorAll("input, select, textarea"), function (el) {
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        if (el.value !== "") { values.push(el.value); }
      });
      if (!values.length) { return; }
      out[key] = fs.getAttribute("data-type") === "multiple_choice" ? values : values[0];
    });
    return out;
  }

  function refresh() {
    var given = answers();
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.r-q"), function (fs) {
      var condition = null;
      try { condition = JSON.parse(fs.getAttribute("data-display-if") || "null"); } catch (e) { condition = null; }
      var shown = !condition || window.TJLogic.evaluate(condition, given, {});
      fs.classList.toggle("r-hidden", !shown);
    });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
})();
