/* The preview as a click-through test: one page at a time, as a respondent meets it.
   Display logic hides questions and pages live, skip logic picks the next page on Next,
   piped answers ([Q1]) fill in with what was answered. Nothing is sent anywhere.
   Without JavaScript every page shows at once (the plain preview). */
(function () {
  "use strict";
  var form = document.getElementById("preview-form");
  if (!form || !window.TJLogic) { return; }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var pages = Array.prototype.slice.call(form.querySelectorAll("section.r-page"));
  var nav = form.querySelector(".r-nav"), end = form.querySelector(".r-end");
  var next = form.querySelector(".r-next"), back = form.querySelector(".r-back");
  var trail = [0];   // indexes of the pages reached, the current one last

  function json(el, name, fallback) {
    try { return JSON.parse(el.getAttribute(name) || "null") || fallback; } catch (e) { return fallback; }
  }

  function fieldsetAnswer(fs) {
    var values = [], labels = [], kind = fs.getAttribute("data-type");
    each(fs.querySelectorAll("input, select, textarea"), function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      if (el.value === "") { return; }
      values.push(el.value);
      var label = el.tagName === "SELECT" ? el.options[el.selectedIndex].text : (el.closest("label") || {}).textContent;
      labels.push(el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT" ? (label || el.value).trim() : el.value);
    });
    if (!values.length) { return null; }
    if (kind === "matrix" || kind === "contact") { return {value: values, label: labels.join(", ")}; }
    var numeric = ["nps", "rating", "ces", "number"].indexOf(kind) >= 0;
    var value = kind === "multiple_choice" ? values : (numeric ? Number(values[0]) : values[0]);
    return {value: value, label: kind === "multiple_choice" ? labels.join("、") : labels[0]};
  }

  function answers(visibleOnly) {
    var out = {values: {}, labels: {}};
    trail.forEach(function (index) {
      each(pages[index].querySelectorAll("fieldset.r-q"), function (fs) {
        if (visibleOnly && fs.hidden) { return; }
        var found = fieldsetAnswer(fs);
        if (found) { out.values[fs.getAttribute("data-key")] = found.value; out.labels[fs.getAttribute("data-key")] = found.label; }
      });
    });
    return out;
  }

  function shows(el, given) {
    var condition = json(el, "data-display-if", null);
    return !condition || window.TJLogic.evaluate(condition, given, {});
  }

  function refresh() {
    var given = answers(false);
    each(pages[current()].querySelectorAll("fieldset.r-q"), function (fs) { fs.hidden = !shows(fs, given.values); });
    each(form.querySelectorAll(".r-pipe[data-pipe]"), function (span) {
      var key = span.getAttribute("data-pipe");
      if (!span.hasAttribute("data-placeholder")) { span.setAttribute("data-placeholder", span.textContent); }
      span.textContent = given.labels[key] !== undefined ? given.labels[key] : "";
      span.classList.toggle("r-pipe-empty", given.labels[key] === undefined);
    });
    var last = following() === null;
    next.textContent = next.getAttribute(last ? "data-last" : "data-next");
    back.hidden = trail.length < 2;
  }

  function current() { return trail[trail.length - 1]; }

  function following() {
    var given = answers(true).values, index = current();
    var rules = json(pages[index], "data-skip-to", []);
    for (var i = 0; i < rules.length; i++) {
      if (rules[i] && window.TJLogic.evaluate(rules[i]["if"], given, {})) {
        if (rules[i].page === "end") { return null; }
        var target = pages.findIndex(function (p) { return p.getAttribute("data-page") === rules[i].page; });
        if (target > index) { return target; }
      }
    }
    for (var j = index + 1; j < pages.length; j++) {
      if (shows(pages[j], given)) { return j; }
    }
    return null;
  }

  function show() {
    pages.forEach(function (page, i) { page.hidden = i !== current(); });
    end.hidden = true;
    nav.hidden = false;
    refresh();
    window.scrollTo(0, 0);
  }

  function finish() {
    pages.forEach(function (page) { page.hidden = true; });
    nav.hidden = true;
    end.hidden = false;
  }

  next.addEventListener("click", function () {
    var to = following();
    if (to === null) { finish(); return; }
    trail.push(to);
    show();
  });
  back.addEventListener("click", function () { if (trail.length > 1) { trail.pop(); show(); } });
  form.querySelector(".r-restart").addEventListener("click", function () {
    form.reset();
    trail = [pages.findIndex(function (p) { return shows(p, {}); })];
    if (trail[0] < 0) { trail = [0]; }
    show();
  });
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  form.classList.add("r-testing");
  form.querySelector(".r-testmode").hidden = false;
  form.querySelector(".r-submit").hidden = true;
  trail = [Math.max(0, pages.findIndex(function (p) { return shows(p, {}); }))];
  if (pages.length) { show(); }
})();
