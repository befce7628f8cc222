// A selection in an article's text (#doc, whose segments carry data-o, their start offset)
// as code-point offsets into the stored text, snapped to whole words. For any page that lets
// people draw spans; the review page uses it (annotate.js still has its own copy).
//
//   const chars = annotatorSelection.textOf(doc);        // offset → character
//   annotatorSelection.selected(doc, chars)              // [start, end] or null
//   annotatorSelection.slice(chars, start, end)          // the text, or null across a gap
"use strict";
window.annotatorSelection = (() => {
  function textOf(doc) {
    const chars = [];
    for (const seg of doc.querySelectorAll(".seg")) {
      let o = Number(seg.dataset.o);
      for (const c of seg.textContent) chars[o++] = c;
    }
    return chars;
  }

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

  const isWord = (c) => c !== undefined && /[\p{L}\p{N}\p{M}]/u.test(c);
  const isDigit = (c) => c !== undefined && /\p{N}/u.test(c);
  // An apostrophe or hyphen between letters (aujourd’hui) and a no-break space, comma or
  // point between digits (1 850, 3,5) belong to the word, as on the annotation page.
  function inWord(chars, i) {
    const c = chars[i] || "";
    return (
      isWord(chars[i]) ||
      (/['’\-]/u.test(c) && isWord(chars[i - 1]) && isWord(chars[i + 1])) ||
      (/[\u00a0\u202f,.]/u.test(c) && isDigit(chars[i - 1]) && isDigit(chars[i + 1]))
    );
  }

  function snap(chars, start, end) {
    while (start > 0 && inWord(chars, start - 1) && inWord(chars, start)) start--;
    while (end < chars.length && inWord(chars, end - 1) && inWord(chars, end)) end++;
    while (start < end && /\s/u.test(chars[start] || "")) start++;
    while (end > start && /\s/u.test(chars[end - 1] || "")) end--;
    return [start, end];
  }

  function selected(doc, chars) {
    const selection = window.getSelection();
    if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!doc.contains(range.commonAncestorContainer)) return null;
    const [start, end] = snap(
      chars,
      pointToOffset(doc, chars, range.startContainer, range.startOffset),
      pointToOffset(doc, chars, range.endContainer, range.endOffset),
    );
    return start < end ? [start, end] : null;
  }

  function slice(chars, start, end) {
    let text = "";
    for (let i = start; i < end; i++) {
      if (chars[i] === undefined) return null;
      text += chars[i];
    }
    return text;
  }

  return { textOf, selected, slice };
})();
