// Starts pagefind's search interface on the search page (pagefind-ui.js is loaded before this).
// A large edition's index is split into shards (teiedition.search_index); pagefind/shards.json
// lists the shards beyond the first, and the interface searches all of them as one index.
"use strict";

async function shardBundles(folder) {
  try {
    const response = await fetch(new URL("pagefind/shards.json", folder));
    if (!response.ok) return [];
    const shards = await response.json();
    // Absolute paths: pagefind fetches them from its worker, whose base is pagefind/.
    return shards.map((shard) => ({
      bundlePath: new URL(shard + "/", folder).pathname,
      baseUrl: folder.pathname,
    }));
  } catch {
    return [];
  }
}

window.addEventListener("DOMContentLoaded", async () => {
  const element = document.querySelector("[data-search-ui]");
  if (!element || typeof PagefindUI === "undefined") return;
  const query = new URLSearchParams(window.location.search).get("q");
  const folder = new URL(".", window.location.href);
  const ui = new PagefindUI({
    element: "#" + element.id,
    // Result links relative to this page's folder, so the site works below any path.
    baseUrl: folder.pathname,
    mergeIndex: await shardBundles(folder),
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
