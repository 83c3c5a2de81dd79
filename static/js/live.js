/* Live after a change. A subject page rendered while work was in flight for it (a recompute after an
   edit, a collection, the workspace's new parameters) says "Updating…", polls its status.json with a
   growing pause (1 s, 2 s, 4 s … at most 10 s) and, once nothing is pending, refreshes in place: the
   score card, the accounts and activities panels (taken from the page fetched again) and the charts
   (static/js/subject.js's reload hook). After the cap (data-cap-seconds, read at every step) it says
   to reload later. InfluenceLive.follow is the polling alone, shared with the parameters page. */
(function () {
  "use strict";

  const FIRST_DELAY = 1000;
  const LONGEST_DELAY = 10000;
  const DEFAULT_CAP_SECONDS = 60;
  // The parts of the subject page that a change can alter, swapped by id.
  const REGIONS = ["score-card", "accounts", "activities"];

  async function getStatus(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) throw new Error("status " + response.status);
    return response.json();
  }

  /* Poll options.url until options.isDone(answer); then options.onDone(answer), or options.onTimeout()
     once options.element's data-cap-seconds have passed. Every answer goes to options.onData first.
     A failed request counts as "not done yet". */
  function follow(options) {
    const started = Date.now();
    let delay = FIRST_DELAY;

    function capMs() {
      const seconds = Number(options.element.dataset.capSeconds);
      return (seconds > 0 ? seconds : DEFAULT_CAP_SECONDS) * 1000;
    }

    function next() {
      const left = capMs() - (Date.now() - started);
      if (left <= 0) {
        options.onTimeout();
        return;
      }
      window.setTimeout(poll, Math.min(delay, left));
      delay = Math.min(delay * 2, LONGEST_DELAY);
    }

    async function poll() {
      let answer = null;
      try {
        answer = await getStatus(options.url);
      } catch (error) {
        answer = null;
      }
      if (answer && options.onData) options.onData(answer);
      if (answer && options.isDone(answer)) options.onDone(answer);
      else next();
    }

    next();
  }

  window.InfluenceLive = { follow: follow };

  const status = document.getElementById("live-status");
  // Followed only when the server saw work in flight as it rendered the page.
  if (!status || !status.dataset.statusUrl || !status.dataset.pending) return;

  function say(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }

  /* The index path from `root` down to `node`, to find the same place in the region's new copy. */
  function pathTo(root, node) {
    const path = [];
    for (let at = node; at && at !== root; at = at.parentElement) {
      path.unshift(Array.prototype.indexOf.call(at.parentElement.children, at));
    }
    return path;
  }

  function atPath(root, path) {
    return path.reduce(function (at, i) { return at && at.children[i]; }, root);
  }

  /* Replace the region `id` by its copy in `fresh`; the keyboard focus, if it was inside, stays at the
     same place (the element of the same id, else at the same position) without scrolling. */
  function swap(id, fresh) {
    const old = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (!old || !next) return;
    const focused = document.activeElement;
    const inside = focused && focused !== old && old.contains(focused);
    const path = inside ? pathTo(old, focused) : null;
    const copy = document.importNode(next, true);
    old.replaceWith(copy);
    if (!inside) return;
    const target = (focused.id && document.getElementById(focused.id)) || atPath(copy, path);
    if (target && typeof target.focus === "function") target.focus({ preventScroll: true });
  }

  async function freshPage() {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) throw new Error("page " + response.status);
    return new DOMParser().parseFromString(await response.text(), "text/html");
  }

  async function refresh(answer) {
    const changed = answer.version !== status.dataset.version;
    // A page that had no score yet has no charts to redraw: the first score is a new page, loaded
    // as a whole (the only case of a full reload).
    if (!document.getElementById("score-card") && answer.version) {
      window.location.reload();
      return;
    }
    let more = false;
    try {
      const fresh = await freshPage();
      REGIONS.forEach(function (id) { swap(id, fresh); });
      if (changed && window.InfluenceSubject) await window.InfluenceSubject.reload();
      // Another change came in meanwhile (the page fetched was rendered with work in flight).
      const freshStatus = fresh.getElementById("live-status");
      more = Boolean(freshStatus && freshStatus.dataset.pending);
    } catch (error) {
      say("Updated elsewhere — reload the page to see it.", "error");
      return;
    }
    status.dataset.version = answer.version;
    if (more) {
      start();
      return;
    }
    say("Updated.", "updated");
    // Said briefly: the line empties after a few seconds (its state stays for whoever asks).
    window.setTimeout(function () { if (status.dataset.state === "updated") status.textContent = ""; }, 5000);
  }

  function start() {
    say("Updating…", "updating");
    follow({
      url: status.dataset.statusUrl,
      element: status,
      isDone: function (answer) { return !answer.pending; },
      onDone: refresh,
      onTimeout: function () { say("Still working — reload later.", "timeout"); },
    });
  }

  start();
})();
