// The review page, keyboard first. Every key submits one of the page's own forms (htmx posts
// it and swaps in the fragments the server returns), so keys, buttons and the plain no-JS
// forms all take the same path and the same server checks; app.js gives each its action id.
//
//   j / ↓, k / ↑   move among spans          a        approve the focused span
//   r              reject (reason, Enter)    1 … 9    relabel (and approve) the focused span
//   Shift+A        approve all undecided     Esc      close the reject or add form
//   n              add a span over the selected text (whole words)
//   e              correct the focused span: to the selected text, or edit its offsets
//   v              correct the focused span's values (the attribute panel, see panel.js)
//   ?              show or hide the shortcuts
"use strict";

(function () {
  const review = document.getElementById("review");
  const list = document.getElementById("span-list");
  if (!review || !list) return;
  const canDecide = review.dataset.canDecide === "true";
  let lastRowId = null; // the row the reviewer is on, remembered across swaps

  const rows = () => Array.from(list.querySelectorAll(":scope > .span-row"));
  const rowOf = (el) => (el && el.closest ? el.closest(".span-row") : null);

  function currentRow() {
    return rowOf(document.activeElement) || (lastRowId && document.getElementById(lastRowId));
  }

  function markText(row) {
    const id = row ? row.dataset.span : null;
    document.querySelectorAll("#doc mark.hl").forEach((mark) => {
      const ids = (mark.dataset.spans || "").split(" ");
      mark.classList.toggle("is-focused", id !== null && ids.includes(id));
    });
  }

  // The row the reviewer is on keeps its actions shown (review.css, .compact) even while
  // the focus is elsewhere, e.g. in the text or the finish form.
  function setCurrent(row) {
    lastRowId = row.id;
    rows().forEach((r) => r.classList.toggle("is-current", r === row));
    markText(row);
  }

  function focusRow(row) {
    if (!row) return;
    setCurrent(row);
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const i = all.indexOf(currentRow());
    focusRow(i === -1 ? all[0] : all[Math.min(Math.max(i + step, 0), all.length - 1)]);
  }

  // After a decision, move on to the next span; after anything else, keep the reviewer's
  // place (the focused row may have been replaced by the server's fragment).
  document.addEventListener("annotator:done", (event) => {
    // The form that sent the request, after its last attempt (app.js), even if the answer
    // replaced it.
    const { form, status } = event.detail;
    // The values panel takes the focus itself, and gives it back when it closes.
    if (form.classList.contains("values-open") || form.id === "attribute-form") return;
    if (form.id === "add-span-form") {
      const added = list.querySelector(":scope > .span-row[data-new]");
      if (status === 200 && added) focusRow(added);
      return;
    }
    const row = rowOf(form);
    if (!row) {
      // e.g. "approve all": the current row may have been replaced; keep it current.
      const current = lastRowId && document.getElementById(lastRowId);
      if (current) setCurrent(current);
      return;
    }
    const fresh = document.getElementById(row.id);
    if (status === 200 && form.classList.contains("decide")) {
      const all = rows();
      focusRow(all[all.indexOf(fresh) + 1] || fresh);
    } else if (fresh) {
      focusRow(fresh);
    }
  });

  // The values panel closed (Esc, or saved): back to the span's row.
  document.addEventListener("annotator:panel-closed", (event) => {
    focusRow(document.getElementById(`span-${event.detail.span}`));
  });

  list.addEventListener("focusin", (event) => {
    const row = rowOf(event.target);
    if (row && !row.classList.contains("is-current")) setCurrent(row);
  });

  // Clicking a highlight in the text goes to its span in the list.
  const doc = document.getElementById("doc");
  if (doc) {
    doc.addEventListener("click", (event) => {
      if (!window.getSelection().isCollapsed) return; // selecting text to add or correct a span
      const mark = event.target.closest("mark.hl");
      if (!mark || !mark.dataset.spans) return;
      focusRow(document.getElementById(`span-${mark.dataset.spans.split(" ")[0]}`));
    });
  }

  function openReject(row) {
    const details = row.querySelector("details.reject");
    if (!details) return;
    details.open = true;
    const reason = details.querySelector('input[name="reason"]');
    reason.focus();
    reason.select();
  }

  function relabel(row, key) {
    const select = row.querySelector('form.relabel select[name="label"]');
    const option = select && select.querySelector(`option[data-key="${key}"]`);
    if (!option) return false;
    select.value = option.value;
    select.form.requestSubmit();
    return true;
  }

  // Adding a span, or correcting one's bounds: the form in #add-span, filled from the
  // selection in the text (offsets in code points, snapped to words) or typed by hand.
  const chars = doc ? window.annotatorSelection.textOf(doc) : [];
  const addForm = () => document.getElementById("add-span-form");

  function preview(form) {
    const start = form.elements.start.value;
    const end = form.elements.end.value;
    const text =
      start !== "" && end !== "" && Number(start) < Number(end)
        ? window.annotatorSelection.slice(chars, Number(start), Number(end))
        : null;
    // The server checks the text against the article: a page out of date is refused.
    form.elements.text.value = text || "";
    document.getElementById("add-preview").textContent = text ? `« ${text} »` : "";
  }

  function openAdd(form, { corrects, label, bounds, focus }) {
    form.elements.corrects.value = corrects || "";
    if (label) form.elements.label.value = label;
    form.elements.start.value = bounds ? bounds[0] : "";
    form.elements.end.value = bounds ? bounds[1] : "";
    preview(form);
    form.closest("details").open = true;
    form.elements[focus].focus();
  }

  function addSpan() {
    const form = addForm();
    if (!form) return false;
    const bounds = doc && window.annotatorSelection.selected(doc, chars);
    openAdd(form, { bounds, focus: bounds ? "label" : "start" });
    return true;
  }

  function correctSpan(row) {
    const form = addForm();
    const option = form && form.querySelector(`#add-corrects option[value="${row.dataset.span}"]`);
    if (!option) return false; // already corrected
    const selected = doc && window.annotatorSelection.selected(doc, chars);
    openAdd(form, {
      corrects: option.value,
      label: option.dataset.label,
      bounds: selected || [option.dataset.start, option.dataset.end],
      focus: selected ? "label" : "start",
    });
    return true;
  }

  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (!form || form.id !== "add-span-form") return;
    const option = event.target.name === "corrects" && event.target.selectedOptions[0];
    if (option && option.value) {
      form.elements.label.value = option.dataset.label;
      form.elements.start.value = option.dataset.start;
      form.elements.end.value = option.dataset.end;
    }
    preview(form);
  });

  function typing(el) {
    return el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    if (typing(target)) {
      const box = event.key === "Escape" && target.closest("details.reject, details.add-span");
      if (box) {
        box.open = false;
        focusRow(rowOf(target) || currentRow() || rows()[0]);
        event.preventDefault();
      }
      return;
    }
    const row = currentRow();
    let handled = true;
    // Arrows move among spans only from the list, so they still scroll the page elsewhere.
    const inList = rowOf(document.activeElement) !== null;
    if (event.key === "?") {
      const help = document.getElementById("shortcuts");
      if (help) help.open = !help.open;
    } else if (event.key === "j" || (event.key === "ArrowDown" && inList)) move(1);
    else if (event.key === "k" || (event.key === "ArrowUp" && inList)) move(-1);
    else if (!canDecide) handled = false;
    else if (event.key === "A") {
      const all = document.getElementById("approve-all");
      if (all) all.requestSubmit();
    } else if (event.key === "a" && row) {
      // A span replaced by a correction has no actions left.
      const approve = row.querySelector('form[data-decision="approve"]');
      if (approve) approve.requestSubmit();
      else handled = false;
    } else if (event.key === "r" && row) openReject(row);
    else if (/^[1-9]$/.test(event.key) && row) handled = relabel(row, event.key);
    else if (event.key === "n") handled = addSpan();
    else if (event.key === "e" && row) handled = correctSpan(row);
    else if (event.key === "v" && row) {
      const values = row.querySelector("form.values-open");
      if (values) values.requestSubmit();
      else handled = false;
    }
    else handled = false;
    if (handled) event.preventDefault();
  });

  // Start where the work is: the first undecided span.
  if (canDecide) {
    review.classList.add("compact");
    focusRow(list.querySelector(':scope > .span-row[data-status="pending"]') || rows()[0]);
  }
})();
