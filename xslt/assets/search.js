// Starts pagefind's search interface on the search page (pagefind-ui.js is loaded before this).
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const element = document.querySelector("[data-search-ui]");
  if (!element || typeof PagefindUI === "undefined") return;
  const query = new URLSearchParams(window.location.search).get("q");
  const ui = new PagefindUI({
    element: "#" + element.id,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    openFilters: ["person"],
  });
  if (query) ui.triggerSearch(query);
});
