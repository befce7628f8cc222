// The annotation page: sentence focus, word-snapped selections, label keys, undo, submit,
// and each span's values (its attribute panel; panel.js gives the panel its own keys).
// Every action is one of the page's own forms (create, relabel and delete a span, open a
// span's values, undo, submit), filled in here and submitted as a person would, so keys,
// buttons and plain no-JavaScript posts take the same path to the same server checks.
// Offsets sent to the server count Unicode code points of the stored text; selection.js
// converts from the DOM and snaps selections to words.
"use strict";
(() => {
  const root = document.getElementById("annotate");
  if (!root) return;
  const doc = document.getElementById("doc");
  const picker = document.getElementById("picker");
  const help = document.getElementById("shortcuts");
  const confirmEmpty = document.getElementById("confirm-empty");
  const keyboardStatus = document.getElementById("keyboard-selection");
  const editable = root.dataset.editable === "true";
  const say = window.annotator.say;

  const labelByKey = {};
  const withFields = new Set(); // labels whose spans have values to fill in
  root.querySelectorAll(".label-keys [data-key]").forEach((button) => {
    labelByKey[button.dataset.key] = button.dataset.label;
    if (button.dataset.fields) withFields.add(button.dataset.label);
  });
  const panel = window.annotatorPanel;

  // The article text by code point; it never changes on this page. Offsets, words and
  // selections are selection.js's, shared with the review page.
  const kit = window.annotatorSelection;
  const chars = kit.textOf(doc);
  const slice = (start, end) => kit.slice(chars, start, end);

  // --- talking to the server -------------------------------------------------------------
  // One request at a time, in key-press order: the next form is filled only once the
  // previous answer is in, so a quick second key press cannot overwrite the first's values.
  // A row's × button is clicked rather than its form submitted: the button names the span.
  let queue = Promise.resolve();
  function enqueue(step) {
    queue = queue.then(step);
    return queue;
  }

  function request(form, values, button) {
    // Done after its last attempt (app.js sends an action again while the server is away).
    const done = window.annotator.whenDone(form);
    Object.entries(values).forEach(([name, value]) => {
      form.elements[name].value = value;
    });
    // A key press is a new action: a fresh id (app.js sets it on submit).
    if (form.elements.action_id) form.elements.action_id.value = "";
    if (button) {
      // htmx processes swapped-in content only when it settles (20 ms later): a row just
      // swapped in would lose its button's name and value without this.
      window.htmx.process(button);
      button.click();
    } else form.requestSubmit();
    return done;
  }

  const send = (form, values, button) => enqueue(() => request(form, values, button));

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

  // The sentence holding an offset: the last one starting at or before it.
  function sentenceIndexAt(offset) {
    let found = 0;
    sentences().forEach((s, i) => {
      if (Number(s.dataset.start) <= offset) found = i;
    });
    return found;
  }

  const rangeOf = (start, end) => kit.rangeOf(doc, start, end);
  const nextWord = (from) => kit.nextWord(chars, from);
  const previousWord = (before) => kit.previousWord(chars, before);
  const selectionInText = () => kit.inText(doc, chars);

  function tag(labelId, start, end) {
    if (!editable) return say(root.dataset.readOnly, true);
    const form = document.getElementById("span-form");
    send(form, { label: labelId, start, end, text: slice(start, end) }).then((status) => {
      // A label with fields: its values come next (the panel, prefilled when it can be).
      if (status !== 200 || !withFields.has(String(labelId))) return;
      const row = document.querySelector(
        `#span-items .span-item[data-start="${start}"][data-end="${end}"][data-label="${labelId}"]`,
      );
      if (row) openValues(row);
    });
  }

  // --- a span's values: its attribute panel ----------------------------------------------
  const panelForm = document.getElementById("panel-form");

  function openValues(row) {
    const button = row.querySelector("button.values-button");
    if (button) send(panelForm, {}, button);
  }

  // Closed (Esc, or saved): back to the span's row, so the next key acts on it.
  document.addEventListener("annotator:panel-closed", (event) => focusRow(event.detail.span));

  // Picking a field's words with the keyboard starts in the span's sentence.
  document.addEventListener("annotator:picking", () => {
    const spanId = document.getElementById("attribute-panel").dataset.span;
    const row = document.getElementById(`span-item-${spanId}`);
    words = null;
    showKeyboardSelection();
    if (row) focusSentence(sentenceIndexAt(Number(row.dataset.start)));
  });
  document.addEventListener("annotator:picked", () => {
    words = null;
    showKeyboardSelection();
  });

  // The save brings the list of spans lacking values up to date when it is shown.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target.id !== "attribute-form") return;
      event.target.elements.show_missing.value = missingList().length ? "1" : "";
    },
    true,
  );

  // --- spans lacking values (after a refused submit) -------------------------------------
  const missingList = () => Array.from(document.querySelectorAll("#missing-values .missing-item"));

  function showInText(id) {
    const marks = Array.from(doc.querySelectorAll("mark[data-spans]")).filter((m) =>
      m.dataset.spans.split(" ").includes(id),
    );
    if (!marks.length) return;
    marks[0].scrollIntoView({ block: "center" });
    doc.querySelectorAll(".flash").forEach((m) => m.classList.remove("flash"));
    marks.forEach((m) => m.classList.add("flash"));
  }

  // An item opens its span's panel (its button submits the panel's form) and shows the
  // span in the text.
  document.addEventListener("click", (event) => {
    const item = event.target.closest(".missing-item");
    if (item) showInText(item.dataset.span);
  });

  function moveInMissing(step) {
    const items = missingList();
    const i = items.indexOf(document.activeElement);
    const next = items[Math.max(0, Math.min(items.length - 1, i + step))];
    if (next) next.focus();
  }

  function tagSelectionOrSentence(labelId) {
    // The keyboard's words first: a fragment swap may have just replaced the text nodes the
    // page's selection was on (it is set again once the swap settles).
    const keyed = keyboardRange();
    if (keyed) {
      tag(labelId, ...keyed);
      clearSelection();
      return;
    }
    const selected = selectionInText();
    if (selected && selected.outside) return say(root.dataset.outsideText, true);
    if (selected) {
      tag(labelId, ...selected.range);
      clearSelection();
      return;
    }
    const sentence = currentSentence();
    if (sentence) tag(labelId, Number(sentence.dataset.start), Number(sentence.dataset.end));
    else say(root.dataset.nothingSelected, true);
  }

  function hidePicker() {
    picker.hidden = true;
  }

  function clearSelection() {
    window.getSelection().removeAllRanges();
    hidePicker();
    if (words) words.shown = false;
    showKeyboardSelection();
  }

  // The mouse may end a drag anywhere (the sidebar too): the picker goes beside the part
  // of the selection that is in the text.
  document.addEventListener("mouseup", (event) => {
    if (picker.contains(event.target)) return;
    const selected = editable && selectionInText();
    if (!selected || selected.outside) return hidePicker();
    const rects = rangeOf(...selected.range).getClientRects();
    const rect = rects[rects.length - 1];
    picker.hidden = false;
    // CSSOM, not a style attribute: allowed by the Content Security Policy.
    picker.style.left = `${Math.max(8, rect.left + window.scrollX)}px`;
    picker.style.top = `${rect.bottom + window.scrollY + 6}px`;
  });
  document.addEventListener("selectionchange", () => {
    if (window.getSelection().isCollapsed) hidePicker();
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

  // --- the keyboard's word selection -----------------------------------------------------
  // Whole words from `anchor` to `cursor` (each [start, end]), shown as the page's real
  // selection, so a label key tags it exactly as it tags a mouse selection. After tagging
  // the cursor stays (not shown): the next word key goes on from there.
  let words = null;

  function keyboardRange() {
    if (!words || !words.shown) return null;
    return [Math.min(words.anchor[0], words.cursor[0]), Math.max(words.anchor[1], words.cursor[1])];
  }

  function showKeyboardSelection() {
    const range = keyboardRange();
    doc.classList.toggle("keyboard-selecting", Boolean(range));
    keyboardStatus.hidden = !range;
    if (!range) return;
    const [start, end] = range;
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(rangeOf(start, end));
    keyboardStatus.textContent = root.dataset.keyboardSelection.replace(
      "%(text)s",
      `« ${slice(start, end)} »`,
    );
  }

  function moveWord(step, extend) {
    let cursor = null;
    if (words) cursor = step > 0 ? nextWord(words.cursor[1]) : previousWord(words.cursor[0]);
    else {
      const sentence = currentSentence();
      cursor = nextWord(sentence ? Number(sentence.dataset.start) : 0);
    }
    if (!cursor) cursor = words ? words.cursor : null; // an end of the text: stay there
    if (!cursor) return;
    const anchor = extend && words && words.shown ? words.anchor : cursor;
    words = { anchor, cursor, shown: true };
    const index = sentenceIndexAt(cursor[0]);
    if (index !== focusIndex) focusSentence(index);
    showKeyboardSelection();
  }

  function dropWords() {
    if (words && words.shown) clearSelection();
    words = null;
  }

  document.addEventListener("mousedown", (event) => {
    if (picker.contains(event.target)) return;
    words = null;
    showKeyboardSelection();
  });

  // After a fragment swap the sentence elements are new: keep the focus and the keyboard
  // selection where they were.
  document.body.addEventListener("htmx:afterSettle", () => {
    if (focusIndex !== null) {
      const el = sentences()[focusIndex];
      if (el) {
        el.classList.add("focused");
        el.setAttribute("aria-current", "true");
      }
    }
    if (words && words.shown) showKeyboardSelection();
    markReviewDecisions();
  });

  // --- the span list ---------------------------------------------------------------------
  function focusedSpan() {
    return document.activeElement && document.activeElement.closest(".span-item");
  }

  function focusRow(id) {
    const button = id && document.querySelector(`#span-item-${id} .span-focus`);
    if (button) button.focus();
    return Boolean(button);
  }

  // Leaving the list for the text: the label keys then tag instead of relabelling.
  function leaveList() {
    if (focusedSpan()) document.activeElement.blur();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".span-focus");
    if (!button) return;
    showInText(button.closest(".span-item").dataset.span);
  });

  // A removed row hands the focus on to the next row (the previous one if it was last), so
  // x can be pressed again; a refused removal keeps it on the row.
  document.addEventListener("click", (event) => {
    const remove = event.target.closest("button.remove");
    if (!remove) return;
    const item = remove.closest(".span-item");
    const next = item.nextElementSibling || item.previousElementSibling;
    const then = next && next.dataset.span;
    window.annotator.whenDone(remove.form).then(() => focusRow(item.dataset.span) || focusRow(then));
  });

  // After an undo the server names the span it restored or changed (or the row now in the
  // place of the span it removed).
  document.body.addEventListener("annotator:focus-span", (event) => focusRow(event.detail.span));

  // The reviewer's decisions in the text, after a return: the rows say what was decided;
  // the span's marks get a class (struck through, or outlined) and its first one a word.
  function markReviewDecisions() {
    const decided = new Map();
    document.querySelectorAll("#span-items [data-review]").forEach((item) => {
      decided.set(item.dataset.span, item.dataset.review);
    });
    const labelled = new Set();
    doc.querySelectorAll("mark[data-spans]").forEach((mark) => {
      mark.classList.remove("review-rejected", "review-relabelled");
      delete mark.dataset.review;
      if (!decided.size) return;
      mark.dataset.spans.split(" ").forEach((id) => {
        const review = decided.get(id);
        if (!review) return;
        mark.classList.add(`review-${review}`);
        if (labelled.has(id)) return;
        labelled.add(id); // marks come in text order: this is the span's first
        mark.dataset.review =
          review === "rejected" ? root.dataset.reviewRejected : root.dataset.reviewRelabelled;
      });
    });
  }
  markReviewDecisions();

  // --- suggestions -----------------------------------------------------------------------
  // ] and [ move through the list of suggestions (in text order) and outline the focused
  // one in the text; a accepts it, r rejects it, A accepts all of its label. Each is one of
  // the row's buttons, sent as a key press would (one request at a time, a fresh id).
  const suggestionItems = () => Array.from(document.querySelectorAll("#suggestion-items .suggestion-item"));
  let currentSuggestion = null; // its id: the row is swapped when the list changes

  function focusSuggestion(item) {
    document.querySelectorAll("mark.sug.is-current").forEach((m) => m.classList.remove("is-current"));
    currentSuggestion = item ? item.dataset.suggestion : null;
    if (!item) return;
    item.focus();
    const marks = Array.from(doc.querySelectorAll("mark[data-suggestions]")).filter((m) =>
      m.dataset.suggestions.split(" ").includes(currentSuggestion),
    );
    marks.forEach((m) => m.classList.add("is-current"));
    if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
  }

  function moveSuggestion(step) {
    const items = suggestionItems();
    if (!items.length) return say(root.dataset.noSuggestions, true);
    const at = items.findIndex((i) => i.dataset.suggestion === currentSuggestion);
    const next = at === -1 ? (step > 0 ? 0 : items.length - 1) : at + step;
    focusSuggestion(items[Math.max(0, Math.min(items.length - 1, next))]);
  }

  function decideSuggestion(selector) {
    const item = document.getElementById(`suggestion-${currentSuggestion}`);
    if (!item) return say(root.dataset.noSuggestionFocused, true);
    if (!editable) return say(root.dataset.readOnly, true);
    const button = item.querySelector(selector);
    const items = suggestionItems();
    const following = items[items.indexOf(item) + 1] || items[items.indexOf(item) - 1];
    const then = following && following.dataset.suggestion;
    // Once decided the row is gone: the next one (or the previous) takes the focus.
    send(button.form, {}, button).then(() => {
      const next = then && document.getElementById(`suggestion-${then}`);
      focusSuggestion(next || null);
    });
  }

  // --- submitting ------------------------------------------------------------------------
  // An article with no span is submitted only once confirmed: Shift+Enter is easily hit by
  // mistake. The server asks too (a page of its own) when the form is posted without this.
  const submitForm = document.getElementById("submit-form");

  function askToSubmitEmpty() {
    return new Promise((done) => {
      confirmEmpty.returnValue = "";
      confirmEmpty.addEventListener(
        "close",
        () => {
          if (confirmEmpty.returnValue === "submit") {
            request(submitForm, { confirm_empty: "1" }).then(done);
          } else done();
        },
        { once: true },
      );
      confirmEmpty.showModal();
    });
  }

  function submitWork() {
    if (!editable) return;
    enqueue(() => {
      const empty = !document.querySelector("#span-items .span-item");
      if (empty) return askToSubmitEmpty();
      return request(submitForm, { confirm_empty: "" }).then((status) => {
        // Refused for spans lacking values: the list of them, its first item focused.
        const first = missingList()[0];
        if (status === 409 && first) first.focus();
      });
    });
  }

  if (submitForm) {
    document.getElementById("submit-button").addEventListener("click", (event) => {
      event.preventDefault();
      submitWork();
    });
  }

  // --- keys ------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (help.open || (confirmEmpty && confirmEmpty.open)) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key;
    const picking = panel.picking();
    const inMissing = event.target.closest("#missing-values");
    if (inMissing && ["j", "k", "ArrowDown", "ArrowUp"].includes(key)) {
      moveInMissing(key === "j" || key === "ArrowDown" ? 1 : -1);
    } else if (picking && (labelByKey[key] || key === "x" || key === "Delete" || key === "v")) {
      // Choosing a field's words: these keys would act on spans.
    } else if (key === "?") {
      help.showModal();
    } else if (key === "Enter" && event.shiftKey) {
      submitWork();
    } else if ((key === "z" || key === "Z") && (event.ctrlKey || event.metaKey)) {
      if (editable) send(document.getElementById("undo-form"), {});
    } else if (event.ctrlKey || event.metaKey || event.altKey) {
      // Ctrl+A and the like make a selection of their own: the keyboard's words give way.
      if (words) {
        words = null;
        showKeyboardSelection();
      }
      return;
    } else if (key === "j" || key === "ArrowDown") {
      leaveList();
      dropWords();
      focusSentence(focusIndex === null ? 0 : focusIndex + 1);
    } else if (key === "k" || key === "ArrowUp") {
      leaveList();
      dropWords();
      focusSentence(focusIndex === null ? 0 : focusIndex - 1);
    } else if (key === "l" || key === "L" || key === "ArrowRight") {
      leaveList();
      moveWord(1, event.shiftKey);
      if (picking) panel.fill(keyboardRange());
    } else if (key === "h" || key === "H" || key === "ArrowLeft") {
      leaveList();
      moveWord(-1, event.shiftKey);
      if (picking) panel.fill(keyboardRange());
    } else if (key === "v") {
      const item = focusedSpan();
      if (!item) return say(root.dataset.noSpanForValues, true);
      openValues(item);
    } else if (key === "u") {
      if (editable) send(document.getElementById("undo-form"), {});
    } else if (key === "x" || key === "Delete") {
      const item = focusedSpan();
      if (!item) return say(root.dataset.noSpanFocused, true);
      const remove = item.querySelector("button.remove");
      if (editable) send(remove.form, {}, remove);
    } else if (key === "]" || key === "[") {
      leaveList();
      moveSuggestion(key === "]" ? 1 : -1);
    } else if (key === "a") {
      decideSuggestion("button.accept");
    } else if (key === "r") {
      decideSuggestion("button.reject");
    } else if (key === "A") {
      decideSuggestion("button.accept-label");
    } else if (key === "Escape") {
      clearSelection();
    } else if (labelByKey[key]) {
      const item = focusedSpan();
      if (item && editable) {
        const id = item.dataset.span;
        const form = document.getElementById("relabel-form");
        // The row is replaced: focus its new self, so the next key acts on it again.
        send(form, { span: id, label: labelByKey[key] }).then(() => focusRow(id));
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
