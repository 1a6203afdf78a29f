/* Drag and drop questions within and between pages (native HTML5 drag events).
   The up/down buttons stay for keyboard users; both autosave through D.changed. */
(function () {
  "use strict";
  var D = window.TJD;
  var dragging = null;   // {page, index, card}

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

  /* head starts a drag of page.questions[index]; the whole card is the drag image. */
  D.dragSource = function (head, card, page, index) {
    head.setAttribute("draggable", "true");
    head.addEventListener("dragstart", function (e) {
      dragging = {page: page, index: index, card: card};
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", page.questions[index].key);
      if (e.dataTransfer.setDragImage) { e.dataTransfer.setDragImage(card, 20, 20); }
      card.classList.add("dragging");
    });
    head.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      dragging = null;
      clearMarks();
    });
  };

  /* block (a page section) accepts a dragged question before the card under the pointer. */
  D.dropZone = function (block, page) {
    block.addEventListener("dragover", function (e) {
      if (!dragging) { return; }
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      var at = dropIndex(block, e.clientY);
      clearMarks();
      (at.card || block).classList.add(at.card ? "drop-before" : "drop-end");
    });
    block.addEventListener("dragleave", function (e) {
      if (!block.contains(e.relatedTarget)) { clearMarks(); }
    });
    block.addEventListener("drop", function (e) {
      if (!dragging) { return; }
      e.preventDefault();
      var at = dropIndex(block, e.clientY).index, from = dragging;
      dragging = null;
      clearMarks();
      if (from.page === page && (at === from.index || at === from.index + 1)) { return; }
      var question = from.page.questions.splice(from.index, 1)[0];
      if (from.page === page && at > from.index) { at--; }
      page.questions.splice(at, 0, question);
      D.changed(true);
    });
  };
})();
