/* "Print this page": shown only when this script runs; the browser's own print command works without it. */
(() => {
  "use strict";
  document.querySelectorAll(".print-button").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
})();
