/* The search box of the A to Z page. It finds guides, their pages and glossary words by name and other names,
   forgiving spelling: its index is the page's own #search-index, written by the build (patientsite/a_z.py).
   Without this script the box stays hidden and the A to Z list below it does the same job. Nothing typed
   leaves the page. */
(() => {
  "use strict";

  const MAX_RESULTS = 12;
  /* Spellings that differ between countries, or that readers mix up, compare as one: leukaemia, leukemia and
     leucemia; neutrophil and neutrofil; haematologist and hematologist; tumour and tumor; sulphur and sulfur. */
  const SPELLINGS = [[/æ/g, "ae"], [/œ/g, "oe"], [/ae|oe/g, "e"], [/ou/g, "o"], [/ph/g, "f"], [/k/g, "c"],
    [/z/g, "s"], [/y/g, "i"], [/(.)\1+/g, "$1"]];

  const search = document.getElementById("site-search");
  const box = document.getElementById("search-box");
  const status = document.getElementById("search-status");
  const results = document.getElementById("search-results");

  /* Lower case, no accents, words apart by one space, then the spellings above. */
  const fold = (text) => SPELLINGS.reduce((folded, [from, to]) => folded.replace(from, to),
    text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim());

  const entries = JSON.parse(document.getElementById("search-index").textContent).map((entry) => (
    { ...entry, names: [entry.name, ...(entry.words || [])].map(fold) }));

  /* How many letters must change to turn a into b (Levenshtein). */
  function distance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }

  /* A typo forgiven: none in a word of up to 3 letters, 1 up to 7, 2 from 8. */
  const tolerance = (query) => (query.length < 4 ? 0 : query.length < 8 ? 1 : 2);

  /* How well a folded name matches the folded query: 4 it starts with it, 3 a word of it does, 2 it holds it,
     1 a part of it starting at a word is within the typos forgiven, 0 no match. */
  function score(name, query) {
    if (name.startsWith(query)) return 4;
    if (name.includes(" " + query)) return 3;
    if (query.length > 2 && name.includes(query)) return 2;
    const allowed = tolerance(query);
    if (!allowed) return 0;
    const starts = [0, ...Array.from(name.matchAll(/ /g), (space) => space.index + 1)];
    const close = (start) => [-1, 0, 1].some((more) =>
      distance(query, name.slice(start, start + query.length + more)) <= allowed);
    return starts.some(close) ? 1 : 0;
  }

  function find(text) {
    const query = fold(text);
    if (!query) return [];
    return entries
      .map((entry, order) => ({ entry, order, score: Math.max(...entry.names.map((name) => score(name, query))) }))
      .filter((found) => found.score > 0)
      .sort((a, b) => b.score - a.score || a.entry.name.length - b.entry.name.length || a.order - b.order)
      .slice(0, MAX_RESULTS)
      .map((found) => found.entry);
  }

  function resultItem(entry) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = entry.href;
    link.textContent = entry.name;
    item.append(link);
    if (entry.about) {
      const about = document.createElement("span");
      about.className = "search-about";
      about.textContent = entry.about;
      item.append(" ", about);
    }
    return item;
  }

  function show() {
    const found = find(box.value);
    results.replaceChildren(...found.map(resultItem));
    if (!fold(box.value)) status.textContent = "";
    else status.textContent = found.length ? status.dataset.found.replace("{count}", found.length) : status.dataset.none;
  }

  box.addEventListener("input", show);
  box.addEventListener("keydown", (event) => {
    const first = results.querySelector("a");
    if (event.key === "Enter" && first) first.click();
  });
  search.hidden = false;
  if (box.value) show();  // a value the browser kept on going back
})();
