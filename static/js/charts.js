/* Shared by the chart pages: colours, fetching, time axes and the data tables beside charts. */
(function () {
  "use strict";

  const css = getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    return css.getPropertyValue(name).trim() || fallback;
  }

  const palette = ["#2f5bd3", "#d9822b", "#1d7f4e", "#8e44ad", "#b3261e", "#00838f", "#6d4c41", "#c2185b"];

  function withQuery(url, params) {
    const query = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      const value = params[key];
      if (value !== undefined && value !== null && value !== "") query.set(key, value);
    });
    const text = query.toString();
    return text ? url + "?" + text : url;
  }

  /* The query of a range: a name, or custom dates. */
  function rangeParams(state) {
    if (state.range === "custom") return { range: "custom", from: state.from, to: state.to };
    return { range: state.range };
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || "The chart data could not be loaded.");
    return body;
  }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const DAY_MS = 86400000;

  /* "2026-01-03" as "3 Jan 2026": read from the text, so no time zone can move the day. */
  function formatDay(iso) {
    const parts = iso.split("-");
    return Number(parts[2]) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0];
  }

  function addDays(iso, days) {
    return new Date(Date.parse(iso) + days * DAY_MS).toISOString().slice(0, 10);
  }

  /* The time axis of a range. Ticks name the year whenever the range crosses one (or is not known);
     a range longer than four months is ticked by month; the hover box always names the full date.
     A range of one day is widened by a day each side, so that its point is not drawn on an edge. */
  function timeScale(range) {
    let from = range.from;
    let to = range.to;
    if (from && to && from === to) {
      from = addDays(from, -1);
      to = addDays(to, 1);
    }
    const crossesYear = !from || !to || from.slice(0, 4) !== to.slice(0, 4);
    const span = from && to ? (Date.parse(to) - Date.parse(from)) / DAY_MS : Infinity;
    return {
      type: "time",
      time: {
        unit: range.step === "week" || span > 120 ? "month" : "day",
        tooltipFormat: "d MMM yyyy",
        displayFormats: crossesYear ? { day: "d MMM yyyy", month: "MMM yyyy" } : { day: "d MMM", month: "MMM" },
      },
      min: from || undefined,
      max: to || undefined,
      ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 },
      grid: { display: false },
    };
  }

  /* A score as shown everywhere: a whole number, halves up (SCORING.md). */
  function whole(value) {
    return Math.floor(value + 0.5);
  }

  /* Whole numbers that add up to the shown total: parts floored, the leftover to the largest remainders
     (the server's display_parts). */
  function wholeParts(total, parts) {
    const shown = whole(total);
    const floors = parts.map(Math.floor);
    let leftover = shown - floors.reduce(function (a, b) { return a + b; }, 0);
    parts.map(function (value, i) { return i; })
      .sort(function (a, b) { return (parts[b] - floors[b]) - (parts[a] - floors[a]) || parts[b] - parts[a]; })
      .forEach(function (i) { if (leftover > 0) { floors[i] += 1; leftover -= 1; } });
    return { total: shown, parts: floors };
  }

  function signed(value) {
    return value > 0 ? "+" + value : String(value);
  }

  function formatNumber(value) {
    return Number(value).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  }

  /* A line's first and last values, its highest and lowest, with their days (null without values). */
  function extremes(days, values) {
    const found = { first: null, last: null, high: null, low: null };
    days.forEach(function (day, i) {
      const value = values[i];
      if (value === null || value === undefined) return;
      const point = { day: day, value: value };
      if (!found.first) found.first = point;
      found.last = point;
      if (!found.high || value > found.high.value) found.high = point;
      if (!found.low || value < found.low.value) found.low = point;
    });
    return found.first ? found : null;
  }

  /* Fill a table body with rows of cells; numbers are right-aligned. */
  function fillTable(tbody, rows) {
    const fragment = document.createDocumentFragment();
    rows.forEach(function (cells) {
      const tr = document.createElement("tr");
      cells.forEach(function (cell, index) {
        const td = document.createElement(index === 0 ? "th" : "td");
        if (index === 0) td.scope = "row";
        else td.className = "num";
        td.textContent = cell === null || cell === undefined ? "" : String(cell);
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    tbody.replaceChildren(fragment);
  }

  function setStatus(element, text) {
    if (element) element.textContent = text || "";
  }

  /* One sentence on a chart of lines (a metric's accounts, compared subjects): each line's first and last
     value over the range (scores in whole numbers, as shown elsewhere); a line's own dates when it starts
     later or ends earlier than the others. */
  function linesSummary(title, lines, scores) {
    const value = scores ? whole : function (v) { return v; };
    const found = lines.map(function (line) {
      return { label: line.label, ends: extremes(line.days, line.values) };
    }).filter(function (line) { return line.ends; });
    if (!found.length) return title + ": no value in this range.";
    const from = found.map(function (line) { return line.ends.first.day; }).sort()[0];
    const to = found.map(function (line) { return line.ends.last.day; }).sort().pop();
    const parts = found.map(function (line) {
      const ends = line.ends;
      const first = value(ends.first.value);
      const last = value(ends.last.value);
      const since = ends.first.day === from ? "" : " on " + formatDay(ends.first.day);
      const until = ends.last.day === to ? "" : " on " + formatDay(ends.last.day);
      return line.label + " went from " + formatNumber(first) + since + " to " + formatNumber(last) + until +
        " (" + (last > first ? "+" : "") + formatNumber(last - first) + ")";
    });
    return title + " from " + formatDay(from) + " to " + formatDay(to) + ": " + parts.join("; ") + ".";
  }

  window.InfluenceCharts = {
    colour: colour,
    palette: palette,
    withQuery: withQuery,
    rangeParams: rangeParams,
    getJSON: getJSON,
    timeScale: timeScale,
    formatDay: formatDay,
    whole: whole,
    wholeParts: wholeParts,
    signed: signed,
    formatNumber: formatNumber,
    extremes: extremes,
    linesSummary: linesSummary,
    fillTable: fillTable,
    setStatus: setStatus,
  };
})();
