/* The header's search field: opens it on a phone; on first use adds search-engine.js and the index. */
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
    if (getComputedStyle(box).display === "none") {  // a phone shows the button alone
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
