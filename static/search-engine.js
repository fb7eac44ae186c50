/* The search itself (static/search.js, on every page, adds this script when the reader starts searching; the A
   to Z page carries it). The header's field searches the whole text of the site in the page's language, section
   by section, in its index (assets/search-index-<language>.js, written by patientsite/search.py). The A to Z
   page's own box finds names in the index inside that page (patientsite/a_z.py). Nothing typed leaves the page. */
(() => {
  "use strict";

  const MAX_RESULTS = 12;
  const SNIPPET_CHARS = 160;
  const TYPO = 0.6;  // how well a word with a typo forgiven answers, against 1 for the word as typed
  /* Where a word is found, and what that weighs: a section's heading (a page's title for its top), the titles
     of its boxes, a page's summary and key points, its text, the other names of what it speaks of. */
  const WEIGHTS = { heading: 4, boxes: 3, lead: 2, text: 1, names: 1 };
  /* Spellings that differ between countries, or that readers mix up, compare as one: leukaemia, leukemia and
     leucemia; neutrophil and neutrofil; haematologist and hematologist; tumour and tumor; sulphur and sulfur. */
  const SPELLINGS = [[/æ/g, "ae"], [/œ/g, "oe"], [/ae|oe/g, "e"], [/ou/g, "o"], [/ph/g, "f"], [/k/g, "c"],
    [/z/g, "s"], [/y/g, "i"], [/(.)\1+/g, "$1"]];

  /* Lower case, no accents, words apart by one space, then the spellings above. */
  const fold = (text) => SPELLINGS.reduce((folded, [from, to]) => folded.replace(from, to),
    text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim());
  const words = (text) => fold(text).split(" ").filter(Boolean);

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

  /* A typo forgiven: none in a word of up to 4 letters, 1 up to 7, 2 from 8. */
  const tolerance = (query) => (query.length < 5 ? 0 : query.length < 8 ? 1 : 2);

  /* --- the whole site, from the header ------------------------------------------------------------------ */

  /* The index as words: each folded word, with the sections it is in and the fields it is in. */
  function vocabulary(index) {
    const known = new Map();
    const add = (text, section, field) => {
      for (const word of words(text)) {
        const places = known.get(word) || known.set(word, new Map()).get(word);
        (places.get(section) || places.set(section, new Set()).get(section)).add(field);
      }
    };
    index.sections.forEach(([, , heading, boxes, lead, text, rest, names], section) => {
      add(heading, section, "heading");
      add(boxes, section, "boxes");
      add(lead, section, "lead");
      add(text + " " + rest, section, "text");
      add(names.map((name) => index.names[name].join(" ")).join(" "), section, "names");
    });
    return known;
  }

  /* How well a word of the index answers a word of the query: 1 the same, 0.8 it starts so, 0.6 a typo. */
  function closeness(word, query) {
    if (word === query) return 1;
    if (query.length > 2 && word.startsWith(query)) return 0.8;
    const allowed = tolerance(query);
    return allowed && Math.abs(word.length - query.length) <= allowed && distance(word, query) <= allowed ? TYPO : 0;
  }

  /* Each section where every word of the query is found, best first; a word weighs what the fields it is in
     weigh together, so a section that names it in its heading, its boxes and its text comes first. */
  function findSections(index, known, text) {
    const query = words(text);
    if (!query.length) return [];
    let scores = null;
    const matched = new Set();
    for (const part of query) {
      const here = new Map();
      const close = new Map([...known.keys()].map((word) => [word, closeness(word, part)]).filter(([, c]) => c));
      /* A word found as typed, or as the start of one, is not also taken for a typo of another ("fewer"). */
      const asTyped = [...close.values()].some((c) => c > TYPO);
      for (const [word, places] of known) {
        if (!close.has(word) || (asTyped && close.get(word) === TYPO)) continue;
        matched.add(word);
        for (const [section, fields] of places) {
          const best = here.get(section) || new Map();
          for (const field of fields) best.set(field, Math.max(best.get(field) || 0, close.get(word)));
          here.set(section, best);
        }
      }
      const sums = new Map([...here].map(([section, best]) => [section,
        [...best].reduce((sum, [field, close]) => sum + WEIGHTS[field] * close, 0)]));
      scores = scores ? new Map([...scores].filter(([section]) => sums.has(section))
        .map(([section, score]) => [section, score + sums.get(section)])) : sums;
    }
    const found = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_RESULTS);
    return found.map(([section]) => ({ section: index.sections[section], matched }));
  }

  /* A piece of the section's text around the first word found, those words marked. */
  function snippet(text, matched) {
    const pieces = text.match(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu) || [];
    const hits = pieces.map((piece) => matched.has(fold(piece)));
    let start = 0;
    let chars = pieces.slice(0, Math.max(hits.indexOf(true), 0)).join("").length;
    while (chars > SNIPPET_CHARS / 3 && start < pieces.length) chars -= pieces[start++].length;
    const shown = [];
    const paragraph = document.createElement("p");
    paragraph.className = "search-snippet";
    for (let i = start, length = 0; i < pieces.length && length < SNIPPET_CHARS; length += pieces[i++].length) {
      shown.push(hits[i] ? Object.assign(document.createElement("mark"), { textContent: pieces[i] }) : pieces[i]);
    }
    paragraph.append(start ? "… " : "", ...shown, start + shown.length < pieces.length ? " …" : "");
    return paragraph;
  }

  function sectionItem(index, base, { section: [page, anchor, heading, , lead, text], matched }) {
    const [title, href] = index.pages[page];
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = new URL(href + (anchor ? "#" + anchor : ""), base).href;
    if (heading !== title) {  // a section: its page's title above its heading
      link.append(Object.assign(document.createElement("span"), { className: "search-page", textContent: title }), " ");
    }
    link.append(heading);
    item.append(link, snippet([lead, text].filter(Boolean).join(" "), matched));
    return item;
  }

  function headerSearch(form) {
    const box = form.querySelector("input");
    const panel = form.querySelector(".header-search-results");
    const status = panel.querySelector("[role=status]");
    const list = panel.querySelector("ol");
    const base = new URL(form.dataset.index, location.href).href;
    let known = null;

    function show() {
      panel.hidden = !fold(box.value);
      if (!known || panel.hidden) return;
      const found = findSections(window.SearchIndex, known, box.value);
      list.replaceChildren(...found.map((result) => sectionItem(window.SearchIndex, base, result)));
      const { found: many, none } = window.SearchIndex;
      status.textContent = found.length ? many.replace("{count}", found.length) : none;
    }

    function ready() {
      if (known || !window.SearchIndex) return;
      known = vocabulary(window.SearchIndex);
      show();
    }

    box.addEventListener("input", show);
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") panel.hidden = true;
    });
    form.addEventListener("indexload", ready);
    ready();
  }

  /* --- the names of the A to Z page ---------------------------------------------------------------------- */

  /* How well a folded name matches the folded query: 4 it starts with it, 3 a word of it does, 2 it holds it,
     1 a part of it starting at a word is within the typos forgiven, 0 no match. */
  function nameScore(name, query) {
    if (name.startsWith(query)) return 4;
    if (name.includes(" " + query)) return 3;
    if (query.length > 2 && name.includes(query)) return 2;
    const allowed = query.length < 4 ? 0 : query.length < 8 ? 1 : 2;
    if (!allowed) return 0;
    const starts = [0, ...Array.from(name.matchAll(/ /g), (space) => space.index + 1)];
    const close = (start) => [-1, 0, 1].some((more) =>
      distance(query, name.slice(start, start + query.length + more)) <= allowed);
    return starts.some(close) ? 1 : 0;
  }

  function aToZSearch(search) {
    const box = document.getElementById("search-box");
    const status = document.getElementById("search-status");
    const results = document.getElementById("search-results");
    const entries = JSON.parse(document.getElementById("search-index").textContent).map((entry) => (
      { ...entry, names: [entry.name, ...(entry.words || [])].map(fold) }));

    function find(text) {
      const query = fold(text);
      if (!query) return [];
      return entries
        .map((entry, order) => ({ entry, order, score: Math.max(...entry.names.map((name) => nameScore(name, query))) }))
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
    box.value ||= new URLSearchParams(location.search).get("q") || "";  // what the header's field sent here
    if (box.value) show();  // or a value the browser kept on going back
  }

  window.SiteSearch = true;  // for static/search.js: this script is on the page already
  const header = document.getElementById("header-search");
  if (header) headerSearch(header);
  const aToZ = document.getElementById("site-search");
  if (aToZ) aToZSearch(aToZ);
})();
