// The account form: show the instance address only for Mastodon and the platform only for
// manual accounts, and the handle's format for the chosen network.
(function () {
  "use strict";
  var form = document.getElementById("account-form");
  var helpData = document.getElementById("account-handle-help");
  var network = document.getElementById("id_network");
  if (!form || !network || !helpData) return;
  var help = JSON.parse(helpData.textContent);
  var handleHelp = document.getElementById("id_handle_helptext");

  function fieldOf(id) {
    var input = document.getElementById(id);
    return input ? input.closest(".field") : null;
  }

  function update() {
    var value = network.value;
    var instance = fieldOf("id_instance_url");
    var label = fieldOf("id_label");
    // Through the style object (allowed by the page's CSP), as .field's display wins over [hidden].
    if (instance) instance.style.display = value === "mastodon" || instance.classList.contains("has-error") ? "" : "none";
    if (label) label.style.display = value === "manual" || label.classList.contains("has-error") ? "" : "none";
    if (handleHelp && help[value]) handleHelp.textContent = help[value];
  }

  network.addEventListener("change", update);
  update();
})();
