// Sign-up: fill in the browser's time zone, when the list of zones knows it.
// The server's default (UTC) stays when the browser does not tell or names an unknown zone.
(function () {
  "use strict";
  var input = document.getElementById("id_time_zone");
  if (!input || !input.list) { return; }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  // A form re-rendered after an error keeps what the person typed.
  var form = input.form;
  if (form && form.querySelector(".has-error, .errors")) { return; }
  if (input.value && input.value !== "UTC") { return; }
  var options = input.list.options;
  for (var i = 0; i < options.length; i += 1) {
    if (options[i].value === zone) {
      input.value = zone;
      return;
    }
  }
})();
