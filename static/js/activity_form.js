// The activity form without a reload: when the kind changes, the labels and the
// scoring help follow it, and the end date shows for ongoing kinds. The page
// works the same without this script (the labels then follow the kind chosen
// on the previous step).
(function () {
  "use strict";
  var guideNode = document.getElementById("activity-kind-guide");
  var kindSelect = document.getElementById("id_kind");
  if (!guideNode || !kindSelect) { return; }
  var guide = JSON.parse(guideNode.textContent);

  function row(name) { return document.querySelector('[data-field="' + name + '"]'); }

  function apply() {
    var entry = guide[kindSelect.value];
    if (!entry) { return; }
    Object.keys(entry.labels).forEach(function (name) {
      var wrapper = row(name);
      var label = wrapper && wrapper.querySelector("label");
      if (label) { label.textContent = entry.labels[name]; }
    });
    var help = document.getElementById("id_kind_helptext");
    if (help) { help.textContent = entry.help; }
    var endRow = row("end_date");
    var endInput = document.getElementById("id_end_date");
    if (endRow && endInput) { endRow.hidden = !entry.ongoing && !endInput.value; }
  }

  kindSelect.addEventListener("change", apply);
})();
