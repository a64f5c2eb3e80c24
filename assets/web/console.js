// Draws the dashboard's charts with Chart.js from the data each <canvas data-chart> carries.
// The tables next to them say the same, for anyone without scripts.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  var colours = ["#0b57d0", "#e8453c", "#188038", "#f29900", "#9334e6", "#12b5cb"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length],
                   borderColor: colours[i % colours.length], tension: 0.2 };
        })
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
});
