/* The compare page: the chosen subjects' measure on one chart and their share of voice (each one's
   part of the group's combined score per day) stacked to 100 % beside it, with a data table and CSV.
   Ticking a subject or changing the measure redraws in place; searching and paging the
   subjects to add reload the page (the form works the same without this script). */
(function () {
  "use strict";

  const H = window.InfluenceCharts;
  const config = JSON.parse(document.getElementById("chart-config").textContent);
  const form = document.getElementById("compare-form");
  let chart = null;
  let voiceChart = null;

  function params() {
    const chosen = Array.from(form.querySelectorAll("input[name=subjects]:checked")).map(function (c) { return c.value; });
    return {
      subjects: chosen.join(","),
      measure: form.querySelector("[name=measure]").value,
      range: form.querySelector("[name=range]").value,
    };
  }

  function table(data) {
    const days = Array.from(new Set([].concat.apply([], data.lines.map(function (l) { return l.days; })))).sort();
    const byLine = data.lines.map(function (line) {
      const values = {};
      const shares = {};
      line.days.forEach(function (day, i) { values[day] = line.values[i]; shares[day] = line.share_of_voice[i]; });
      return { values: values, shares: shares };
    });
    const head = document.createElement("tr");
    const titles = ["Day"];
    data.lines.forEach(function (l) { titles.push(l.label + ": " + data.measure_label, l.label + ": share of voice (%)"); });
    titles.forEach(function (text, i) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      if (i) th.className = "num";
      head.appendChild(th);
    });
    document.querySelector("#compare-table thead").replaceChildren(head);
    H.fillTable(document.querySelector("#compare-table tbody"), days.map(function (day) {
      const cells = [day];
      byLine.forEach(function (line) { cells.push(line.values[day], line.shares[day]); });
      return cells;
    }));
  }

  function drawVoice(data) {
    const datasets = data.lines.map(function (line, i) {
      const c = H.palette[i % H.palette.length];
      return {
        label: line.label,
        data: line.days.map(function (day, j) { return { x: day, y: line.share_of_voice[j] }; }),
        borderColor: c, backgroundColor: c + "99", fill: i === 0 ? "origin" : "-1", stack: "voice",
        pointRadius: 0, borderWidth: 1, tension: 0,
      };
    });
    if (voiceChart) voiceChart.destroy();
    voiceChart = new Chart(document.getElementById("compare-voice-chart"), {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: H.timeScale(data.range),
          y: { stacked: true, min: 0, max: 100, title: { display: true, text: "Share of voice (%)" } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  // The search and page shown stay in the address with the chosen subjects.
  function pageParams(query) {
    const current = new URLSearchParams(window.location.search);
    return Object.assign({ q: current.get("q"), page: current.get("page") }, query);
  }

  async function load() {
    const query = params();
    document.getElementById("compare-csv").href = H.withQuery(config.csvUrl, query);
    history.replaceState(null, "", H.withQuery(window.location.pathname, pageParams(query)));
    const status = document.getElementById("compare-status");
    if (!query.subjects) {
      H.setStatus(status, "Choose at least one subject.");
      document.getElementById("compare-summary").textContent = "";
      document.getElementById("compare-voice-summary").textContent = "";
      if (chart) { chart.destroy(); chart = null; }
      if (voiceChart) { voiceChart.destroy(); voiceChart = null; }
      return;
    }
    try {
      const data = await H.getJSON(H.withQuery(config.dataUrl, query));
      const datasets = data.lines.map(function (line, i) {
        const c = H.palette[i % H.palette.length];
        return {
          label: line.label,
          data: line.days.map(function (day, j) { return { x: day, y: line.values[j] }; }),
          borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 2, tension: 0.2,
        };
      });
      if (chart) chart.destroy();
      chart = new Chart(document.getElementById("compare-chart"), {
        type: "line",
        data: { datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "nearest", intersect: false },
          scales: { x: H.timeScale(data.range), y: { min: 0, max: 100, title: { display: true, text: data.measure_label } } },
          plugins: { legend: { position: "bottom" } },
        },
      });
      drawVoice(data);
      table(data);
      document.getElementById("compare-summary").textContent = H.linesSummary(data.measure_label, data.lines, true);
      const shares = data.lines.map(function (l) { return { label: l.label, days: l.days, values: l.share_of_voice }; });
      document.getElementById("compare-voice-summary").textContent = H.linesSummary("Share of voice (%)", shares, true);
      document.getElementById("compare-lines-heading").textContent = data.measure_label;
      H.setStatus(status, data.range.step === "week" ? "Long range: one point per week (the week's last day)." : "");
      document.body.dataset.chartsReady = query.measure;
    } catch (error) {
      H.setStatus(status, error.message);
    }
  }

  form.addEventListener("submit", function (event) {
    // "Show" redraws here; "Search" and the page buttons ask the server for other subjects to add.
    if (event.submitter && event.submitter.id !== "compare-show") return;
    event.preventDefault();
    load();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "q") load();
  });
  load();
})();
