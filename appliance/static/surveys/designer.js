/* The zero-code survey designer: palette | canvas of pages and questions | phone preview.
   The document follows appliance/surveys/definition.py; it is autosaved to the draft API. */
(function () {
  "use strict";
  var D = window.TJD, h = D.h, t = D.t, L = window.TJLogic;
  var root = document.getElementById("designer");
  if (!root) { return; }
  var cfg = root.dataset, canvas = document.getElementById("canvas");
  var TYPES = ["single_choice", "multiple_choice", "dropdown", "nps", "rating", "ces", "matrix",
               "ranking", "text", "number", "date", "contact"];
  var state = {open: null, page: 0, timer: null, saving: false, again: false, previewLang: D.lang};

  /* ---- document helpers ---- */
  function pages() { return D.doc.pages; }
  function allKeys() { return L.allQuestions(D.doc).map(function (q) { return q.key; }); }
  function freshKey(prefix, used) { var n = 1; while (used.indexOf(prefix + n) >= 0) { n++; } return prefix + n; }
  function questionsBefore(pageIndex, qIndex) {
    var out = [];
    pages().forEach(function (p, i) {
      (p.questions || []).forEach(function (q, j) { if (i < pageIndex || (i === pageIndex && j < qIndex)) { out.push(q); } });
    });
    return out;
  }
  function questionsOnPagesBefore(pageIndex) { return questionsBefore(pageIndex, 0); }
  function hiddenFields() { return Array.isArray(D.doc.hidden_fields) ? D.doc.hidden_fields : []; }

  function newQuestion(type) {
    var q = {key: freshKey("q", allKeys()), type: type, text: {zh_CN: "", en: ""}, required: false};
    if (D.CHOICE_TYPES.indexOf(type) >= 0) {
      q.choices = [{key: "c1", text: {zh_CN: "选项 1", en: "Option 1"}}, {key: "c2", text: {zh_CN: "选项 2", en: "Option 2"}}];
    }
    if (type === "nps") { q.metric = "nps"; }
    if (type === "rating") { q.scale = 5; q.style = "stars"; }
    if (type === "ces") { q.scale = 7; q.metric = "ces"; }
    if (type === "matrix") {
      q.rows = [{key: "r1", text: {zh_CN: "方面 1", en: "Aspect 1"}}];
      q.scale = [1, 2, 3, 4, 5].map(function (v) { return {value: v, text: {zh_CN: String(v), en: String(v)}}; });
    }
    if (type === "text") { q.multiline = true; }
    if (type === "contact") { q.fields = ["name", "phone"]; }
    return q;
  }

  /* ---- actions ---- */
  function addQuestion(type) {
    var page = pages()[Math.min(state.page, pages().length - 1)];
    var q = newQuestion(type);
    page.questions.push(q);
    state.open = q.key;
    D.changed(true);
    var card = canvas.querySelector('[data-key="' + q.key + '"] textarea');
    if (card) { card.focus(); }
  }
  function duplicateQuestion(page, i) {
    var copy = D.clone(page.questions[i]);
    copy.key = freshKey("q", allKeys());
    page.questions.splice(i + 1, 0, copy);
    state.open = copy.key;
    D.changed(true);
  }
  function addPage() {
    pages().push({key: freshKey("p", pages().map(function (p) { return p.key; })), questions: []});
    state.page = pages().length - 1;
    D.changed(true);
  }
  function duplicatePage(i) {
    var copy = D.clone(pages()[i]), used = allKeys();
    copy.key = freshKey("p", pages().map(function (p) { return p.key; }));
    copy.questions.forEach(function (q) { q.key = freshKey("q", used); used.push(q.key); delete q.display_if; });
    copy.skip_to = [];
    pages().splice(i + 1, 0, copy);
    D.changed(true);
  }

  /* ---- canvas ---- */
  function summary(q) {
    var numbers = L.numbering(D.doc);
    var badges = [h("span", {cls: "badge type", text: D.typeLabel(q.type)})];
    if (q.required) { badges.push(h("span", {cls: "badge", text: t("required")})); }
    if (q.touchpoint) { badges.push(h("span", {cls: "badge touch", text: "◎ " + q.touchpoint})); }
    if (q.metric) { badges.push(h("span", {cls: "badge metric", text: String(q.metric).toUpperCase()})); }
    return [h("span", {cls: "q-num", text: numbers[q.key] || "Q"}),
            h("div", {cls: "q-main"}, h("p", {cls: "q-text", text: L.text(q.text, D.lang) || "—"}),
              h("div", {cls: "q-badges"}, badges),
              q.display_if ? h("p", {cls: "rule-words", text: L.showRule(q.display_if, D.doc, D.lang)}) : null)];
  }
  D.refreshSummary = function (q) {
    var el = canvas.querySelector('[data-key="' + q.key + '"] .q-text');
    if (el) { el.textContent = L.text(q.text, D.lang) || "—"; }
  };

  function questionCard(page, pi, q, i) {
    var open = state.open === q.key;
    var tools = h("div", {cls: "q-tools"},
      D.iconButton("↑", t("move_up"), function () { moveQuestion(pi, i, -1); }),
      D.iconButton("↓", t("move_down"), function () { moveQuestion(pi, i, 1); }),
      D.iconButton("❏", t("duplicate"), function () { duplicateQuestion(page, i); }),
      D.iconButton("✕", t("remove"), function () {
        if (window.confirm(t("confirm_delete"))) { page.questions.splice(i, 1); D.changed(true); }
      }, "danger"));
    var head = h("div", {cls: "q-head", role: "button", tabindex: "0", "aria-expanded": open ? "true" : "false",
      onclick: function (e) { if (e.target.closest(".q-tools")) { return; } state.open = open ? null : q.key; state.page = pi; render(); },
      onkeydown: function (e) { if (e.key === "Enter" && e.target === head) { head.click(); } }}, summary(q), tools);
    var card = h("article", {cls: "q-card" + (open ? " open" : ""), "data-key": q.key}, head,
                 open ? D.questionEditor(q, questionsBefore(pi, i), hiddenFields(), questionsOnPagesBefore(pi)) : null);
    D.dragSource(head, card, page, i);
    return card;
  }

  /* Up/down within a page; past its first or last question, to the page before or after. */
  function moveQuestion(pi, i, delta) {
    var list = pages()[pi].questions, target = pages()[pi + delta];
    if (i + delta >= 0 && i + delta < list.length) { D.move(list, i, delta); return; }
    if (!target) { return; }
    var q = list.splice(i, 1)[0];
    if (delta < 0) { target.questions.push(q); } else { target.questions.unshift(q); }
    state.page = pi + delta;
    D.changed(true);
  }

  function pageBlock(page, pi) {
    var open = state.open === "page:" + page.key;
    var head = h("div", {cls: "page-head-row"},
      h("button", {type: "button", cls: "page-title", "aria-expanded": open ? "true" : "false", onclick: function () {
        state.open = open ? null : "page:" + page.key; state.page = pi; render();
      }}, h("span", {cls: "page-no", text: t("page", {n: pi + 1})}), " " + (L.text(page.title, D.lang) || "")),
      h("div", {cls: "q-tools"},
        D.iconButton("↑", t("move_up"), function () { D.move(pages(), pi, -1); }),
        D.iconButton("↓", t("move_down"), function () { D.move(pages(), pi, 1); }),
        D.iconButton("❏", t("duplicate"), function () { duplicatePage(pi); }),
        pages().length > 1 ? D.iconButton("✕", t("remove"), function () {
          if (window.confirm(t("confirm_delete_page"))) { pages().splice(pi, 1); state.page = 0; D.changed(true); }
        }, "danger") : null));
    var rules = (page.skip_to || []).filter(function (r) { return r && r["if"]; }).map(function (r) {
      return h("p", {cls: "rule-words skip", text: "↪ " + L.skipRule(r, D.doc, D.lang)});
    });
    var editor = open ? h("div", {cls: "page-editor"}, D.textPair(page, "title", t("page_title")),
      D.logicEditor(page, "display_if", questionsBefore(pi, 0), hiddenFields()),
      D.skipEditor(page, pi, questionsBefore(pi + 1, 0), hiddenFields())) : null;
    var cards = page.questions.map(function (q, i) { return questionCard(page, pi, q, i); });
    if (!cards.length) { cards = [h("p", {cls: "empty-page", text: t("empty_page")})]; }
    var block = h("section", {cls: "page-block" + (state.page === pi ? " current" : ""), "data-page": page.key,
                              onclick: function () { state.page = pi; }},
             head, page.display_if ? h("p", {cls: "rule-words", text: L.showRule(page.display_if, D.doc, D.lang)}) : null,
             editor, cards, rules);
    D.dropZone(block, page);
    return block;
  }

  function render() {
    canvas.textContent = "";
    pages().forEach(function (page, pi) { canvas.appendChild(pageBlock(page, pi)); });
    canvas.appendChild(D.button("+ " + t("add_page"), addPage, "add-page"));
    D.renderSurveyPanel();
  }
  D.render = render;

  /* ---- palette ---- */
  function renderPalette() {
    var box = document.getElementById("palette");
    box.appendChild(h("h2", {text: t("add_question")}));
    box.appendChild(h("div", {cls: "palette-grid"}, TYPES.map(function (type) {
      return h("button", {type: "button", cls: "palette-item", "data-type": type,
                          onclick: function () { addQuestion(type); }}, D.typeLabel(type));
    })));
  }

  D.changed = function (structural) {
    root.classList.add("dirty");
    D.setStatus(t("unsaved"), "pending");
    if (structural) { render(); }
    D.scheduleSave();
  };

  function start(body) {
    D.doc = body.document;
    if (!Array.isArray(D.doc.pages)) { D.doc.pages = [{key: "p1", questions: []}]; }
    renderPalette();
    render();
    D.showProblems(body.problems || []);
    D.setStatus(t("saved"), "ok");
  }

  fetch(cfg.draftUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(start)
    .catch(function (e) { D.setStatus(t("save_failed") + e, "bad"); });
})();
