/* The logic editor: display conditions and page skip rules, always shown in words as well. */
(function () {
  "use strict";
  var D = window.TJD, h = D.h, t = D.t, L = window.TJLogic;
  var NUMERIC = ["nps", "rating", "ces", "number"];
  var OPS_BY_KIND = {
    numeric: ["lte", "gte", "eq", "ne", "lt", "gt", "answered", "not_answered"],
    choice: ["eq", "ne", "in", "not_in", "answered", "not_answered"],
    multi: ["contains", "in", "not_in", "answered", "not_answered"],
    other: ["answered", "not_answered", "eq", "ne", "contains"]
  };
  var OP_LABELS = {
    zh_CN: {eq: "等于", ne: "不等于", lt: "小于", lte: "小于等于 (≤)", gt: "大于", gte: "大于等于 (≥)", "in": "是以下之一",
            not_in: "不是以下任一", contains: "包含", answered: "已作答", not_answered: "未作答"},
    en: {eq: "is", ne: "is not", lt: "is less than", lte: "is at most (≤)", gt: "is more than", gte: "is at least (≥)",
         "in": "is one of", not_in: "is none of", contains: "includes", answered: "is answered", not_answered: "is not answered"}
  };

  function isLeaf(c) { return c && typeof c === "object" && ("question" in c || "hidden" in c); }

  function kindOf(q) {
    if (!q) { return "other"; }
    if (NUMERIC.indexOf(q.type) >= 0) { return "numeric"; }
    if (q.type === "multiple_choice") { return "multi"; }
    return D.CHOICE_TYPES.indexOf(q.type) >= 0 ? "choice" : "other";
  }

  D.defaultCondition = function (q) {
    var kind = kindOf(q), first = q && Array.isArray(q.choices) && q.choices[0] ? q.choices[0].key : "";
    if (kind === "numeric") { return {question: q.key, op: "lte", value: q.type === "nps" ? 6 : (q.type === "ces" ? 3 : 2)}; }
    if (kind === "choice") { return {question: q.key, op: "eq", value: first}; }
    if (kind === "multi") { return {question: q.key, op: "contains", value: first}; }
    return {question: q.key, op: "answered"};
  };

  function valueControl(c, q, onChange) {
    if (c.op === "answered" || c.op === "not_answered") { delete c.value; return null; }
    var kind = kindOf(q);
    if ((kind === "choice" || kind === "multi") && c.op !== "in" && c.op !== "not_in") {
      var opts = (q.choices || []).map(function (ch) { return [ch.key, L.text(ch.text, D.lang) || ch.key]; });
      if (c.value === undefined && opts[0]) { c.value = opts[0][0]; }
      return D.select(opts, c.value, function (v) { c.value = v; onChange(); }, t("value"));
    }
    var list = c.op === "in" || c.op === "not_in";
    var input = h("input", {type: kind === "numeric" && !list ? "number" : "text", cls: "value-input",
                            "aria-label": t("value"), placeholder: list ? "a, b" : ""});
    input.value = Array.isArray(c.value) ? c.value.join(", ") : (c.value === undefined ? "" : String(c.value));
    input.addEventListener("input", function () {
      var raw = input.value.trim();
      if (list) { c.value = raw ? raw.split(/\s*[,，]\s*/) : []; }
      else if (kind === "numeric" && raw !== "" && !isNaN(Number(raw))) { c.value = Number(raw); }
      else { c.value = raw; }
      onChange();
    });
    return input;
  }

  function conditionRow(c, earlier, hidden, onChange, onRemove) {
    var byKey = {};
    earlier.forEach(function (q) { byKey[q.key] = q; });
    var numbers = L.numbering(D.doc);
    var subjects = earlier.map(function (q) {
      return ["q:" + q.key, (numbers[q.key] || q.key) + " · " + (L.text(q.text, D.lang) || D.typeLabel(q.type)).slice(0, 40)];
    }).concat(hidden.map(function (name) { return ["h:" + name, t("hidden_prefix") + name]; }));
    var current = "question" in c ? "q:" + c.question : "h:" + c.hidden;
    var q = byKey[c.question];
    var subject = D.select(subjects, current, function (v) {
      var fresh = v.indexOf("q:") === 0 ? D.defaultCondition(byKey[v.slice(2)]) : {hidden: v.slice(2), op: "eq", value: ""};
      Object.keys(c).forEach(function (k) { delete c[k]; });
      Object.assign(c, fresh);
      D.changed(true);
    }, t("logic"));
    var ops = "hidden" in c ? OPS_BY_KIND.choice : OPS_BY_KIND[kindOf(q)];
    var op = D.select(ops.map(function (o) { return [o, OP_LABELS[D.lang][o]]; }), c.op, function (v) {
      c.op = v; D.changed(true);
    }, "op");
    return h("div", {cls: "cond-row"}, subject, op, valueControl(c, q, onChange),
             D.iconButton("✕", t("remove"), onRemove, "danger"));
  }

  function groupOf(c) {
    if (!c || typeof c !== "object") { return null; }
    return Array.isArray(c.all) ? "all" : (Array.isArray(c.any) ? "any" : null);
  }

  /* Editable here: a simple condition, or a group of simple conditions and groups of them. */
  function editable(c, depth) {
    if (isLeaf(c)) { return true; }
    var mode = groupOf(c);
    return !!mode && depth < 2 && c[mode].length > 0 && c[mode].every(function (x) { return editable(x, depth + 1); });
  }

  function freshCondition(earlier, hidden) {
    return earlier.length ? D.defaultCondition(earlier[earlier.length - 1]) : {hidden: hidden[0], op: "eq", value: ""};
  }

  function modeSelect(mode, onchange, label) {
    var sel = D.select([["all", t("all")], ["any", t("any")]], mode, onchange, label);
    sel.classList.add("mode-select");
    return sel;
  }

  /* A group inside the top group: its mode, its simple conditions, add and delete. */
  function subgroup(group, earlier, hidden, onChange, onRemove) {
    var mode = groupOf(group), list = group[mode];
    var box = h("div", {cls: "cond-group", "data-mode": mode}, h("div", {cls: "cond-group-head"},
      h("span", {cls: "cond-group-title", text: t("group")}),
      modeSelect(mode, function (v) { delete group[mode]; group[v] = list; D.changed(true); }, t("group")),
      D.iconButton("✕", t("remove_group"), onRemove, "danger")));
    list.forEach(function (c, i) {
      box.appendChild(conditionRow(c, earlier, hidden, onChange, function () {
        list.splice(i, 1);
        if (list.length) { D.changed(true); } else { onRemove(); }
      }));
    });
    box.appendChild(D.button("+ " + t("add_to_group"), function () {
      list.push(freshCondition(earlier, hidden)); D.changed(true);
    }, "add-to-group"));
    return box;
  }

  /* The rows editing cond (null, simple, or all/any with one level of groups inside);
     setRoot(condition or null) stores it. Returns null when cond is too complex to edit here. */
  function conditionTree(cond, setRoot, earlier, hidden, onChange) {
    if (cond && !editable(cond, 0)) { return null; }
    var mode = groupOf(cond) || "all", items = !cond ? [] : (groupOf(cond) ? cond[mode] : [cond]);
    function store() {
      var root = null;
      if (items.length === 1) { root = items[0]; }
      else if (items.length > 1) { root = {}; root[mode] = items; }
      setRoot(root);
    }
    var parts = [];
    if (items.length > 1) {
      parts.push(modeSelect(mode, function (v) { mode = v; store(); D.changed(true); }, "mode"));
    }
    items.forEach(function (c, i) {
      var remove = function () { items.splice(i, 1); store(); D.changed(true); };
      parts.push(groupOf(c) ? subgroup(c, earlier, hidden, onChange, remove)
                            : conditionRow(c, earlier, hidden, onChange, remove));
    });
    if (!earlier.length && !hidden.length) { return parts; }
    parts.push(h("div", {cls: "cond-adds"},
      D.button("+ " + (items.length ? t("and_more") : t("add_condition")), function () {
        items.push(freshCondition(earlier, hidden)); store(); D.changed(true);
      }, "add-condition"),
      D.button("+ " + t("add_group"), function () {
        var group = {};
        group[mode === "all" ? "any" : "all"] = [freshCondition(earlier, hidden)];
        items.push(group); store(); D.changed(true);
      }, "add-group")));
    return parts;
  }

  /* owner[prop] is a CONDITION or null; earlier = questions it may refer to. */
  D.logicEditor = function (owner, prop, earlier, hidden) {
    var words = h("p", {cls: "rule-words", "data-rule": "display"});
    function say() { words.textContent = owner[prop] ? L.showRule(owner[prop], D.doc, D.lang) : t("always_shown"); }
    function onChange() { say(); D.changed(false); }
    say();
    var box = h("div", {cls: "logic-box"}, h("div", {cls: "logic-title"}, h("span", {text: t("logic")})), words);
    var rows = conditionTree(owner[prop], function (c) { owner[prop] = c; }, earlier, hidden, onChange);
    if (!rows) { box.appendChild(h("p", {cls: "muted", text: t("complex")})); return box; }
    rows.forEach(function (row) { box.appendChild(row); });
    if (!earlier.length && !hidden.length) { box.appendChild(h("p", {cls: "muted", text: t("no_earlier")})); }
    return box;
  };

  /* Page skip rules: [{if: CONDITION, page: "p3" | "end"}]. */
  D.skipEditor = function (page, pageIndex, earlier, hidden) {
    if (!Array.isArray(page.skip_to)) { page.skip_to = []; }
    var rules = page.skip_to, later = D.doc.pages.slice(pageIndex + 1);
    var box = h("div", {cls: "logic-box"}, h("div", {cls: "logic-title"}, h("span", {text: t("skip")})));
    rules.forEach(function (rule, i) {
      var words = h("p", {cls: "rule-words", "data-rule": "skip"});
      var say = function () { words.textContent = L.skipRule(rule, D.doc, D.lang); };
      say();
      var targets = later.map(function (p) {
        return [p.key, t("page", {n: D.doc.pages.indexOf(p) + 1}) + " " + (L.text(p.title, D.lang) || "")];
      }).concat([["end", t("end")]]);
      var row = conditionTree(rule["if"], function (c) {
        if (c) { rule["if"] = c; } else { rules.splice(rules.indexOf(rule), 1); }
      }, earlier, hidden, function () { say(); D.changed(false); }) || h("p", {cls: "muted", text: t("complex")});
      box.appendChild(h("div", {cls: "skip-rule"}, row, h("div", {cls: "cond-row"}, h("span", {text: t("go_to")}),
        D.select(targets, rule.page, function (v) { rule.page = v; D.changed(true); }, t("go_to"))), words));
    });
    if (earlier.length) {
      box.appendChild(D.button("+ " + t("add_skip"), function () {
        rules.push({"if": D.defaultCondition(earlier[earlier.length - 1]), page: later.length ? later[0].key : "end"});
        D.changed(true);
      }, "add-skip"));
    }
    return box;
  };
})();
