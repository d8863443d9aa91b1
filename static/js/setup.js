// The setup page: explain voice answers when they are chosen, and check this browser can record.
const $ = (selector) => document.getElementById(selector);

function recordingProblem() {
  if (!window.isSecureContext) return "this page is not served over HTTPS, so the browser keeps the microphone off";
  if (!navigator.mediaDevices?.getUserMedia) return "this browser gives the page no microphone";
  if (!window.MediaRecorder) return "this browser cannot record audio";
  // Without transcription on the server, the browser's own speech recognition writes the answer.
  const serverStt = $("answer-mode").dataset.serverStt === "true";
  if (!serverStt && !(window.SpeechRecognition || window.webkitSpeechRecognition)) {
    return "this browser cannot turn speech into text, and this site does not transcribe on its server";
  }
  return "";
}

function update() {
  const voice = $("answer-mode").value === "voice";
  const reason = voice ? recordingProblem() : "";
  $("voice-help").hidden = !voice;
  $("voice-problem").hidden = !reason;
  $("voice-problem-reason").textContent = reason;
}

$("answer-mode").addEventListener("change", update);
$("use-text").addEventListener("click", () => {
  $("answer-mode").value = "text";
  update();
  $("answer-mode").focus();
});
update();

// A resume and a job advert: show what the interview will be about before it is created, and
// set the level and the skills to cover from them (unless the student chose skills already).
const personal = $("personal");
const preview = $("personal-preview");
let skillsTouched = false;
let asked = 0;

document.querySelectorAll('#skills input[type="checkbox"]').forEach((box) => {
  box.addEventListener("change", () => { skillsTouched = true; });
});

function csrfToken() {
  return document.querySelector('input[name="csrfmiddlewaretoken"]').value;
}

function line(label, text) {
  const p = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = label;
  p.append(strong, " ", text);
  return p;
}

function show(body) {
  preview.replaceChildren();
  const job = body.job;
  if (job) {
    const level = job.level_label ? ` · ${job.level_label} (${job.level_reason})` : "";
    preview.append(line("The job:", `${job.title || "untitled"}${level}`));
    preview.append(line("It asks for:", job.requirements.join(", ") || "no skills we recognise"));
    if (job.level) $("level").value = String(job.level);
  }
  if (body.focus.length) {
    const names = body.focus.map((skill) => {
      const why = [];
      if (skill.needed.length) why.push(`job: ${skill.needed.slice(0, 3).join(", ")}`);
      if (skill.claimed.length) why.push(`you: ${skill.claimed.slice(0, 3).join(", ")}`);
      return why.length ? `${skill.name} (${why.join("; ")})` : skill.name;
    });
    preview.append(line("Covered first:", names.join(" · ")));
    if (!skillsTouched) {
      const ids = new Set(body.focus.map((skill) => String(skill.id)));
      document.querySelectorAll('#skills input[type="checkbox"]').forEach((box) => {
        box.checked = ids.has(box.value);
      });
    }
  }
  const note = document.createElement("small");
  note.className = "muted";
  note.textContent = skillsTouched
    ? "Your choice of skills stays as you set it."
    : "We set the level and ticked these skills; change them if you like.";
  preview.append(note);
  preview.classList.remove("error");
  preview.hidden = !job && !body.focus.length;
}

async function refresh() {
  const resume = $("resume").value;
  const text = $("job-description").value.trim();
  if (!resume && !text) {
    asked++; // a reading still on its way must not show its preview now
    preview.removeAttribute("aria-busy");
    preview.hidden = true;
    return;
  }
  const mine = ++asked;
  preview.hidden = false;
  preview.setAttribute("aria-busy", "true");
  preview.textContent = text ? "Reading the job description…" : "Reading your resume…";
  try {
    const response = await fetch(personal.dataset.previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({
        track: document.querySelector('input[name="track"]').value,
        resume: resume || null,
        job_description: text,
      }),
    });
    const body = await response.json();
    if (mine !== asked) return; // a newer request is on its way
    if (!response.ok) {
      preview.textContent = body.message || "That could not be read.";
      preview.classList.add("error");
      return;
    }
    show(body);
  } catch {
    if (mine === asked) preview.textContent = "Could not reach the server to read it; you can still create the interview.";
  } finally {
    if (mine === asked) preview.removeAttribute("aria-busy");
  }
}

let timer = 0;
$("job-description").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(refresh, 800);
});
$("resume").addEventListener("change", refresh);
if ($("resume").value || $("job-description").value.trim()) refresh();
