// Score parameters page: follows the history recompute until it finishes, through the polling of
// static/js/live.js (a growing pause, and a cap after which it says to reload later).
(function () {
  "use strict";
  var box = document.getElementById("recompute");
  if (!box) { return; }
  var live = document.getElementById("recompute-live");
  var url = box.getAttribute("data-progress-url");
  var finished = ["done", "failed", "superseded", ""];

  function say(text, state) {
    live.textContent = text;
    live.setAttribute("data-state", state);
  }

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

  function done(data) {
    if (data.state === "done") { say("Recomputed.", "done"); }
    else if (data.state === "failed") { say("The recompute failed; see below.", "failed"); }
    else { say("", "done"); }
  }

  if (finished.indexOf(box.getAttribute("data-state")) === -1) {
    say("Recomputing the history…", "updating");
    window.InfluenceLive.follow({
      url: url,
      element: live,
      onData: render,
      isDone: function (data) { return !data.state || data.finished; },
      onDone: done,
      onTimeout: function () { say("Still working — reload later.", "timeout"); },
    });
  }
})();
