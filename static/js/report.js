// The report's two charts (Chart.js): skills as a radar, dimensions as bars, both 0-10.
const data = JSON.parse(document.getElementById("chart-data").textContent);
const scale = { min: 0, max: 10, ticks: { stepSize: 2 } };
const colour = getComputedStyle(document.documentElement).getPropertyValue("--pico-primary").trim() || "#0172ad";

// A skill's name in lines of at most `width` characters, so that a radar's labels fit a phone.
function wrap(label, width) {
  const lines = [];
  for (const word of label.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

const skills = document.getElementById("skills-chart");
if (skills && data.skills.labels.length >= 3) {
  const narrow = skills.parentElement.clientWidth < 560;
  new Chart(skills, {
    type: "radar",
    data: {
      labels: data.skills.labels.map((label) => wrap(label, narrow ? 14 : 24)),
      datasets: [{ label: "Score", data: data.skills.scores, borderColor: colour, backgroundColor: `${colour}33` }],
    },
    options: {
      scales: { r: { ...scale, pointLabels: { font: { size: narrow ? 10 : 12 } } } },
      plugins: { legend: { display: false } },
      maintainAspectRatio: false,
    },
  });
} else if (skills) {
  new Chart(skills, {
    type: "bar",
    data: { labels: data.skills.labels, datasets: [{ label: "Score", data: data.skills.scores, backgroundColor: colour }] },
    options: { indexAxis: "y", scales: { x: scale }, plugins: { legend: { display: false } }, maintainAspectRatio: false },
  });
}
new Chart(document.getElementById("dimensions-chart"), {
  type: "bar",
  data: { labels: data.dimensions.labels, datasets: [{ label: "Score", data: data.dimensions.scores, backgroundColor: colour }] },
  options: { indexAxis: "y", scales: { x: scale }, plugins: { legend: { display: false } } },
});

// Chart.js does not lay a chart out again for paper: resize each to the printed page's boxes.
window.addEventListener("beforeprint", () => {
  for (const id of ["skills-chart", "dimensions-chart"]) Chart.getChart(id)?.resize();
});
