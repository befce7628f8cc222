// The annotation page: sentence focus, word-snapped selections, label keys, undo, submit.
// Every action is one of the page's own forms (create, relabel and delete a span, undo,
// submit), filled in here and submitted as a person would, so keys, buttons and plain
// no-JavaScript posts take the same path to the same server checks.
// Offsets sent to the server count Unicode code points, as Python indexes a str; the DOM
// counts UTF-16 units, so every conversion goes through Array.from (which splits by code
// point) and each segment's data-o (its start, in code points).
"use strict";
(() => {
  const root = document.getElementById("annotate");
  if (!root) return;
  const doc = document.getElementById("doc");
  const picker = document.getElementById("picker");
  const help = document.getElementById("shortcuts");
  const editable = root.dataset.editable === "true";
  const say = window.annotator.say;

  const labelByKey = {};
  root.querySelectorAll(".label-keys [data-key]").forEach((button) => {
    labelByKey[button.dataset.key] = button.dataset.label;
  });

  // The article text by code point, rebuilt from the segments (line breaks are not
  // rendered as segments, so gaps are newlines). It never changes on this page.
  const chars = [];
  doc.querySelectorAll(".seg").forEach((seg) => {
    const start = Number(seg.dataset.o);
    Array.from(seg.textContent).forEach((c, i) => {
      chars[start + i] = c;
    });
  });
  for (let i = 0; i < chars.length; i++) if (chars[i] === undefined) chars[i] = "\n";
  const slice = (start, end) => chars.slice(start, end).join("");

  // --- talking to the server -------------------------------------------------------------
  // One request at a time, in key-press order: the next form is filled only once the
  // previous answer is in, so a quick second key press cannot overwrite the first's values.
  // A row's × button is clicked rather than its form submitted: the button names the span.
  let queue = Promise.resolve();
  function send(form, values, button) {
    queue = queue.then(
      () =>
        new Promise((done) => {
          form.addEventListener("htmx:afterRequest", done, { once: true });
          Object.entries(values).forEach(([name, value]) => {
            form.elements[name].value = value;
          });
          // A key press is a new action: a fresh id (app.js sets it on submit).
          if (form.elements.action_id) form.elements.action_id.value = "";
          if (button) button.click();
          else form.requestSubmit();
        }),
    );
  }

  // --- sentences -------------------------------------------------------------------------
  let focusIndex = null;
  const sentences = () => Array.from(doc.querySelectorAll(".sent"));

  function focusSentence(index) {
    const all = sentences();
    if (!all.length) return;
    const i = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((s) => {
      s.classList.remove("focused");
      s.removeAttribute("aria-current");
    });
    const el = all[i];
    el.classList.add("focused");
    el.setAttribute("aria-current", "true");
    el.scrollIntoView({ block: "nearest" });
    focusIndex = i;
  }

  function currentSentence() {
    return focusIndex === null ? null : sentences()[focusIndex];
  }

  // After a fragment swap the sentence elements are new: keep the focus where it was.
  document.body.addEventListener("htmx:afterSettle", () => {
    if (focusIndex !== null) {
      const el = sentences()[focusIndex];
      if (el) {
        el.classList.add("focused");
        el.setAttribute("aria-current", "true");
      }
    }
  });

  // --- selections ------------------------------------------------------------------------
  function pointToOffset(node, offset) {
    const point = document.createRange();
    point.setStart(node, offset);
    for (const seg of doc.querySelectorAll(".seg")) {
      // The first segment that does not end before the point holds it (or follows it).
      if (point.comparePoint(seg, seg.childNodes.length) < 0) continue;
      if (point.comparePoint(seg, 0) > 0) return Number(seg.dataset.o);
      const inside = document.createRange();
      inside.setStart(seg, 0);
      inside.setEnd(node, offset);
      return Number(seg.dataset.o) + Array.from(inside.toString()).length;
    }
    return chars.length;
  }

  const isWord = (c) => c !== undefined && /[\p{L}\p{N}\p{M}]/u.test(c);
  const isDigit = (c) => c !== undefined && /\p{N}/u.test(c);
  // Some characters join a word: an apostrophe or hyphen between letters (aujourd’hui,
  // Saint-Ombrel); a no-break space, comma or point between digits (1 850, 3,5, 1.200).
  const joins = (i) =>
    (/['’\-]/u.test(chars[i] || "") && isWord(chars[i - 1]) && isWord(chars[i + 1])) ||
    (/[\u00a0\u202f,.]/u.test(chars[i] || "") && isDigit(chars[i - 1]) && isDigit(chars[i + 1]));
  const inWord = (i) => isWord(chars[i]) || joins(i);

  function snap(start, end) {
    while (start > 0 && inWord(start - 1) && inWord(start)) start--;
    while (end < chars.length && inWord(end - 1) && inWord(end)) end++;
    while (start < end && /\s/u.test(chars[start])) start++;
    while (end > start && /\s/u.test(chars[end - 1])) end--;
    return [start, end];
  }

  function selectedRange() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!doc.contains(range.commonAncestorContainer)) return null;
    const [start, end] = snap(
      pointToOffset(range.startContainer, range.startOffset),
      pointToOffset(range.endContainer, range.endOffset),
    );
    return start < end ? [start, end] : null;
  }

  function tag(labelId, start, end) {
    if (!editable) return say(root.dataset.readOnly, true);
    const form = document.getElementById("span-form");
    send(form, { label: labelId, start, end, text: slice(start, end) });
  }

  function tagSelectionOrSentence(labelId) {
    const range = selectedRange();
    if (range) {
      tag(labelId, range[0], range[1]);
      window.getSelection().removeAllRanges();
      hidePicker();
      return;
    }
    const sentence = currentSentence();
    if (sentence) tag(labelId, Number(sentence.dataset.start), Number(sentence.dataset.end));
    else say(root.dataset.nothingSelected, true);
  }

  function hidePicker() {
    picker.hidden = true;
  }

  doc.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (!editable || selection.isCollapsed || !selectedRange()) return hidePicker();
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    picker.hidden = false;
    // CSSOM, not a style attribute: allowed by the Content Security Policy.
    picker.style.left = `${Math.max(8, rect.left + window.scrollX)}px`;
    picker.style.top = `${rect.bottom + window.scrollY + 6}px`;
  });
  picker.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  picker.addEventListener("click", (event) => {
    const button = event.target.closest("[data-label]");
    if (button) tagSelectionOrSentence(button.dataset.label);
  });
  root.querySelectorAll(".label-keys [data-label]").forEach((button) =>
    button.addEventListener("click", () => tagSelectionOrSentence(button.dataset.label)),
  );

  doc.addEventListener("click", (event) => {
    if (!window.getSelection().isCollapsed) return;
    const sentence = event.target.closest(".sent");
    if (sentence) focusSentence(sentences().indexOf(sentence));
  });

  // --- the span list ---------------------------------------------------------------------
  function focusedSpan() {
    return document.activeElement && document.activeElement.closest(".span-item");
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".span-focus");
    if (!button) return;
    const id = button.closest(".span-item").dataset.span;
    const mark = Array.from(doc.querySelectorAll("mark[data-spans]")).find((m) =>
      m.dataset.spans.split(" ").includes(id),
    );
    if (!mark) return;
    mark.scrollIntoView({ block: "center" });
    doc.querySelectorAll(".flash").forEach((m) => m.classList.remove("flash"));
    doc.querySelectorAll("mark[data-spans]").forEach((m) => {
      if (m.dataset.spans.split(" ").includes(id)) m.classList.add("flash");
    });
  });

  // --- keys ------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (help.open) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key;
    if (key === "?") {
      help.showModal();
    } else if (key === "Enter" && event.shiftKey) {
      if (editable) send(document.getElementById("submit-form"), {});
    } else if ((key === "z" || key === "Z") && (event.ctrlKey || event.metaKey)) {
      if (editable) send(document.getElementById("undo-form"), {});
    } else if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    } else if (key === "j" || key === "ArrowDown") {
      focusSentence(focusIndex === null ? 0 : focusIndex + 1);
    } else if (key === "k" || key === "ArrowUp") {
      focusSentence(focusIndex === null ? 0 : focusIndex - 1);
    } else if (key === "u") {
      if (editable) send(document.getElementById("undo-form"), {});
    } else if (key === "x" || key === "Delete") {
      const item = focusedSpan();
      if (!item) return say(root.dataset.noSpanFocused, true);
      const remove = item.querySelector("button.remove");
      if (editable) send(remove.form, {}, remove);
    } else if (key === "Escape") {
      hidePicker();
    } else if (labelByKey[key]) {
      const item = focusedSpan();
      if (item && editable) {
        send(document.getElementById("relabel-form"), { span: item.dataset.span, label: labelByKey[key] });
      } else {
        tagSelectionOrSentence(labelByKey[key]);
      }
    } else {
      return;
    }
    event.preventDefault();
  });

  document.getElementById("help-button").addEventListener("click", () => help.showModal());
})();
