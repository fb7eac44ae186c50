/* The search field in every page's header (templates/search_form.html). Without this script it leads to the A to
   Z page. This script, small enough for every page's first visit, opens the field on a small screen and, when
   the reader starts searching, adds to the page the search itself (search-engine.js) and the index of the
   page's language (search-index-<language>.js): scripts of the site's own, which a page opened from disk may
   load where it may not fetch() a file. */
(() => {
  "use strict";

  const form = document.getElementById("header-search");
  if (!form) return;
  const box = form.querySelector("input");
  let asked = false;

  function load() {
    if (asked) return;
    asked = true;
    const index = Object.assign(document.createElement("script"), { src: form.dataset.index, async: false });
    index.addEventListener("load", () => form.dispatchEvent(new Event("indexload")));
    document.head.append(index);
    if (!window.SiteSearch) {
      document.head.append(Object.assign(document.createElement("script"), { src: form.dataset.engine, async: false }));
    }
  }

  box.addEventListener("focus", load);
  box.addEventListener("input", load);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (getComputedStyle(box).display === "none") {  // a small screen shows the button alone: it opens the field
      form.classList.add("open");
      box.focus();
      return;
    }
    const first = form.querySelector(".header-search-results:not([hidden]) a");
    if (first) first.click();
    else box.focus();
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget) && !box.value) form.classList.remove("open");
  });
})();
