// Score parameters page: follows the history recompute until it finishes.
(function () {
  "use strict";
  var box = document.getElementById("recompute");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var finished = ["done", "failed", "superseded", ""];

  function render(data) {
    var status = document.getElementById("recompute-status");
    var bar = document.getElementById("recompute-bar");
    if (!data.state) { return; }
    if (!bar) {
      bar = document.createElement("progress");
      bar.id = "recompute-bar";
      bar.max = 100;
      box.appendChild(bar);
    }
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    status.textContent = data.state_label + ": version " + data.model_version + ", " +
      data.subjects_done + " of " + data.subjects_total + " subjects, " + data.percent + "%." +
      (data.error ? " " + data.error : "");
    box.setAttribute("data-state", data.state);
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        render(data);
        if (!data.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (finished.indexOf(box.getAttribute("data-state")) === -1) { poll(); }
})();
