// Starts pagefind's search interface on the search page (pagefind-ui.js is loaded before this).
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const element = document.querySelector("[data-search-ui]");
  if (!element || typeof PagefindUI === "undefined") return;
  const query = new URLSearchParams(window.location.search).get("q");
  const ui = new PagefindUI({
    element: "#" + element.id,
    // Result links relative to this page's folder, so the site works below any path.
    baseUrl: new URL(".", window.location.href).pathname,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    openFilters: ["person"],
  });
  // pagefind's field has no visible label; give it one that names it for every reader.
  const input = element.querySelector("input[type='text'], input[type='search']");
  if (input) {
    input.id = input.id || "search-input";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "search-label";
    label.textContent = "Search the documents";
    element.prepend(label);
  }
  if (query) ui.triggerSearch(query);
});
