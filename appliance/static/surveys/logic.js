/* Survey logic in the browser: evaluate conditions and say them in words.
   Mirrors appliance/surveys/definition.py (evaluate) and words.py (wording). */
(function () {
  "use strict";
  var OPS = {
    en: {eq: "is", ne: "is not", lt: "is less than", lte: "is at most", gt: "is more than",
         gte: "is at least", "in": "is one of", not_in: "is none of", contains: "includes",
         answered: "is answered", not_answered: "is not answered"},
    zh_CN: {eq: "=", ne: "≠", lt: "<", lte: "≤", gt: ">", gte: "≥", "in": "是以下之一",
            not_in: "不是以下任一", contains: "包含", answered: "已作答", not_answered: "未作答"}
  };
  var JOIN = {en: {all: " and ", any: " or "}, zh_CN: {all: " 且 ", any: " 或 "}};

  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function langOf(l) { return String(l || "").indexOf("zh") === 0 ? "zh_CN" : "en"; }

  function text(texts, lang, fallback) {
    if (!isObj(texts)) { return ""; }
    var found = texts[lang] || texts[fallback || "zh_CN"] || texts.en || "";
    return typeof found === "string" ? found : "";
  }

  function allQuestions(doc) {
    var out = [];
    (doc && Array.isArray(doc.pages) ? doc.pages : []).forEach(function (p) {
      (Array.isArray(p.questions) ? p.questions : []).forEach(function (q) { out.push(q); });
    });
    return out;
  }

  function numbering(doc) {
    var map = {};
    allQuestions(doc).forEach(function (q, i) { map[q.key] = "Q" + (i + 1); });
    return map;
  }

  function short(s, n) { return s.length <= n ? s : s.slice(0, n - 1) + "…"; }

  function valueWords(value, question, lang) {
    if (Array.isArray(value)) {
      return value.map(function (v) { return valueWords(v, question, lang); }).join(lang === "en" ? ", " : "、");
    }
    var choices = question && Array.isArray(question.choices) ? question.choices : [];
    for (var i = 0; i < choices.length; i++) {
      if (choices[i].key === value) {
        var label = text(choices[i].text, lang);
        return lang === "en" ? "“" + label + "”" : "「" + label + "」";
      }
    }
    return String(value === undefined || value === null ? "" : value);
  }

  function leafWords(c, doc, lang) {
    var subject, question = null;
    if ("hidden" in c) {
      subject = (lang === "en" ? "hidden field " : "隐藏字段 ") + c.hidden;
    } else {
      allQuestions(doc).forEach(function (q) { if (q.key === c.question) { question = q; } });
      subject = numbering(doc)[c.question] || String(c.question);
      if (question) {
        var t = short(text(question.text, lang), 24);
        subject += lang === "en" ? " “" + t + "”" : "「" + t + "」";
      }
    }
    var words = subject + " " + (OPS[lang][c.op] || c.op);
    if (c.op === "answered" || c.op === "not_answered") { return words; }
    return words + " " + valueWords(c.value, question, lang);
  }

  function words(c, doc, lang, depth) {
    lang = langOf(lang); depth = depth || 0;
    if (!isObj(c) || depth > 8) { return "?"; }
    var group = Array.isArray(c.all) ? "all" : (Array.isArray(c.any) ? "any" : null);
    if (group) {
      var parts = c[group].map(function (x) { return words(x, doc, lang, depth + 1); });
      var joined = parts.join(JOIN[lang][group]);
      return depth && parts.length > 1 ? "(" + joined + ")" : joined;
    }
    return leafWords(c, doc, lang);
  }

  function showRule(c, doc, lang) {
    return (langOf(lang) === "en" ? "Show when " : "显示条件：") + words(c, doc, lang);
  }

  function skipRule(rule, doc, lang) {
    lang = langOf(lang);
    var index = 0;
    (doc.pages || []).forEach(function (p, i) { if (p.key === rule.page) { index = i + 1; } });
    if (lang === "en") {
      return "If " + words(rule["if"], doc, lang) + ", " + (rule.page === "end" ? "end the survey" : "go to page " + index);
    }
    return "如果 " + words(rule["if"], doc, lang) + "，" + (rule.page === "end" ? "结束问卷" : "跳到第 " + index + " 页");
  }

  function present(v) {
    return !(v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length));
  }

  function compare(op, actual, expected) {
    if (op === "answered") { return present(actual); }
    if (op === "not_answered") { return !present(actual); }
    if (!present(actual)) { return op === "ne" || op === "not_in"; }
    var list = Array.isArray(expected) ? expected.map(String) : [String(expected)];
    var a = Array.isArray(actual) ? actual.map(String) : [String(actual)];
    switch (op) {
      case "eq": return String(actual) === String(expected);
      case "ne": return String(actual) !== String(expected);
      case "lt": return Number(actual) < Number(expected);
      case "lte": return Number(actual) <= Number(expected);
      case "gt": return Number(actual) > Number(expected);
      case "gte": return Number(actual) >= Number(expected);
      case "in": return a.some(function (x) { return list.indexOf(x) >= 0; });
      case "not_in": return !a.some(function (x) { return list.indexOf(x) >= 0; });
      case "contains": return a.join(" ").indexOf(String(expected)) >= 0;
    }
    return false;
  }

  function evaluate(c, answers, hidden) {
    if (!isObj(c)) { return true; }
    if (Array.isArray(c.all)) { return c.all.every(function (x) { return evaluate(x, answers, hidden); }); }
    if (Array.isArray(c.any)) { return c.any.some(function (x) { return evaluate(x, answers, hidden); }); }
    var actual = "question" in c ? answers[c.question] : (hidden || {})[c.hidden];
    return compare(c.op, actual, c.value);
  }

  window.TJLogic = {text: text, numbering: numbering, allQuestions: allQuestions, words: words,
                    showRule: showRule, skipRule: skipRule, evaluate: evaluate, langOf: langOf,
                    OPERATORS: Object.keys(OPS.en)};
})();
