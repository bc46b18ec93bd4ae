// The condition editor: a fact changed in a test form shows that fact's tests at once.
// Progressive enhancement only: without JavaScript the "Show the tests for this fact"
// button does the same (the server never trusts either: it checks every post).
(function () {
  "use strict";
  document.querySelectorAll("select[data-fact-step]").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      var shown = form && form.querySelector("input[name='test-shown_fact']");
      var button = form && form.querySelector("button[name='test-step']");
      if (shown && shown.value === select.value) { return; }  // its tests are on the page
      if (button && form.requestSubmit) { form.requestSubmit(button); }
    });
  });
})();
