// "Copy link" buttons: copy the value of the field the button names (data-copy) to the clipboard,
// and say so on the button for a moment. Without the clipboard API the field is selected instead.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) { return; }
      var label = button.textContent;
      function done(text) {
        button.textContent = text;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(function () { done("Copied"); }, function () { done("Press Ctrl+C"); });
      } else {
        done("Press Ctrl+C");
      }
    });
  });
})();
