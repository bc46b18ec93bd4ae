// Progressive enhancement only: every page works with JavaScript off.
(function () {
  "use strict";
  // Buttons marked data-confirm ask before a form is sent (e.g. publish, submit).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Forms marked data-submit-once disable their submit buttons after the first submit.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented || !event.target.matches("[data-submit-once]")) { return; }
    event.target.querySelectorAll("button[type=submit]").forEach(function (b) {
      setTimeout(function () { b.disabled = true; }, 0);
    });
  });
  // Print buttons (no inline handlers: the Content-Security-Policy forbids them).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
