/* Ranking questions, enhanced: drag an option by its grip (mouse, touch or pen: pointer events)
   or move it with its up/down buttons. The number selects stay the answer the form posts, so
   the page works the same without this file. Loaded only on pages with a ranking question. */
(function () {
  "use strict";

  function items(list) { return Array.prototype.slice.call(list.children); }
  function select(li) { return li.querySelector("select"); }

  /* The list order is the ranking: every select gets its position. */
  function renumber(list) {
    items(list).forEach(function (li, i) { select(li).value = String(i + 1); });
  }

  /* Move li to position index by moving its neighbours past it: li itself never leaves the
     document, so it keeps the pointer capture and the focus. */
  function place(list, li, index) {
    var now = items(list).indexOf(li);
    index = Math.max(0, Math.min(index, list.children.length - 1));
    for (; now < index; now++) { list.insertBefore(li.nextElementSibling, li); }
    for (; now > index; now--) { list.insertBefore(li.previousElementSibling, li.nextElementSibling); }
  }

  function moved(list, li) {
    renumber(list);
    list.live.textContent = list.getAttribute("data-moved")
      .replace("{item}", li.querySelector("label").textContent)
      .replace("{n}", items(list).indexOf(li) + 1);
  }

  /* A complete ranking already chosen (the page shown again) orders the list. */
  function orderFromSelects(list) {
    var rank = function (li) { return parseInt(select(li).value, 10); };
    var ranks = items(list).map(rank).sort(function (a, b) { return a - b; });
    if (ranks.every(function (r, i) { return r === i + 1; })) {
      items(list).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (li) {
        list.appendChild(li);
      });
    }
  }

  function button(list, li, symbol, label, delta) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "rk-btn";
    b.textContent = symbol;
    b.setAttribute("aria-label", label + ": " + li.querySelector("label").textContent);
    b.addEventListener("click", function () {
      place(list, li, items(list).indexOf(li) + delta);
      moved(list, li);
    });
    return b;
  }

  /* Follow one pointer from the grip: the row moves to the slot under it, and rides the pointer. */
  function drag(list, li, start) {
    var id = start.pointerId, grip = start.currentTarget, lifted = false;
    var grab = start.clientY - li.getBoundingClientRect().top;
    try { grip.setPointerCapture(id); } catch (e) { /* a synthetic pointer */ }

    function move(e) {
      if (e.pointerId !== id || (!lifted && Math.abs(e.clientY - start.clientY) < 4)) { return; }
      lifted = true;
      li.classList.add("rk-drag");
      var at = 0;
      items(list).forEach(function (x) {
        var box = x.getBoundingClientRect();
        if (x !== li && e.clientY > box.top + box.height / 2) { at++; }
      });
      li.style.transform = "";
      place(list, li, at);
      li.style.transform = "translateY(" + (e.clientY - grab - li.getBoundingClientRect().top) + "px)";
      if (e.clientY < 48 || e.clientY > window.innerHeight - 48) {
        window.scrollBy(0, e.clientY < 48 ? -12 : 12);
      }
    }
    function end(e) {
      if (e.pointerId !== id) { return; }
      grip.removeEventListener("pointermove", move);
      grip.removeEventListener("pointerup", end);
      grip.removeEventListener("pointercancel", end);
      li.classList.remove("rk-drag");
      li.style.transform = "";
      if (lifted) { moved(list, li); }
    }
    grip.addEventListener("pointermove", move);
    grip.addEventListener("pointerup", end);
    grip.addEventListener("pointercancel", end);
  }

  function enhance(list) {
    orderFromSelects(list);
    list.classList.add("rk");
    list.live = document.createElement("p");
    list.live.className = "sr";
    list.live.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(list.live, list.nextSibling);
    items(list).forEach(function (li) {
      var grip = document.createElement("span");
      grip.className = "rk-grip";
      grip.textContent = "⠿";
      grip.setAttribute("aria-hidden", "true");
      grip.addEventListener("pointerdown", function (e) {
        if (e.button === 0) { e.preventDefault(); drag(list, li, e); }
      });
      li.insertBefore(grip, li.firstChild);
      select(li).options[0].textContent = "–";   // the select is narrower; its label says "Rank"
      li.appendChild(button(list, li, "↑", list.getAttribute("data-up"), -1));
      li.appendChild(button(list, li, "↓", list.getAttribute("data-down"), 1));
      select(li).addEventListener("change", function () {
        if (!select(li).value) { return; }
        place(list, li, parseInt(select(li).value, 10) - 1);
        moved(list, li);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("ol.ranking[data-moved]"), enhance);
})();
