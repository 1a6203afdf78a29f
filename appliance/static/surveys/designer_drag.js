/* Drag and drop questions within and between pages, with pointer events: a mouse drags a
   question by its summary row, a finger or pen by the grip (⠿) at the row's start (the grip
   has touch-action: none, so the rest of the canvas still scrolls on a tablet). The up/down
   buttons stay for keyboard users; both autosave through D.changed. */
(function () {
  "use strict";
  var D = window.TJD;
  var THRESHOLD = 5;   // px a pointer moves before a press becomes a drag (else it is a click)

  function clearMarks() {
    Array.prototype.forEach.call(document.querySelectorAll(".drop-before, .drop-end"), function (el) {
      el.classList.remove("drop-before", "drop-end");
    });
  }

  /* Where in block a drop at clientY lands: the index of the first card below the pointer. */
  function dropIndex(block, clientY) {
    var cards = block.querySelectorAll(":scope > .q-card");
    for (var i = 0; i < cards.length; i++) {
      var box = cards[i].getBoundingClientRect();
      if (clientY < box.top + box.height / 2) { return {index: i, card: cards[i]}; }
    }
    return {index: cards.length, card: null};
  }

  /* The page block under the pointer (the dragged card lets the pointer through). */
  function blockAt(x, y) {
    var el = document.elementFromPoint(x, y);
    var block = el && el.closest(".page-block");
    return block && block.tjPage ? block : null;
  }

  function mark(x, y) {
    var block = blockAt(x, y);
    clearMarks();
    if (!block) { return; }
    var at = dropIndex(block, y);
    (at.card || block).classList.add(at.card ? "drop-before" : "drop-end");
  }

  function drop(from, x, y) {
    var block = blockAt(x, y);
    if (!block) { return; }
    var page = block.tjPage, at = dropIndex(block, y).index;
    if (from.page === page && (at === from.index || at === from.index + 1)) { return; }
    var question = from.page.questions.splice(from.index, 1)[0];
    if (from.page === page && at > from.index) { at--; }
    page.questions.splice(at, 0, question);
    D.changed(true);
  }

  /* While a drag rests near the top or bottom of the window, the window scrolls. */
  function autoScroll(drag) {
    var bar = document.querySelector(".designer-bar");
    var top = (bar ? bar.getBoundingClientRect().bottom : 0) + 40, bottom = window.innerHeight - 40;
    var step = drag.y < top ? -14 : drag.y > bottom ? 14 : 0;
    if (step) { window.scrollBy(0, step); mark(drag.x, drag.y); }
    drag.frame = window.requestAnimationFrame(function () { autoScroll(drag); });
  }

  /* A click right after a drag is not a click on the row (it would open the question). */
  function swallowNextClick() {
    function swallow(e) { e.stopPropagation(); e.preventDefault(); }
    window.addEventListener("click", swallow, true);
    window.setTimeout(function () { window.removeEventListener("click", swallow, true); }, 0);
  }

  /* head starts a drag of page.questions[index]; card is dimmed while it moves. */
  D.dragSource = function (head, card, page, index) {
    var grip = D.h("span", {cls: "drag-grip", "aria-hidden": "true", text: "⠿"});
    head.insertBefore(grip, head.firstChild);
    head.addEventListener("pointerdown", function (e) {
      var byGrip = e.target === grip;
      if (e.button !== 0 || e.target.closest(".q-tools") || (e.pointerType !== "mouse" && !byGrip)) { return; }
      if (byGrip) { e.preventDefault(); }
      var drag = {id: e.pointerId, x: e.clientX, y: e.clientY, lifted: false,
                  from: {page: page, index: index}};
      try { head.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer */ }

      function move(ev) {
        if (ev.pointerId !== drag.id) { return; }
        if (!drag.lifted && Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) < THRESHOLD) { return; }
        if (!drag.lifted) {
          drag.lifted = true;
          card.classList.add("dragging");
          autoScroll(drag);
        }
        ev.preventDefault();
        drag.x = ev.clientX;
        drag.y = ev.clientY;
        mark(drag.x, drag.y);
      }
      function end(ev) {
        if (ev.pointerId !== drag.id) { return; }
        head.removeEventListener("pointermove", move);
        head.removeEventListener("pointerup", end);
        head.removeEventListener("pointercancel", end);
        window.cancelAnimationFrame(drag.frame);
        card.classList.remove("dragging");
        clearMarks();
        if (!drag.lifted) { return; }
        swallowNextClick();
        if (ev.type === "pointerup") { drop(drag.from, ev.clientX, ev.clientY); }
      }
      head.addEventListener("pointermove", move);
      head.addEventListener("pointerup", end);
      head.addEventListener("pointercancel", end);
    });
  };

  /* block (a page section) accepts a dragged question before the card under the pointer. */
  D.dropZone = function (block, page) {
    block.tjPage = page;
  };
})();
