// The interview room: one WebSocket, the event log replayed in order, reconnection by itself.
// Protocol: ../shared/DESIGN.md and the README. Every event carries `seq`; a reply to one
// message (an error about it) carries `seq: null` and is only shown.

const room = document.getElementById("room");
const id = room.dataset.interviewId;
const labels = JSON.parse(document.getElementById("state-labels").textContent);
const $ = (selector) => document.getElementById(selector);
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/interviews/${id}/`;
const draftKey = `rehearse:${id}:draft`;
const pendingKey = `rehearse:${id}:pending`;

let socket = null;
let lastSeq = 0;
let state = "";
let currentTurn = 0;
let attempts = 0;
let closedForGood = false;
// The answer sent but not yet confirmed by its transcript: resent on reconnect, stored once.
let pending = JSON.parse(sessionStorage.getItem(pendingKey) || "null");

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
    return true;
  }
  return false;
}

function showError(text) {
  const alert = $("alert");
  alert.textContent = text;
  alert.hidden = !text;
}

function bubble(who, text, note) {
  const div = document.createElement("div");
  div.className = `bubble ${who}`;
  const label = document.createElement("span");
  label.className = "who";
  label.textContent = who === "interviewer" ? `Interviewer${note ? ` · ${note}` : ""}` : "You";
  div.append(label, document.createTextNode(text));
  $("conversation").append(div);
  div.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

function render() {
  const listening = state === "listening";
  const working = ["asking", "processing", "evaluating", "deciding"].includes(state);
  const over = ["complete", "generating_report", "finished", "cancelled"].includes(state);
  $("start-panel").hidden = state !== "ready";
  $("answer-form").hidden = !(listening || working);
  for (const button of ["send", "skip"]) $(button).disabled = !listening;
  $("answer").disabled = !listening;
  $("pause").disabled = !(listening || state === "asking");
  $("paused-panel").hidden = !(state === "paused" || state === "error");
  $("paused-text").textContent =
    state === "error" ? "The interview stopped on an error. Your answers are saved." : "The interview is paused.";
  $("resume").textContent = state === "error" ? "Try again" : "Resume";
  $("waiting").hidden = !working;
  $("done-panel").hidden = !over;
  if (state === "cancelled") {
    $("done-text").textContent = "This interview was cancelled.";
    $("report-link").hidden = true;
  }
  $("state").textContent = labels[state] || state;
}

function setPending(value) {
  pending = value;
  if (value) sessionStorage.setItem(pendingKey, JSON.stringify(value));
  else sessionStorage.removeItem(pendingKey);
}

// The question as the interviewer writes it (`question.delta`, not logged); the `question`
// event replaces it. Hidden from screen readers, which announce the final question once.
function showDraft(event) {
  if (event.turn <= currentTurn) return;
  let draft = $("draft");
  if (!draft) {
    draft = document.createElement("div");
    draft.id = "draft";
    draft.className = "bubble interviewer draft";
    draft.setAttribute("aria-hidden", "true");
    $("conversation").append(draft);
  }
  draft.textContent = event.text;
}

function handle(event) {
  if (event.type === "question.delta") {
    showDraft(event);
    return;
  }
  if (event.type === "error" && event.seq === null) {
    showError(event.message);
    if (pending && event.code !== "too_many_messages") {
      // The answer was refused, not stored: give the text back to edit and send again.
      if (!$("answer").value) $("answer").value = pending.text;
      setPending(null);
    }
    return;
  }
  if (event.seq <= lastSeq) return; // already shown: a replay overlaps what arrived live
  lastSeq = event.seq;
  switch (event.type) {
    case "state":
      state = event.state;
      if (event.progress) {
        $("progress").textContent = event.progress.number
          ? `Question ${event.progress.number} of ${event.progress.total}`
          : `${event.progress.total} questions`;
        $("progress-bar").value = event.progress.number;
      }
      if (state !== "error") showError("");
      render();
      if (state === "listening") $("answer").focus();
      break;
    case "question": {
      currentTurn = event.turn;
      $("draft")?.remove();
      const note = event.kind === "followup" ? "follow-up" : event.skill;
      bubble("interviewer", event.text, note);
      break;
    }
    case "transcript":
      bubble("you", event.skipped ? "(skipped)" : event.text);
      if (pending && pending.turn === event.turn) setPending(null);
      break;
    case "completed":
      $("done-text").textContent = "The interview is over. Your report is being written…";
      break;
    case "report.ready":
      $("done-text").textContent = "Your report is ready.";
      $("report-link").href = event.report_url;
      break;
    case "error":
      showError(event.message);
      break;
    default:
      break;
  }
}

function connect() {
  $("connection").textContent = attempts ? "reconnecting…" : "connecting…";
  socket = new WebSocket(wsUrl);
  socket.addEventListener("open", () => {
    attempts = 0;
    $("connection").textContent = "connected";
    send({ type: "sync", after: lastSeq });
    // An answer sent into a dead connection goes again; if it did arrive, it is stored once.
    if (pending) send({ type: "answer", text: pending.text, client_id: pending.client_id });
  });
  socket.addEventListener("message", (message) => handle(JSON.parse(message.data)));
  socket.addEventListener("close", (close) => {
    if (close.code === 4403 || close.code === 4404) {
      closedForGood = true;
      $("connection").textContent = "closed";
      showError("This interview cannot be opened. Log in again, or check the link.");
      return;
    }
    if (closedForGood) return;
    $("connection").textContent = "reconnecting…";
    const delay = Math.min(10000, 500 * 2 ** attempts++);
    setTimeout(connect, delay);
  });
}

$("answer").value = sessionStorage.getItem(draftKey) || "";
$("answer").addEventListener("input", () => sessionStorage.setItem(draftKey, $("answer").value));
$("answer").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $("answer-form").requestSubmit();
  }
});
$("answer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("answer").value.trim();
  if (!text) {
    showError("Your answer is empty. Type an answer, or Skip to move on.");
    return;
  }
  setPending({ turn: currentTurn, text, client_id: crypto.randomUUID() });
  if (!send({ type: "answer", text, client_id: pending.client_id })) {
    showError("Connection lost: your answer is kept and will be sent when it is back.");
  }
  $("answer").value = "";
  sessionStorage.removeItem(draftKey);
});
$("start").addEventListener("click", () => send({ type: "start" }));
$("skip").addEventListener("click", () => send({ type: "skip" }));
$("pause").addEventListener("click", () => send({ type: "pause" }));
$("resume").addEventListener("click", () => send({ type: "resume" }));
for (const button of ["end", "end-paused"]) {
  $(button).addEventListener("click", () => {
    if (confirm("End the interview now? Your report will cover what you have answered.")) {
      send({ type: "end" });
    }
  });
}
render();
connect();
