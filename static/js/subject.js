/* The subject page: the score trend (the score and its sub-scores, or its contributions stacked)
   with activity and scoring-change markers, one chart per account metric,
   range buttons and custom dates, a data table and a CSV link beside each chart. */
(function () {
  "use strict";

  const H = window.InfluenceCharts;
  const config = JSON.parse(document.getElementById("chart-config").textContent);
  const state = { range: config.range, from: config.from, to: config.to, view: "scores" };
  const online = H.colour("--online", "#2f5bd3");
  const offline = H.colour("--offline", "#d9822b");
  const onlineOnly = H.colour("--fg", "#1d2433");
  let trend = null;
  let lastSeries = null;
  const metricCharts = [];
  // The metric charts zoomed to fit their data (by metric); the others start their axis at zero.
  const zoomed = new Set();
  // The subject's insights (static/js/insights.js), read once: they do not depend on the range.
  const I = window.InfluenceInsights;
  let insights = null;

  function points(days, values) {
    return days.map(function (day, i) { return { x: day, y: values[i] }; });
  }

  /* Lines are drawn without dots, but a day or two would then draw nothing: those get their dots. */
  function pointRadius(days) {
    return days.length < 3 ? 3 : 0;
  }

  /* The hover box of the trend, in either view: the full date, the score with its two sub-scores, and
     the score's parts from each side, in the whole numbers the page shows. */
  function trendTooltip() {
    return {
      displayColors: false,
      filter: function (item) { return item.datasetIndex === 0; },
      callbacks: {
        title: function (items) { return items.length ? H.formatDay(lastSeries.days[items[0].dataIndex]) : ""; },
        label: function (item) {
          const i = item.dataIndex;
          return ["Score " + H.whole(lastSeries.total[i]), "Online " + H.whole(lastSeries.online_score[i]),
                  "Offline " + H.whole(lastSeries.offline_score[i])];
        },
        footer: function (items) {
          if (!items.length) return "";
          const i = items[0].dataIndex;
          const shown = H.wholeParts(lastSeries.total[i], [lastSeries.online_share[i], lastSeries.offline_share[i]]);
          return "Score " + shown.total + " = " + shown.parts[0] + " from online + " + shown.parts[1] + " from offline";
        },
      },
    };
  }

  /* One or two sentences on the trend drawn: the score's first and last value, its change, its highest and
     lowest days, and where the two sub-scores went. */
  function trendSummary(data) {
    const score = H.extremes(data.days, data.total);
    if (!score) return "No score in this range.";
    const online = H.extremes(data.days, data.online_score);
    const offline = H.extremes(data.days, data.offline_score);
    const first = H.whole(score.first.value);
    const last = H.whole(score.last.value);
    if (score.first.day === score.last.day) {
      return "On " + H.formatDay(score.last.day) + " the score was " + last + " (Online " + H.whole(online.last.value) +
        ", Offline " + H.whole(offline.last.value) + ").";
    }
    return "From " + H.formatDay(score.first.day) + " to " + H.formatDay(score.last.day) + " the score went from " +
      first + " to " + last + " (" + H.signed(last - first) + "); highest " + H.whole(score.high.value) + " on " +
      H.formatDay(score.high.day) + ", lowest " + H.whole(score.low.value) + " on " + H.formatDay(score.low.day) +
      ". Online went from " + H.whole(online.first.value) + " to " + H.whole(online.last.value) + ", Offline from " +
      H.whole(offline.first.value) + " to " + H.whole(offline.last.value) + ".";
  }


  function markerAnnotations(markers) {
    const annotations = {};
    markers.forEach(function (m) {
      annotations["activity-" + m.id] = {
        type: "line",
        xMin: m.date,
        xMax: m.date,
        borderColor: offline,
        borderWidth: 1,
        borderDash: [4, 3],
        hitTolerance: 6,
        label: {
          display: false,
          content: m.date + " · " + m.kind_label + ": " + m.title,
          position: "start",
          backgroundColor: "rgba(29, 36, 51, 0.85)",
          font: { size: 12 },
        },
        enter: function (ctx) { ctx.element.label.options.display = true; return true; },
        leave: function (ctx) { ctx.element.label.options.display = false; return true; },
      };
    });
    return annotations;
  }

  /* The day the scoring parameters were saved: the history drawn was recomputed with them. */
  function changeAnnotations(changes) {
    const annotations = {};
    (changes || []).forEach(function (c) {
      annotations["scoring-" + c.id] = {
        type: "line",
        xMin: c.date,
        xMax: c.date,
        borderColor: onlineOnly,
        borderWidth: 2,
        label: {
          display: true,
          content: "scoring changed; history recomputed",
          position: "end",
          backgroundColor: "rgba(29, 36, 51, 0.85)",
          font: { size: 11 },
        },
      };
    });
    return annotations;
  }

  /* Two views of the same days: the score with its sub-scores as lines (the default), or the
     score's contributions from each side as stacked areas. */
  function trendDatasets(data) {
    const dots = pointRadius(data.days);
    if (state.view === "contributions") {
      return [
        {
          label: "From online", data: points(data.days, data.online_share), stack: "score", fill: "origin",
          borderColor: online, backgroundColor: online + "55", pointRadius: dots, borderWidth: 1, tension: 0.2,
        },
        {
          label: "From offline", data: points(data.days, data.offline_share), stack: "score", fill: "-1",
          borderColor: offline, backgroundColor: offline + "55", pointRadius: dots, borderWidth: 1, tension: 0.2,
        },
      ];
    }
    return [
      {
        label: "Score", data: points(data.days, data.total), stack: "score", fill: false,
        borderColor: onlineOnly, backgroundColor: onlineOnly, pointRadius: dots, borderWidth: 2.5, tension: 0.2,
      },
      {
        label: "Online", data: points(data.days, data.online_score), stack: "online", fill: false,
        borderColor: online, backgroundColor: online, pointRadius: dots, borderWidth: 2, tension: 0.2,
      },
      {
        label: "Offline", data: points(data.days, data.offline_score), stack: "offline", fill: false,
        borderColor: offline, backgroundColor: offline, pointRadius: dots, borderWidth: 2, tension: 0.2,
      },
    ];
  }

  function drawTrend(data) {
    lastSeries = data;
    const canvas = document.getElementById("trend-chart");
    const annotations = Object.assign(markerAnnotations(data.markers), changeAnnotations(data.parameter_changes));
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: H.timeScale(data.range),
        y: { stacked: state.view === "contributions", min: 0, max: 100, title: { display: true, text: "Score (0–100)" } },
      },
      plugins: {
        legend: { position: "bottom" },
        annotation: { annotations: annotations },
        tooltip: trendTooltip(),
      },
    };
    if (trend) {
      trend.data.datasets = trendDatasets(data);
      trend.options.scales.x = options.scales.x;
      trend.options.scales.y = options.scales.y;
      trend.options.plugins.annotation.annotations = options.plugins.annotation.annotations;
      trend.update();
    } else {
      trend = new Chart(canvas, { type: "line", data: { datasets: trendDatasets(data) }, options: options });
    }
    H.fillTable(document.querySelector("#trend-table tbody"), data.days.map(function (day, i) {
      return [day, data.total[i], data.online_score[i], data.offline_score[i], data.online_share[i], data.offline_share[i]];
    }));
    let note = data.days.length ? "" : "No score in this range.";
    if (data.range.step === "week") note = "Long range: one point per week (the week's last day).";
    if (data.markers_truncated) note += " Only the latest " + data.markers.length + " activities are marked.";
    H.setStatus(document.getElementById("trend-status"), note);
    document.getElementById("trend-summary").textContent = trendSummary(data);
  }

  function showView() {
    document.querySelectorAll(".trend-views [data-view]").forEach(function (button) {
      const active = button.dataset.view === state.view;
      button.classList.toggle("active", active);
      button.setAttribute("aria-pressed", active ? "true" : "false");
    });
    const note = document.getElementById("trend-note");
    note.textContent = note.dataset[state.view];
    document.getElementById("trend-chart").dataset.view = state.view;
  }

  document.querySelectorAll(".trend-views [data-view]").forEach(function (button) {
    button.addEventListener("click", function () {
      state.view = button.dataset.view;
      showView();
      if (lastSeries) drawTrend(lastSeries);
    });
  });

  function metricTable(chart) {
    const days = Array.from(new Set([].concat.apply([], chart.lines.map(function (l) { return l.days; })))).sort();
    const byLine = chart.lines.map(function (line) {
      const values = {};
      line.days.forEach(function (day, i) { values[day] = line.values[i]; });
      return values;
    });
    const table = document.createElement("table");
    const head = document.createElement("tr");
    ["Day"].concat(chart.lines.map(function (l) { return l.label; })).forEach(function (text, i) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      if (i) th.className = "num";
      head.appendChild(th);
    });
    table.createTHead().appendChild(head);
    const tbody = table.createTBody();
    H.fillTable(tbody, days.map(function (day) {
      return [day].concat(byLine.map(function (values) { return values[day]; }));
    }));
    return table;
  }

  /* A metric's axis starts at zero, so that a small change looks small; zoomed, it fits the data. */
  function metricAxis(metric) {
    return { beginAtZero: !zoomed.has(metric) };
  }

  /* The toggle between the two: a button whose pressed state is the zoom. */
  function zoomButton(metric) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button range zoom";
    button.textContent = "Zoom to the data";
    button.setAttribute("aria-pressed", zoomed.has(metric) ? "true" : "false");
    button.addEventListener("click", function () {
      if (zoomed.has(metric)) zoomed.delete(metric);
      else zoomed.add(metric);
      button.setAttribute("aria-pressed", zoomed.has(metric) ? "true" : "false");
      button.classList.toggle("active", zoomed.has(metric));
      const canvas = button.closest(".metric-chart").querySelector("canvas");
      const drawn = Chart.getChart(canvas);
      drawn.options.scales.y = metricAxis(metric);
      drawn.update();
    });
    button.classList.toggle("active", zoomed.has(metric));
    return button;
  }

  function drawMetrics(data) {
    metricCharts.splice(0).forEach(function (chart) { chart.destroy(); });
    const container = document.getElementById("metric-charts");
    container.replaceChildren();
    data.charts.forEach(function (chart) {
      const section = document.createElement("section");
      section.className = "metric-chart";
      const title = document.createElement("h3");
      title.textContent = chart.label;
      const box = document.createElement("div");
      box.className = "chart-box small";
      const canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", chart.label + " per account");
      box.appendChild(canvas);
      const details = document.createElement("details");
      details.className = "data-table";
      const summary = document.createElement("summary");
      summary.textContent = "Data table";
      const scroll = document.createElement("div");
      scroll.className = "table-scroll";
      scroll.tabIndex = 0;
      scroll.appendChild(metricTable(chart));
      details.append(summary, scroll);
      const csv = document.createElement("a");
      csv.href = H.withQuery(config.metricsCsvUrl, Object.assign({ metric: chart.metric }, H.rangeParams(state)));
      csv.textContent = "Download " + chart.label.toLowerCase() + " (CSV)";
      csv.setAttribute("download", "");
      const exports = document.createElement("p");
      exports.className = "exports";
      exports.appendChild(csv);
      const extra = I ? I.forChart(chart, insights) : { datasets: [], annotations: {}, tables: [] };
      section.dataset.metric = chart.metric;
      section.dataset.anomalies = extra.anomalies || 0;
      section.dataset.projections = extra.projections || 0;
      const beside = document.createElement("div");
      beside.className = "table-scroll insight-tables";
      beside.tabIndex = 0;  // a scrolling region is reached by keyboard too
      beside.append.apply(beside, extra.tables);
      const head = document.createElement("div");
      head.className = "metric-head";
      head.append(title, zoomButton(chart.metric));
      const said = document.createElement("p");
      said.className = "chart-summary";
      said.textContent = H.linesSummary(chart.label, chart.lines, false);
      section.append(head, box, said, beside, details, exports);
      container.appendChild(section);
      const x = H.timeScale(data.range);
      if (extra.maxDay && (!x.max || extra.maxDay > x.max)) x.max = extra.maxDay;
      const dots = pointRadius(chart.lines.reduce(function (a, l) { return l.days.length > a.length ? l.days : a; }, []));
      metricCharts.push(new Chart(canvas, {
        type: "line",
        data: {
          datasets: chart.lines.map(function (line, i) {
            const c = H.palette[i % H.palette.length];
            return { label: line.label, data: points(line.days, line.values), borderColor: c, backgroundColor: c,
                     pointRadius: dots, borderWidth: 2, tension: 0.2 };
          }).concat(extra.datasets),
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "nearest", intersect: false },
          scales: { x: x, y: metricAxis(chart.metric) },
          plugins: { legend: { position: "bottom" }, annotation: { annotations: extra.annotations } },
        },
      }));
    });
    H.setStatus(document.getElementById("metrics-status"), data.charts.length ? "" : "No account metrics in this range.");
  }

  function showRangeState() {
    document.querySelectorAll(".range-bar [data-range]").forEach(function (button) {
      const active = button.dataset.range === state.range;
      button.classList.toggle("active", active);
      if (active) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
    const params = H.rangeParams(state);
    document.getElementById("trend-csv").href = H.withQuery(config.seriesCsvUrl, params);
    document.getElementById("metrics-csv").href = H.withQuery(config.metricsCsvUrl, params);
    history.replaceState(null, "", H.withQuery(window.location.pathname, params));
  }

  async function load() {
    showRangeState();
    const params = H.rangeParams(state);
    const status = document.getElementById("trend-status");
    try {
      const [series, metrics, found] = await Promise.all([
        H.getJSON(H.withQuery(config.seriesUrl, params)),
        H.getJSON(H.withQuery(config.metricsUrl, params)),
        insights || !I ? insights : I.load(config.insightsUrl),
      ]);
      if (I && !insights) {
        insights = found;
        I.renderPanels(insights, config);
      }
      drawTrend(series);
      drawMetrics(metrics);
      document.body.dataset.chartsReady = state.range;
    } catch (error) {
      H.setStatus(status, error.message);
      document.body.dataset.chartsReady = "error";
    }
  }

  document.querySelectorAll(".range-bar [data-range]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      state.range = button.dataset.range;
      state.from = state.to = "";
      load();
    });
  });

  document.getElementById("range-custom").addEventListener("submit", function (event) {
    event.preventDefault();
    state.range = "custom";
    state.from = document.getElementById("range-from").value;
    state.to = document.getElementById("range-to").value;
    load();
  });

  load();
  // Redraws the charts and re-reads the insights after a change landed (static/js/live.js).
  window.InfluenceSubject = { reload: function () { insights = null; return load(); } };
})();
