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

  function timeScale(range) {
    return {
      type: "time",
      time: { unit: range.step === "week" ? "month" : "day", tooltipFormat: "yyyy-MM-dd" },
      min: range.from || undefined,
      max: range.to || undefined,
      ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 },
      grid: { display: false },
    };
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

  window.InfluenceCharts = {
    colour: colour,
    palette: palette,
    withQuery: withQuery,
    rangeParams: rangeParams,
    getJSON: getJSON,
    timeScale: timeScale,
    fillTable: fillTable,
    setStatus: setStatus,
  };
})();
