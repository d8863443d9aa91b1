// The progress page's charts (Chart.js): each skill's and each dimension's score per interview,
// 0-10, as lines over the interviews in order. The tables below them hold the same figures.
const data = JSON.parse(document.getElementById("progress-data").textContent);
const palette = ["#0172ad", "#d93526", "#398712", "#8e44ad", "#c06000", "#127a7a", "#6d4c41", "#5d6b98"];

function draw(canvasId, series) {
  const canvas = document.getElementById(canvasId);
  if (!canvas || series.length === 0) return;
  // One column per interview, in the order they were taken.
  const interviews = [...new Set(series.flatMap((s) => s.points.map((p) => p.at)))].sort();
  // "3 · 2 Dec": the interview's number, then its date (several can fall on one day).
  const labels = interviews.map(
    (at, i) => `${i + 1} · ${new Date(at).toLocaleDateString(undefined, { day: "numeric", month: "short" })}`,
  );
  new Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: series.map((s, i) => {
        const byDate = new Map(s.points.map((p) => [p.at, p.score]));
        return {
          label: s.name,
          data: interviews.map((at) => (byDate.has(at) ? byDate.get(at) : null)),
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          spanGaps: true,
          tension: 0, // straight lines: a curve would overshoot the 0-10 scale
        };
      }),
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 10, ticks: { stepSize: 2 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
}

draw("skills-progress", data.skills);
draw("dimensions-progress", data.dimensions);
