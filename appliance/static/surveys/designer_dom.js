/* Small DOM helpers for the designer: elements built with textContent only (never innerHTML). */
(function () {
  "use strict";
  var D = window.TJD;

  D.h = function (tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) { return; }
      if (k === "text") { el.textContent = v; }
      else if (k === "cls") { el.className = v; }
      else if (k.indexOf("on") === 0) { el.addEventListener(k.slice(2), v); }
      else { el.setAttribute(k, v === true ? "" : v); }
    });
    for (var i = 2; i < arguments.length; i++) {
      [].concat(arguments[i]).forEach(function (child) {
        if (child === null || child === undefined || child === false) { return; }
        el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      });
    }
    return el;
  };
  var h = D.h;

  D.button = function (label, onclick, cls, title) {
    return h("button", {type: "button", cls: "button small " + (cls || ""), onclick: onclick,
                        title: title || null, "aria-label": title || null}, label);
  };

  D.iconButton = function (symbol, title, onclick, cls) {
    return h("button", {type: "button", cls: "icon-btn " + (cls || ""), title: title,
                        "aria-label": title, onclick: onclick}, symbol);
  };

  /* Two inputs side by side for {zh_CN, en}: obj[prop] is created when typed into. */
  D.textPair = function (obj, prop, label, multiline, onInput) {
    var inputs = ["zh_CN", "en"].map(function (lang) {
      var current = obj[prop] && typeof obj[prop][lang] === "string" ? obj[prop][lang] : "";
      var input = h(multiline ? "textarea" : "input", {
        type: multiline ? null : "text", rows: multiline ? 2 : null, lang: lang === "zh_CN" ? "zh-CN" : "en",
        "aria-label": label + " (" + (lang === "zh_CN" ? "中文" : "English") + ")",
        placeholder: lang === "zh_CN" ? "中文" : "English", "data-field": prop + "." + lang,
        oninput: function () {
          if (typeof obj[prop] !== "object" || obj[prop] === null || Array.isArray(obj[prop])) { obj[prop] = {}; }
          if (input.value) { obj[prop][lang] = input.value; } else { delete obj[prop][lang]; }
          if (!Object.keys(obj[prop]).length) { delete obj[prop]; }
          if (onInput) { onInput(); }
          D.changed(false);
        }});
      input.value = current;
      return h("div", {cls: "lang-cell"}, h("span", {cls: "lang-tag", text: lang === "zh_CN" ? "中" : "EN"}), input);
    });
    return h("div", {cls: "field"}, h("label", {text: label}), h("div", {cls: "lang-pair"}, inputs));
  };

  D.checkbox = function (obj, prop, label) {
    var box = h("input", {type: "checkbox", onchange: function () {
      if (box.checked) { obj[prop] = true; } else { delete obj[prop]; }
      D.changed(true);
    }});
    box.checked = obj[prop] === true;
    if (prop === "required") { box.checked = obj.required === true; }
    return h("label", {cls: "check"}, box, " " + label);
  };

  D.numberInput = function (obj, prop, label, attrs) {
    var input = h("input", Object.assign({type: "number", "data-field": prop, oninput: function () {
      var v = input.value.trim();
      if (v === "") { delete obj[prop]; } else if (!isNaN(Number(v))) { obj[prop] = Number(v); }
      D.changed(false);
    }}, attrs || {}));
    input.value = typeof obj[prop] === "number" ? String(obj[prop]) : "";
    return h("div", {cls: "field"}, h("label", {text: label}), input);
  };

  D.textInput = function (obj, prop, label, attrs, type) {
    var input = h("input", Object.assign({type: type || "text", "data-field": prop, oninput: function () {
      if (input.value === "") { delete obj[prop]; } else { obj[prop] = input.value; }
      D.changed(false);
    }}, attrs || {}));
    input.value = typeof obj[prop] === "string" ? obj[prop] : "";
    return h("div", {cls: "field"}, h("label", {text: label}), input);
  };

  D.select = function (options, value, onchange, label) {
    var sel = h("select", {"aria-label": label || null, onchange: function () { onchange(sel.value); }},
      options.map(function (o) { return h("option", {value: o[0], text: o[1]}); }));
    sel.value = value === undefined || value === null ? "" : String(value);
    return sel;
  };

  D.move = function (list, index, delta) {
    var target = index + delta;
    if (target < 0 || target >= list.length) { return; }
    var item = list.splice(index, 1)[0];
    list.splice(target, 0, item);
    D.changed(true);
  };

  D.clone = function (value) { return JSON.parse(JSON.stringify(value)); };
})();
