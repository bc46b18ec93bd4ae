// The decision form: the "clinically indicated level" field only matters for an override,
// so it is shown when "Override" is chosen. Progressive enhancement: without JavaScript every
// field is shown and the server checks what goes with which choice.
(function () {
  "use strict";
  var form = document.getElementById("decide-form");
  if (!form) { return; }
  var level = document.getElementById("div_id_indicated_level");
  var choices = form.querySelectorAll("input[name=outcome]");
  if (!level || !choices.length) { return; }
  function update() {
    var override = form.querySelector("input[name=outcome][value=override]");
    level.classList.toggle("d-none", !(override && override.checked));
  }
  choices.forEach(function (input) { input.addEventListener("change", update); });
  update();
})();
