// Draws the indicator panels of the overview with Plotly. The data comes from a JSON block on
// the page (the Content-Security-Policy allows no inline script).
"use strict";

(function () {
  const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

  function draw(container) {
    const source = document.getElementById(container.dataset.source);
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    // Every panel's box first, so each is drawn at its final width in the grid.
    const boxes = data.panels.map(function () {
      const box = document.createElement("div");
      box.className = "chart-panel";
      container.appendChild(box);
      return box;
    });
    data.panels.forEach(function (panel, p) {
      const box = boxes[p];
      const traces = panel.traces.map(function (trace, n) {
        return {
          x: trace.x,
          y: trace.y,
          name: trace.name,
          type: "scatter",
          mode: trace.x.length <= 62 ? "lines+markers" : "lines",
          line: { color: COLOURS[n % COLOURS.length], width: 2 },
          marker: { size: 4 },
        };
      });
      Plotly.newPlot(box, traces, {
        title: { text: panel.title, x: 0, font: { size: 13 } },
        height: 220,
        margin: { l: 40, r: 10, t: 30, b: 30 },
        showlegend: true,
        legend: { orientation: "h", y: -0.2, font: { size: 11 } },
        paper_bgcolor: "rgba(0,0,0,0)",
        plot_bgcolor: "rgba(0,0,0,0)",
      }, { displayModeBar: false, responsive: true });
    });
    container.dataset.drawn = String(data.panels.length);
  }

  document.querySelectorAll(".chart[data-source]").forEach(draw);
})();
