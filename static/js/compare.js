// The side-by-side comparison: j and k move to the next and the previous row where the
// analysts differ (the keys of the review page's list).
"use strict";
(() => {
  const table = document.getElementById("compare");
  if (!table) return;
  const differing = () => Array.from(table.querySelectorAll("tr.differs"));

  function typing(el) {
    return el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  }

  function move(step) {
    const rows = differing();
    if (!rows.length) return;
    const at = rows.indexOf(document.activeElement);
    const next = at === -1 ? (step > 0 ? 0 : rows.length - 1) : at + step;
    const row = rows[Math.max(0, Math.min(rows.length - 1, next))];
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target)) return;
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else return;
    event.preventDefault();
  });
})();
