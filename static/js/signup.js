// Sign-up: preselect the browser's time zone, when the list knows it.
// The server's default (UTC) stays when the browser does not tell or names an unknown zone.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select) { return; }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  // A form re-rendered after an error keeps what the person chose.
  var form = select.form;
  if (form && form.querySelector(".has-error, .errors")) { return; }
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();
