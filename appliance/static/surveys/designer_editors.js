/* Editors for one question: texts, options by type, choices, and the display-logic editor. */
(function () {
  "use strict";
  var D = window.TJD, h = D.h, t = D.t, L = window.TJLogic;
  var CHOICE_TYPES = ["single_choice", "multiple_choice", "dropdown", "ranking"];
  var METRICS = [["", t("none")], ["nps", "NPS"], ["csat", "CSAT"], ["ces", "CES"], ["driver", "Driver / 驱动因素"]];

  function nextKey(list, prefix) {
    var n = 1, used = list.map(function (c) { return c.key; });
    while (used.indexOf(prefix + n) >= 0) { n++; }
    return prefix + n;
  }

  /* A reorderable list of {key, text} (choices, rows) or {value, text} (matrix scale). */
  function listEditor(q, prop, title, addLabel, withValue) {
    if (!Array.isArray(q[prop])) { q[prop] = []; }
    var list = q[prop];
    var rows = list.map(function (item, i) {
      var head = withValue
        ? h("input", {type: "number", cls: "key-input", "aria-label": t("value"), value: String(item.value),
                      oninput: function (e) { item.value = parseInt(e.target.value, 10) || 0; D.changed(false); }})
        : h("code", {cls: "choice-key", text: item.key});
      var pair = D.textPair(item, "text", "", false);
      pair.classList.add("inline-pair");
      return h("div", {cls: "list-row"}, head, pair, h("div", {cls: "row-actions"},
        D.iconButton("↑", t("move_up"), function () { D.move(list, i, -1); }),
        D.iconButton("↓", t("move_down"), function () { D.move(list, i, 1); }),
        D.iconButton("✕", t("remove"), function () { list.splice(i, 1); D.changed(true); }, "danger")));
    });
    var add = D.button("+ " + addLabel, function () {
      if (withValue) {
        var top = list.reduce(function (m, s) { return Math.max(m, s.value || 0); }, 0);
        list.push({value: top + 1, text: {zh_CN: String(top + 1), en: String(top + 1)}});
      } else {
        var key = nextKey(list, prop === "rows" ? "r" : "c");
        list.push({key: key, text: {zh_CN: "", en: ""}});
      }
      D.changed(true);
    }, "add-choice");
    return h("div", {cls: "field list-editor"}, h("label", {text: title}), rows, add);
  }

  function typeOptions(q) {
    var parts = [], kind = q.type;
    if (CHOICE_TYPES.indexOf(kind) >= 0) { parts.push(listEditor(q, "choices", t("choices"), t("add_choice"))); }
    if (kind === "single_choice" || kind === "multiple_choice") {
      parts.push(h("div", {cls: "inline-checks"}, D.checkbox(q, "other", t("other")), D.checkbox(q, "randomize", t("randomize"))));
    }
    if (kind === "multiple_choice" || kind === "number") {
      parts.push(h("div", {cls: "grid-2"}, D.numberInput(q, "min", t("min")), D.numberInput(q, "max", t("max"))));
    }
    if (kind === "number") { parts.push(D.checkbox(q, "integer", t("integer"))); }
    if (kind === "rating" || kind === "ces") {
      var row = [D.numberInput(q, "scale", t("scale"), {min: 2, max: 11})];
      if (kind === "rating") {
        row.push(h("div", {cls: "field"}, h("label", {text: t("style")}),
          D.select([["stars", t("stars")], ["faces", t("faces")], ["numbers", t("numbers")]], q.style || "stars",
                   function (v) { q.style = v; D.changed(true); }, t("style"))));
      }
      parts.push(h("div", {cls: "grid-2"}, row));
    }
    if (kind === "nps" || kind === "ces") {
      parts.push(D.textPair(q, "low_label", t("low_label")), D.textPair(q, "high_label", t("high_label")));
    }
    if (kind === "matrix") {
      parts.push(listEditor(q, "rows", t("rows"), t("add_row")));
      parts.push(listEditor(q, "scale", t("scale_items"), t("add_scale"), true));
    }
    if (kind === "text") {
      parts.push(D.checkbox(q, "multiline", t("multiline")),
                 h("div", {cls: "grid-2"}, D.numberInput(q, "min_length", t("min_length"), {min: 0}),
                   D.numberInput(q, "max_length", t("max_length"), {min: 1})));
    }
    if (kind === "date") {
      parts.push(h("div", {cls: "grid-2"}, D.textInput(q, "min", t("min"), {}, "date"), D.textInput(q, "max", t("max"), {}, "date")));
    }
    if (kind === "contact") { parts.push(contactFields(q)); }
    return parts;
  }

  function contactFields(q) {
    if (!Array.isArray(q.fields)) { q.fields = ["name", "phone"]; }
    return h("div", {cls: "field"}, h("label", {text: t("fields")}), h("div", {cls: "inline-checks"},
      ["name", "phone", "email"].map(function (f) {
        var box = h("input", {type: "checkbox", onchange: function () {
          q.fields = ["name", "phone", "email"].filter(function (x) {
            return x === f ? box.checked : q.fields.indexOf(x) >= 0;
          });
          D.changed(true);
        }});
        box.checked = q.fields.indexOf(f) >= 0;
        return h("label", {cls: "check"}, box, " " + t(f));
      })));
  }

  /* A select beside a text pair (question text, help) that inserts {{q1}} / {{hidden.x}} at
     the cursor of the zh or en box last focused (questions of earlier pages, as the server checks). */
  function pipePicker(pair, earlier, hidden, prop) {
    var boxes = pair.querySelectorAll("textarea, input"), target = boxes[0];
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("focus", function () { target = box; });
    });
    var numbers = L.numbering(D.doc);
    var options = [["", t("insert_answer")]].concat(earlier.map(function (q) {
      return ["{{" + q.key + "}}", (numbers[q.key] || q.key) + " · " + (L.text(q.text, D.lang) || D.typeLabel(q.type)).slice(0, 30)];
    }), hidden.map(function (name) { return ["{{hidden." + name + "}}", t("hidden_prefix") + name]; }));
    var picker = D.select(options, "", function (placeholder) {
      if (!placeholder) { return; }
      var start = target.selectionStart, end = target.selectionEnd;
      target.setRangeText(placeholder, start === null ? target.value.length : start,
                          end === null ? target.value.length : end, "end");
      picker.value = "";
      target.focus();
      target.dispatchEvent(new Event("input", {bubbles: true}));
    }, t("insert_answer"));
    picker.classList.add("pipe-picker");
    picker.setAttribute("data-for", prop);
    picker.disabled = options.length < 2;
    picker.title = options.length < 2 ? t("no_earlier") : t("insert_help");
    var label = pair.querySelector("label");
    pair.insertBefore(h("div", {cls: "field-head"}, label, picker), pair.firstChild);
    return pair;
  }

  function touchpointField(q) {
    // The touchpoints defined in the journeys (data-touchpoints); free text when none are.
    var defined = JSON.parse(document.getElementById("designer").getAttribute("data-touchpoints") || "[]");
    if (!defined.length) {
      return D.textInput(q, "touchpoint", t("touchpoint"), {placeholder: "ordering, parking…", pattern: "[a-z][a-z0-9_]*"});
    }
    var options = [["", "—"]].concat(defined);
    if (q.touchpoint && !defined.some(function (o) { return o[0] === q.touchpoint; })) { options.push([q.touchpoint, q.touchpoint]); }
    return h("div", {cls: "field"}, h("label", {text: t("touchpoint")}),
      D.select(options, q.touchpoint || "", function (v) { if (v) { q.touchpoint = v; } else { q.touchpoint = null; } D.changed(true); }, t("touchpoint")));
  }

  function commonFields(q, earlier, hidden) {
    var touch = touchpointField(q);
    var metric = h("div", {cls: "field"}, h("label", {text: t("metric")}),
      D.select(METRICS, q.metric || "", function (v) { if (v) { q.metric = v; } else { q.metric = null; } D.changed(true); }, t("metric")));
    return [pipePicker(D.textPair(q, "text", t("question_text"), true, function () { D.refreshSummary(q); }),
                       earlier, hidden, "text"),
            pipePicker(D.textPair(q, "help", t("help")), earlier, hidden, "help"),
            h("div", {cls: "grid-3"}, h("div", {cls: "field"}, h("label", {text: "\u00a0"}), D.checkbox(q, "required", t("required"))), touch, metric)];
  }

  /* earlier: questions before q (display logic may use the same page); pipeable: questions on
     earlier pages only, since an answer on q's own page is still empty when it is shown. */
  D.questionEditor = function (q, earlier, hidden, pipeable) {
    return h("div", {cls: "q-editor"}, commonFields(q, pipeable || earlier, hidden), typeOptions(q),
             D.logicEditor(q, "display_if", earlier, hidden, true));
  };

  D.CHOICE_TYPES = CHOICE_TYPES;
  D.nextKey = nextKey;
  D.L = L;
})();
