/* Keep what the respondent typed when they leave the page without pressing Next (the tab is
   hidden, closed or navigated away): the page's fields go to /s/<token>/save, which stores
   the valid answers, and the page shows them again on return. Without JavaScript the page
   works as before: answers are saved by Next and Back. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-save-url]");
  if (!form || !navigator.sendBeacon) { return; }
  var dirty = false, submitting = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { submitting = true; });

  function changedBeforeThisScript() {   // typed while the page was still loading
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        return field.checked !== field.defaultChecked;
      }
      return "defaultValue" in field && field.type !== "hidden" && field.value !== field.defaultValue;
    });
  }

  function save() {
    if (submitting || !(dirty || changedBeforeThisScript())) { return; }
    if (navigator.sendBeacon(form.getAttribute("data-save-url"), new FormData(form))) { dirty = false; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(); }
  });
  window.addEventListener("pagehide", save);
}());
