// Shows follow-up questions only when they apply. The server decides what is asked and
// stored; with JavaScript off every question is shown and the form works the same.
(function () {
  "use strict";
  function sync(group) {
    var rule = group.dataset.showWhen.split("=");
    var chosen = document.querySelector('input[name="' + rule[0] + '"]:checked');
    var show = chosen !== null && chosen.value === rule[1];
    group.hidden = !show;
  }
  var groups = document.querySelectorAll("[data-show-when]");
  groups.forEach(function (group) {
    sync(group);
    var name = group.dataset.showWhen.split("=")[0];
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      input.addEventListener("change", function () { sync(group); });
    });
  });
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
