/* The shared report: its print button and its trend chart (score with its Online and Offline sub-scores over
   the last year, or the whole history when it is shorter: the server's default range). */
(function () {
  "use strict";

  const printButton = document.getElementById("print-report");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  const canvas = document.getElementById("report-chart");
  const H = window.InfluenceCharts;
  if (!canvas || !H || !window.Chart) return;
  const url = JSON.parse(document.getElementById("report-series-url").textContent);

  function points(days, values) {
    return days.map(function (day, i) { return { x: day, y: values[i] }; });
  }

  H.getJSON(url).then(function (data) {
    const lines = [
      { label: "Score", values: data.total, colour: H.colour("--fg", "#1d2433") },
      { label: "Online", values: data.online_score, colour: H.palette[0] },
      { label: "Offline", values: data.offline_score, colour: H.palette[1] },
    ];
    new Chart(canvas, {
      type: "line",
      data: {
        datasets: lines.map(function (line) {
          return { label: line.label, data: points(data.days, line.values), borderColor: line.colour,
                   backgroundColor: line.colour, pointRadius: 0, borderWidth: 2, tension: 0.2 };
        }),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "nearest", intersect: false },
        scales: { x: H.timeScale(data.range), y: { min: 0, max: 100 } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    document.getElementById("report-summary").textContent = H.linesSummary("The score and its sub-scores", lines.map(
      function (line) { return { label: line.label, days: data.days, values: line.values }; }), true);
    H.fillTable(document.querySelector("#report-table tbody"), data.days.map(function (day, i) {
      return [day, data.total[i], data.online_score[i], data.offline_score[i], data.online_share[i], data.offline_share[i]];
    }));
    H.setStatus(document.getElementById("report-status"), data.days.length ? "" : "No score in this range.");
  }).catch(function (error) {
    H.setStatus(document.getElementById("report-status"), error.message);
  });
})();
