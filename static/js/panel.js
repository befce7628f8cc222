// The attribute panel (templates/annotations/attribute_panel.html), on the annotation and
// review pages: the server renders it and htmx swaps it whole; this gives it its keys.
//
//   Tab            next field (the browser's)     Enter    save (the form posts with htmx)
//   Esc            close, back to the span        1 … 9    in a choice: pick that answer
//   "Pick words in the text" on a words field: selections in the article (the mouse's, or
//   the annotation page's h/l keys) fill it with the words and their offsets; Enter or Esc
//   goes back to the field. Typing in the field instead leaves the offsets empty.
//
// Loaded before the page's own script, so its key handler runs first: a key it handles
// (or any key inside the panel) never reaches the page's shortcuts.
// Events: "annotator:panel-closed" (detail.span) when the panel closes, by Esc or a save;
// "annotator:picking" (detail.input) when a words field starts taking selections.
"use strict";
window.annotatorPanel = (() => {
  const kit = window.annotatorSelection;
  const doc = document.getElementById("doc");
  const chars = doc ? kit.textOf(doc) : [];
  let picking = null; // the words field that selections in the article fill

  const panel = () => document.getElementById("attribute-panel");
  const isOpen = () => {
    const p = panel();
    return Boolean(p && !p.hidden && p.querySelector("form"));
  };

  function firstField(p) {
    const wrong = p.querySelector(".has-error");
    const within = wrong || p;
    return (
      within.querySelector('input[type="radio"]:checked:not(:disabled)') ||
      within.querySelector(
        'input:not([type="hidden"]):not(:disabled), button[type="submit"], .panel-close',
      )
    );
  }

  function closed(span) {
    picking = null;
    document.dispatchEvent(new CustomEvent("annotator:panel-closed", { detail: { span } }));
  }

  function close() {
    const p = panel();
    if (!p || p.hidden) return;
    const span = p.dataset.span;
    p.replaceChildren();
    p.hidden = true;
    p.className = "attribute-panel";
    delete p.dataset.span;
    closed(span);
  }

  // Every answer that swaps the panel: a fresh panel gets the focus (its first field, or
  // the first one in error); a closed one (after a save) hands it back to the page.
  document.body.addEventListener("htmx:afterSettle", () => {
    const p = panel();
    if (!p) return;
    if (p.dataset.fresh) {
      delete p.dataset.fresh;
      picking = null;
      const field = firstField(p);
      if (field) field.focus();
      p.scrollIntoView({ block: "nearest" });
    } else if (p.hidden && p.dataset.closed) {
      const span = p.dataset.closed;
      delete p.dataset.closed;
      closed(span);
    }
  });

  // --- words of the article --------------------------------------------------------------
  function hidden(input, name) {
    return input.form.elements[`${name}-${input.dataset.key}`];
  }

  function fill(range) {
    if (!picking || !picking.isConnected || !range) return false;
    const [start, end] = range;
    const text = kit.slice(chars, start, end);
    if (!text) return false;
    picking.value = text;
    hidden(picking, "start").value = start;
    hidden(picking, "end").value = end;
    const note = document.getElementById(`picked-${picking.dataset.key}`);
    if (note) note.textContent = `${start}–${end}`;
    return true;
  }

  function backToField() {
    const field = picking;
    window.getSelection().removeAllRanges();
    document.dispatchEvent(new CustomEvent("annotator:picked", { detail: { input: field } }));
    if (field && field.isConnected) field.focus();
  }

  function startPicking(input) {
    picking = input;
    if (doc) {
      doc.tabIndex = -1;
      doc.focus({ preventScroll: true });
    }
    document.dispatchEvent(new CustomEvent("annotator:picking", { detail: { input } }));
  }

  document.addEventListener("focusin", (event) => {
    const target = event.target;
    if (target.matches && target.matches("input.reference")) picking = target;
    // A click in the text focuses it or what holds it (<main tabindex="-1">): still picking.
    else if (doc && target.contains && target.contains(doc)) return;
    else if (!target.closest || !target.closest(".pick")) picking = null;
  });

  // Typed words point at nothing: their offsets go.
  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("#attribute-panel input.reference")) return;
    hidden(input, "start").value = "";
    hidden(input, "end").value = "";
    const note = document.getElementById(`picked-${input.dataset.key}`);
    if (note) note.textContent = "";
  });

  document.addEventListener("click", (event) => {
    const pick = event.target.closest("#attribute-panel .pick");
    if (pick) {
      startPicking(document.getElementById(pick.dataset.for));
      return;
    }
    if (event.target.closest("#attribute-panel .panel-close")) {
      event.preventDefault();
      close();
    }
  });

  // A mouse selection in the article, while a words field takes them, goes to that field
  // (and not to the page's label picker: this listener comes first).
  document.addEventListener("mouseup", (event) => {
    if (!picking || !isOpen() || !doc || !doc.contains(event.target)) return;
    const selected = kit.selected(doc, chars);
    if (!selected) return;
    event.stopImmediatePropagation();
    fill(selected);
    backToField();
  });

  // --- keys ------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (!isOpen()) return;
    const p = panel();
    const target = event.target;
    const inPanel = p.contains(target);
    if (!inPanel) {
      // Picking words with the keyboard: Enter or Esc goes back to the field; the word
      // keys are the page's (annotate.js fills the field as the selection moves).
      if (picking && (event.key === "Enter" || event.key === "Escape")) {
        event.preventDefault();
        event.stopImmediatePropagation();
        backToField();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && !event.shiftKey && !target.matches("button, a")) {
      event.preventDefault();
      const form = p.querySelector("form");
      if (form.querySelector('button[type="submit"]')) form.requestSubmit();
    } else if (/^[1-9]$/.test(event.key) && target.matches('input[type="radio"]')) {
      const radios = target.closest(".choices").querySelectorAll('input[type="radio"]');
      const chosen = radios[Number(event.key) - 1];
      if (chosen) {
        chosen.checked = true;
        chosen.focus();
        chosen.dispatchEvent(new Event("change", { bubbles: true }));
      }
      event.preventDefault();
    }
    // Whatever the key, the page's shortcuts do not see it: 1 would tag, x remove.
    event.stopImmediatePropagation();
  });

  return { isOpen, close, fill, picking: () => (isOpen() ? picking : null) };
})();
