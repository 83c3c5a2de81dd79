/* A subject's insights (insights.json): the "What moved your online numbers" and "Unusual days" panels,
   and, for each metric chart, its growth windows, projections (dashed) and unusual-day markers.
   Every figure comes computed from the server; this file only lays it out. */
(function () {
  "use strict";

  const H = window.InfluenceCharts;
  const bad = H.colour("--bad", "#b3261e");
  const good = H.colour("--good", "#1d7f4e");
  const numbers = new Intl.NumberFormat("en");
  const DRAWN_AHEAD = [30, 90]; // the dashed line goes this far; the table lists every horizon

  function signed(value) {
    return (value > 0 ? "+" : value < 0 ? "−" : "±") + numbers.format(Math.abs(value));
  }

  function perDay(value) {
    return value.toFixed(1) + " a day";
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  async function load(url) {
    try {
      return await H.getJSON(url);
    } catch (error) {
      return { error: error.message };
    }
  }

  function accountLabel(data, id) {
    return data.labels.accounts[String(id)] || "Account " + id;
  }

  function metricLabel(data, metric) {
    return data.labels.metrics[metric] || metric;
  }

  function anomalyText(data, a) {
    return accountLabel(data, a.account) + " " + metricLabel(data, a.metric).toLowerCase() + " " +
      signed(a.change) + " on " + a.day + ": unusual " + a.kind;
  }

  /* --- beside each metric chart -------------------------------------------------------- */

  function table(head, rows) {
    const t = el("table", null, "insight-table");
    const tr = document.createElement("tr");
    head.forEach(function (text, i) {
      const th = el("th", text, i ? "num" : "");
      th.scope = "col";
      tr.appendChild(th);
    });
    t.createTHead().appendChild(tr);
    H.fillTable(t.createTBody(), rows);
    return t;
  }

  function growthCell(g) {
    if (!g) return "—";
    return signed(g.change) + (g.percent === null ? "" : " (" + (g.percent > 0 ? "+" : "") + g.percent + " %)");
  }

  /* For one metric chart: the growth and projection tables, the dashed projection datasets and the
     unusual-day markers, for the accounts drawn on it. */
  function forChart(chart, data) {
    const result = { datasets: [], annotations: {}, tables: [], anomalies: 0, projections: 0, maxDay: null };
    if (!data || data.error) return result;
    const accounts = chart.lines.map(function (line) { return line.account; });
    const growthRows = chart.lines.map(function (line) {
      const windows = {};
      data.growth.forEach(function (g) {
        if (g.account === line.account && g.metric === chart.metric) windows[g.window_days] = g;
      });
      return [line.label, growthCell(windows[7]), growthCell(windows[30]), growthCell(windows[90])];
    });
    const growthTable = table(["Growth", "7 days", "30 days", "90 days"], growthRows);
    growthTable.classList.add("growth-table");
    result.tables.push(growthTable);

    const projectionRows = [];
    chart.lines.forEach(function (line, index) {
      const own = data.projections.filter(function (p) {
        return p.account === line.account && p.metric === chart.metric;
      });
      if (!own.length) return;
      projectionRows.push([line.label].concat(own.map(function (p) {
        return numbers.format(p.value) + " (" + numbers.format(p.low) + "–" + numbers.format(p.high) + ")";
      })));
      const lastDay = line.days[line.days.length - 1];
      const base = new Date(own[0].day);
      base.setUTCDate(base.getUTCDate() - own[0].days_ahead);
      // Drawn only from the line's own last point (a custom range ending earlier shows no projection).
      if (base.toISOString().slice(0, 10) !== lastDay) return;
      const drawn = own.filter(function (p) { return DRAWN_AHEAD.indexOf(p.days_ahead) >= 0; });
      const colour = H.palette[index % H.palette.length];
      result.datasets.push({
        label: "Projection: " + line.label,
        data: [{ x: lastDay, y: line.values[line.values.length - 1] }].concat(
          drawn.map(function (p) { return { x: p.day, y: p.value }; })),
        borderColor: colour, backgroundColor: colour, borderDash: [6, 4], pointRadius: 0, borderWidth: 2,
      });
      result.projections += 1;
      drawn.forEach(function (p) { if (!result.maxDay || p.day > result.maxDay) result.maxDay = p.day; });
    });
    if (projectionRows.length) {
      const t = table(["Projection (low–high)", "in 30 days", "in 90 days", "in 365 days"], projectionRows);
      t.classList.add("projection-table");
      result.tables.push(t);
    }

    data.anomalies.forEach(function (a) {
      if (a.metric !== chart.metric || accounts.indexOf(a.account) < 0) return;
      const colour = a.kind === "spike" ? good : bad;
      result.annotations["anomaly-" + a.account + "-" + a.day] = {
        type: "line", xMin: a.day, xMax: a.day, borderColor: colour, borderWidth: 2, hitTolerance: 6,
        label: {
          display: false, content: anomalyText(data, a), position: "start",
          backgroundColor: "rgba(29, 36, 51, 0.85)", font: { size: 12 },
        },
        enter: function (ctx) { ctx.element.label.options.display = true; return true; },
        leave: function (ctx) { ctx.element.label.options.display = false; return true; },
      };
      result.anomalies += 1;
    });
    return result;
  }

  /* --- the panels ------------------------------------------------------------------------ */

  function activityNames(data, ids) {
    return ids.map(function (id) {
      const a = data.labels.activities[String(id)];
      return a ? a.kind_label + " “" + a.title + "” (" + a.date + ")" : "Activity " + id;
    }).join(" and ");
  }

  function effectText(data, e) {
    const series = accountLabel(data, e.account) + " " + metricLabel(data, e.metric).toLowerCase();
    let text;
    if (e.ratio !== null) {
      text = series + ": " + e.ratio.toFixed(1) + "x the usual daily gain (" + perDay(e.before_per_day) +
        " before, " + perDay(e.after_per_day) + " in the 14 days after)";
    } else {
      text = series + ": " + perDay(e.after_per_day) + " in the 14 days after, against " +
        perDay(e.before_per_day) + " before";
    }
    return text;
  }

  function renderEffects(data, limit) {
    const panel = document.getElementById("effects-panel");
    if (!panel) return;
    const list = panel.querySelector(".effects");
    const kinds = panel.querySelector(".kinds");
    const status = panel.querySelector(".insight-status");
    list.replaceChildren();
    kinds.replaceChildren();
    if (data.error) { H.setStatus(status, data.error); return; }
    data.effects.slice(0, limit).forEach(function (e) {
      const li = el("li", null, "effect");
      li.dataset.activity = e.activity;
      li.appendChild(el("strong", activityNames(data, e.activities)));
      li.appendChild(document.createTextNode(" — " + effectText(data, e)));
      if (e.flagged) li.appendChild(el("span", "an unusual day falls in the 14 days after", "badge stale"));
      list.appendChild(li);
    });
    data.kinds.forEach(function (k) {
      kinds.appendChild(el("li", k.plural.charAt(0).toUpperCase() + k.plural.slice(1) + ": median " +
        k.median_ratio.toFixed(1) + "x over " + k.activities + " " + (k.activities === 1 ? k.label.toLowerCase() : k.plural)));
    });
    H.setStatus(status, data.effects.length ? "" :
      "No activity has enough counts around it yet: an effect needs the 28 days before it and the 14 after.");
  }

  function dismissForm(config, a) {
    const form = el("form", null, "dismiss-form");
    form.method = "post";
    form.action = config.dismissUrl;
    const fields = { csrfmiddlewaretoken: config.csrfToken, account: a.account, metric: a.metric, day: a.day };
    Object.keys(fields).forEach(function (name) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    const button = el("button", "Dismiss", "secondary small");
    button.type = "submit";
    button.setAttribute("aria-label", "Dismiss: " + anomalyText({ labels: config.labels }, a));
    form.appendChild(button);
    return form;
  }

  function renderAnomalies(data, config, limit) {
    const panel = document.getElementById("anomalies-panel");
    if (!panel) return;
    const list = panel.querySelector(".anomalies");
    const status = panel.querySelector(".insight-status");
    // Rendered on the page for those who can dismiss (editors and owners) only.
    const token = panel.querySelector("input[name=csrfmiddlewaretoken]");
    const form = Object.assign({ labels: data.labels, csrfToken: token ? token.value : "" }, config);
    list.replaceChildren();
    if (data.error) { H.setStatus(status, data.error); return; }
    data.anomalies.slice(0, limit).forEach(function (a) {
      const li = el("li", null, "anomaly " + a.kind);
      li.appendChild(el("span", anomalyText(data, a)));
      if (token) li.appendChild(dismissForm(form, a));
      list.appendChild(li);
    });
    H.setStatus(status, data.anomalies.length ? "" : "No unusual day in the audience numbers.");
  }

  function renderPanels(data, config) {
    renderEffects(data, 5);
    renderAnomalies(data, config, 20);
    document.body.dataset.insightsReady = data.error ? "error" : "yes";
  }

  window.InfluenceInsights = { load: load, forChart: forChart, renderPanels: renderPanels };
})();
