// Selections in an article's text (#doc, whose segments carry data-o, their start offset),
// for every page that lets people draw spans (the annotation and review pages). Offsets
// are code points of the stored text, as Python indexes a str; the DOM counts UTF-16
// units, so every conversion goes through Array.from (which splits by code point).
//
//   const chars = annotatorSelection.textOf(doc);             // offset → character
//   annotatorSelection.inText(doc, chars)                     // {range} | {outside} | null
//   annotatorSelection.selected(doc, chars)                   // [start, end] or null
//   annotatorSelection.rangeOf(doc, start, end)               // a DOM Range
//   annotatorSelection.nextWord(chars, from) / previousWord(chars, before)
//   annotatorSelection.slice(chars, start, end)               // the text, or null
"use strict";
window.annotatorSelection = (() => {
  // The article text by code point, rebuilt from the segments (line breaks are not
  // rendered as segments, so gaps are newlines).
  function textOf(doc) {
    const chars = [];
    for (const seg of doc.querySelectorAll(".seg")) {
      let o = Number(seg.dataset.o);
      for (const c of seg.textContent) chars[o++] = c;
    }
    for (let i = 0; i < chars.length; i++) if (chars[i] === undefined) chars[i] = "\n";
    return chars;
  }

  // A point outside the text counts as its nearer end: a selection that runs past the text
  // (a drag into the sidebar, Ctrl+A) is clipped to it.
  function pointToOffset(doc, chars, node, offset) {
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

  // The DOM point of a code-point offset: in the segment holding it (a mark's label badge
  // is an empty element, so the text nodes hold all of a segment's characters).
  function offsetToPoint(doc, offset) {
    const segs = doc.querySelectorAll(".seg");
    for (const seg of segs) {
      const start = Number(seg.dataset.o);
      const text = Array.from(seg.textContent);
      if (offset > start + text.length) continue;
      let units = text.slice(0, Math.max(0, offset - start)).join("").length;
      const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (units <= node.data.length) return [node, units];
        units -= node.data.length;
      }
      return [seg, seg.childNodes.length];
    }
    const last = segs[segs.length - 1];
    return [last, last.childNodes.length];
  }

  function rangeOf(doc, start, end) {
    const range = document.createRange();
    range.setStart(...offsetToPoint(doc, start));
    range.setEnd(...offsetToPoint(doc, end));
    return range;
  }

  // --- words -------------------------------------------------------------------------------
  const isWord = (c) => c !== undefined && /[\p{L}\p{N}\p{M}]/u.test(c);
  const isDigit = (c) => c !== undefined && /\p{Nd}/u.test(c);
  function digitsBefore(chars, i) {
    let n = 0;
    while (isDigit(chars[i - 1 - n])) n++;
    return n;
  }
  function digitsAfter(chars, i) {
    let n = 0;
    while (isDigit(chars[i + 1 + n])) n++;
    return n;
  }
  // Some characters join a word: an apostrophe or hyphen between letters (aujourd’hui,
  // Saint-Ombrel); a comma or point between digits (3,5, 1.200); a space (plain, no-break
  // or narrow no-break) inside a number written in groups: 1 to 3 digits, then groups of
  // exactly 3 (1 200, 12 500 000). So a year is never joined to the number after it:
  // in "en 2019 1 200 personnes", 2019 has 4 digits and 1 200 stays a number of its own.
  function joins(chars, i) {
    const c = chars[i] || "";
    if (/['’\-]/u.test(c)) return isWord(chars[i - 1]) && isWord(chars[i + 1]);
    if (/[,.]/u.test(c)) return isDigit(chars[i - 1]) && isDigit(chars[i + 1]);
    if (/[ \u00a0\u202f]/u.test(c)) {
      const before = digitsBefore(chars, i);
      return before >= 1 && before <= 3 && digitsAfter(chars, i) === 3;
    }
    return false;
  }
  const inWord = (chars, i) => isWord(chars[i]) || joins(chars, i);

  // A selection that starts or ends inside a word takes the whole word; spaces at its ends go.
  function snap(chars, start, end) {
    while (start > 0 && inWord(chars, start - 1) && inWord(chars, start)) start--;
    while (end < chars.length && inWord(chars, end - 1) && inWord(chars, end)) end++;
    while (start < end && /\s/u.test(chars[start]) && !joins(chars, start)) start++;
    while (end > start && /\s/u.test(chars[end - 1]) && !joins(chars, end - 1)) end--;
    return [start, end];
  }

  // The first word at or after `from`, the last one ending at or before `before`.
  function nextWord(chars, from) {
    let start = from;
    while (start < chars.length && !inWord(chars, start)) start++;
    if (start >= chars.length) return null;
    let end = start;
    while (end < chars.length && inWord(chars, end)) end++;
    return [start, end];
  }

  function previousWord(chars, before) {
    let end = before;
    while (end > 0 && !inWord(chars, end - 1)) end--;
    if (end <= 0) return null;
    let start = end;
    while (start > 0 && inWord(chars, start - 1)) start--;
    return [start, end];
  }

  // --- the page's selection ------------------------------------------------------------------
  // As offsets in the text, snapped to words: {range: [start, end]}, {outside: true} when
  // nothing of it is in the text, or null when nothing is selected.
  function inText(doc, chars) {
    const selection = window.getSelection();
    if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(doc)) return { outside: true };
    const [start, end] = snap(
      chars,
      pointToOffset(doc, chars, range.startContainer, range.startOffset),
      pointToOffset(doc, chars, range.endContainer, range.endOffset),
    );
    return start < end ? { range: [start, end] } : { outside: true };
  }

  function selected(doc, chars) {
    const found = inText(doc, chars);
    return found && found.range ? found.range : null;
  }

  function slice(chars, start, end) {
    if (start < 0 || end > chars.length || start >= end) return null;
    return chars.slice(start, end).join("");
  }

  return { textOf, inText, selected, rangeOf, nextWord, previousWord, slice };
})();
