/* Designer: the survey panel (texts, hidden fields), autosave, problems, preview and publish. */
(function () {
  "use strict";
  var D = window.TJD, h = D.h, t = D.t;
  var root = document.getElementById("designer");
  if (!root) { return; }
  var cfg = root.dataset, frame = document.getElementById("preview-frame");
  var sync = {timer: null, busy: false, again: false, lang: D.lang};
  var KEY = /^[a-z][a-z0-9_]{0,39}$/;

  D.setStatus = function (text, kind) {
    var el = document.getElementById("save-state");
    el.textContent = text;
    el.className = "save-state " + (kind || "");
  };

  D.showProblems = function (problems, headline) {
    var box = document.getElementById("problems");
    box.textContent = "";
    box.className = "problems " + (problems.length ? "has-problems" : "clean");
    box.appendChild(h("h3", {text: headline || (problems.length ? t("problems") + " · " + problems.length : t("no_problems"))}));
    if (problems.length) {
      box.appendChild(h("ul", {}, problems.slice(0, 30).map(function (p) { return h("li", {text: p}); })));
    }
  };

  function reloadPreview() {
    frame.src = cfg.previewUrl + "?lang=" + sync.lang + "&t=" + Date.now();
  }

  function headers() {
    return {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": cfg.csrf};
  }

  D.save = function () {
    clearTimeout(sync.timer);
    if (sync.busy) { sync.again = true; return Promise.resolve(null); }
    sync.busy = true;
    D.setStatus(t("saving"), "pending");
    return fetch(cfg.draftUrl, {method: "PUT", credentials: "same-origin", headers: headers(),
                                body: JSON.stringify(D.doc)})
      .then(function (r) { return r.json().then(function (body) { return {status: r.status, body: body}; }); })
      .then(function (res) {
        sync.busy = false;
        if (!res.body.ok) { D.setStatus(t("save_failed") + (res.body.error || res.status), "bad"); return res.body; }
        root.classList.remove("dirty");
        D.setStatus(t("saved"), "ok");
        D.showProblems(res.body.problems || []);
        reloadPreview();
        if (sync.again) { sync.again = false; return D.save(); }
        return res.body;
      })
      .catch(function (e) { sync.busy = false; D.setStatus(t("save_failed") + e.message, "bad"); return null; });
  };

  D.scheduleSave = function () {
    clearTimeout(sync.timer);
    sync.timer = setTimeout(D.save, 700);
  };

  function publish() {
    var button = document.getElementById("publish");
    button.disabled = true;
    D.save().then(function () {
      D.setStatus(t("publishing"), "pending");
      return fetch(cfg.publishUrl, {method: "POST", credentials: "same-origin", headers: headers(), body: "{}"});
    }).then(function (r) { return r.json(); }).then(function (body) {
      button.disabled = false;
      if (body.ok) {
        D.setStatus(t("published", {n: body.version}), "ok");
        var badge = document.getElementById("version-badge");
        badge.textContent = "v" + body.version;
        badge.className = "badge ok";
        document.getElementById("status-badge").textContent = "";
        document.getElementById("status-badge").appendChild(h("span", {cls: "badge ok", text: t("collecting")}));
        D.showProblems([], t("published", {n: body.version}));
      } else {
        D.setStatus(body.error || "", "bad");
        D.showProblems(body.problems || [], body.problems && body.problems.length ? t("not_ready") : body.error);
      }
    }).catch(function (e) { button.disabled = false; D.setStatus(t("save_failed") + e.message, "bad"); });
  }

  function hiddenEditor() {
    if (!Array.isArray(D.doc.hidden_fields)) { D.doc.hidden_fields = []; }
    var list = D.doc.hidden_fields;
    var input = h("input", {type: "text", placeholder: "order_id", "aria-label": t("hidden_fields")});
    var error = h("p", {cls: "error"});
    function add() {
      var name = input.value.trim();
      if (!KEY.test(name)) { error.textContent = t("invalid_key"); return; }
      if (list.indexOf(name) < 0) { list.push(name); }
      D.changed(true);
    }
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); add(); } });
    return h("div", {cls: "field"}, h("label", {text: t("hidden_fields")}),
      h("div", {cls: "chips"}, list.map(function (name, i) {
        return h("span", {cls: "chip"}, name, D.iconButton("×", t("remove"), function () { list.splice(i, 1); D.changed(true); }));
      })),
      h("div", {cls: "chip-add"}, input, D.button(t("add"), add)), error, h("p", {cls: "help", text: t("hidden_help")}));
  }

  D.renderSurveyPanel = function () {
    var box = document.getElementById("survey-panel");
    box.textContent = "";
    box.appendChild(h("h2", {text: t("survey")}));
    box.appendChild(D.textPair(D.doc, "title", t("title")));
    box.appendChild(D.textPair(D.doc, "intro", t("intro"), true));
    box.appendChild(D.textPair(D.doc, "thank_you", t("thank_you"), true));
    box.appendChild(hiddenEditor());
  };

  function languageSwitch() {
    var box = document.getElementById("preview-lang");
    [["zh_CN", "中文"], ["en", "EN"]].forEach(function (pair) {
      box.appendChild(h("button", {type: "button", cls: pair[0] === sync.lang ? "current" : "", "data-lang": pair[0],
        onclick: function (e) {
          sync.lang = pair[0];
          Array.prototype.forEach.call(box.children, function (b) { b.classList.toggle("current", b === e.target); });
          reloadPreview();
        }}, pair[1]));
    });
  }

  document.getElementById("publish").addEventListener("click", publish);
  window.addEventListener("beforeunload", function (e) {
    if (root.classList.contains("dirty")) { e.preventDefault(); e.returnValue = ""; }
  });
  languageSwitch();
  reloadPreview();
})();
