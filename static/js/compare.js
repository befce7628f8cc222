// The side-by-side comparison, and the gold version's page built on it.
// j and k move to the next and the previous row where the analysts differ (on the gold
// page, to every row: each one is to be decided). On the gold page, on the focused row:
// 1 to 9 accept that analyst's span, m the majority's version, x rejects the row, d
// removes its gold span, e opens its edit form (label, bounds), v its values in the
// attribute panel (panel.js, loaded first, then has the keys); A accepts every span all
// analysts agree on. After an action the page comes back on the row it acted on (?row=).
"use strict";
(() => {
  const table = document.getElementById("compare");
  if (!table) return;
  const curating = table.dataset.curating === "true";
  // The gold page (data-curating set, held or not) moves through every row.
  const everyRow = table.dataset.curating !== undefined;
  const rows = () => Array.from(table.querySelectorAll(everyRow ? "tr.compare-row" : "tr.differs"));

  function typing(el) {
    return el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  }

  function focus(row) {
    if (!row) return;
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const list = rows();
    if (!list.length) return;
    const at = list.indexOf(document.activeElement.closest("tr"));
    const next = at === -1 ? (step > 0 ? 0 : list.length - 1) : at + step;
    focus(list[Math.max(0, Math.min(list.length - 1, next))]);
  }

  function press(row, selector) {
    const button = row && row.querySelector(selector);
    if (!button) return false;
    button.click();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target)) return;
    const row = document.activeElement.closest && document.activeElement.closest("tr.compare-row");
    let handled = true;
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (!curating) handled = false;
    else if (event.key === "A") handled = press(document, "#accept-agreed button");
    else if (/^[1-9]$/.test(event.key)) {
      handled = press(row, `td[data-analyst="${event.key}"] [data-accept]`);
    } else if (event.key === "m") handled = press(row, "[data-majority]");
    else if (event.key === "x") handled = press(row, "[data-reject]");
    else if (event.key === "d") handled = press(row, "[data-remove]");
    else if (event.key === "v") handled = press(row, "form.values-open button");
    else if (event.key === "e") {
      const edit = row && row.querySelector("details.edit-gold");
      if (edit) {
        edit.open = true;
        edit.querySelector("select, input:not([type=hidden])").focus();
      } else handled = false;
    }
    else handled = false;
    if (handled) event.preventDefault();
  });

  // The values panel closed (Esc): back to the row of its gold span.
  document.addEventListener("annotator:panel-closed", (event) => {
    const form = table.querySelector(`form.values-open[data-gold="${event.detail.span}"]`);
    if (form) focus(form.closest("tr"));
  });

  const back = new URLSearchParams(window.location.search).get("row");
  if (back !== null) focus(document.getElementById(`row-${back}`));
})();
