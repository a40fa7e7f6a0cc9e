// Progressive enhancement for the edition's pages: sortable tables and a copy button.
// Everything works without it; it loads from this site only (no inline script, no other host).
"use strict";

function sortTable(table, column, button) {
  const body = table.tBodies[0];
  const header = button.closest("th");
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  const numeric = header.dataset.sort === "number";
  const key = (row) => {
    const cell = row.cells[column];
    const value = cell.dataset.value ?? cell.textContent.trim();
    return numeric ? Number.parseFloat(value) : value.toLowerCase();
  };
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return ascending ? order : -order;
  });
  for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  body.append(...rows);
}

function makeSortable(table) {
  Array.from(table.tHead.rows[0].cells).forEach((header, column) => {
    if (!header.dataset.sort) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...header.childNodes);
    header.append(button);
    button.addEventListener("click", () => sortTable(table, column, button));
  });
}

function enableCopy(button) {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.replace(/\s+/g, " ").trim());
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the text to copy it";
    }
    setTimeout(() => { button.textContent = "Copy citation"; }, 2500);
  });
}

document.querySelectorAll("table.sortable").forEach(makeSortable);
document.querySelectorAll("button[data-copy]").forEach(enableCopy);
