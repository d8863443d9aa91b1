// The interview room: the event log shown in order, the answers typed or (voiceroom.js) spoken.
// The connection (connection.js) replays the log and reconnects by itself; docs/protocol.md has
// the protocol. Every event carries `seq`; a reply to one message (an error about it) carries
// `seq: null` and is only shown.

import { Connection, socketUrl } from "./connection.js";
import { voiceRoom } from "./voiceroom.js";

const room = document.getElementById("room");
const id = room.dataset.interviewId;
const $ = (selector) => document.getElementById(selector);
const labels = JSON.parse($("state-labels").textContent);
const voiceMode = room.dataset.answerMode === "voice";
// A coding interview's panel (problem, editor, runner), loaded only for one.
const coding =
  room.dataset.interviewType === "coding"
    ? new (await import("./coding.js")).CodingPanel($("coding"), {
        interviewId: id,
        nonce: room.dataset.cspNonce,
        onSubmit: (code) => sendAnswer("", code),
        showError,
      })
    : null;
// The career centre holds the report until a coach has reviewed it.
const held = room.dataset.feedbackHeld === "true";
const draftKey = `rehearse:${id}:draft`;
// A reply normally comes in well under a second; after this long the student is told their
// answer is safe (a worker may be down: the server sends the step again when one is back).
const SLOW_SECONDS = 15;
const THINKING = "The interviewer is thinking…";
const SLOW =
  "This is taking longer than usual. Your answers are saved: you can wait here, " +
  "or leave and come back to this interview later from your history.";
const CONNECTION_TEXT = { connecting: "connecting…", reconnecting: "reconnecting…", connected: "connected", closed: "closed" };

let state = "";
let currentTurn = 0;
let slowTimer = null;
const answerBubbles = new Map(); // turn → its answer's bubble, updated when the final transcript comes

// The answer sent but not yet confirmed by its transcript is kept by the connection: resent on
// reconnect, stored once.
const connection = new Connection(socketUrl(location, id), {
  pendingKey: `rehearse:${id}:pending`,
  onEvent: handle,
  onReply: reply,
  onOpen: () => {
    render();
    voice.scheduleVoiceStep(); // a kept recording goes again once the replay is in
  },
  onClose: () => render(),
  onStatus: (status) => ($("connection").textContent = CONNECTION_TEXT[status]),
  onClosedForGood: () => showError("This interview cannot be opened. Log in again, or check the link."),
});
// Answering out loud (in a voice interview): the flow, and the voice panel it draws in render().
const voice = voiceRoom({
  interviewId: id,
  voiceMode,
  connection,
  interview: () => ({ state, currentTurn }),
  render,
  showError,
});

function showError(text) {
  const alert = $("alert");
  alert.textContent = text;
  alert.hidden = !text;
}

function bubble(who, text, note) {
  const div = document.createElement("div");
  div.className = `bubble ${who}`;
  setBubble(div, who, text, note);
  $("conversation").append(div);
  div.scrollIntoView({ block: "nearest", behavior: "smooth" });
  return div;
}

function setBubble(div, who, text, note) {
  const label = document.createElement("span");
  label.className = "who";
  label.textContent = `${who === "interviewer" ? "Interviewer" : "You"}${note ? ` · ${note}` : ""}`;
  div.replaceChildren(label, document.createTextNode(text));
}

function render() {
  const listening = state === "listening";
  const working = ["asking", "processing", "evaluating", "deciding"].includes(state);
  const over = ["complete", "generating_report", "finished", "cancelled"].includes(state);
  const answering = voice.answering;
  const typing = voice.typing;
  $("start-panel").hidden = state !== "ready";
  $("answer-form").hidden = !(listening || working);
  // The Implement step is answered with the editor's Submit code, not in words.
  const codeStep = Boolean(coding?.codeStep);
  $("typing").hidden = !typing || codeStep;
  $("send").hidden = !typing || codeStep;
  $("send").disabled = $("answer").disabled = !listening;
  $("skip").disabled = !listening || answering;
  $("pause").disabled = !(listening || state === "asking") || answering;
  $("paused-panel").hidden = !(state === "paused" || state === "error");
  $("paused-text").textContent =
    state === "error" ? "The interview stopped on an error. Your answers are saved." : "The interview is paused.";
  $("resume").textContent = state === "error" ? "Try again" : "Resume";
  $("waiting").hidden = !working;
  if (!working) {
    clearTimeout(slowTimer);
    slowTimer = null;
    $("waiting").textContent = THINKING;
  } else if (slowTimer === null) {
    slowTimer = setTimeout(() => ($("waiting").textContent = SLOW), SLOW_SECONDS * 1000);
  }
  $("done-panel").hidden = !over;
  if (state === "cancelled") {
    $("done-text").textContent = "This interview was cancelled.";
    $("report-link").hidden = true;
  }
  $("state").textContent = labels[state] || state;
  voice.renderPanel(over);
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

// A voice answer's transcript comes twice when the browser heard it: at once as the browser's
// (provisional), then the server's (final), which replaces it in the same bubble.
function showAnswer(event) {
  let text = event.skipped ? "(skipped)" : event.text;
  let note = "";
  if (!event.skipped && event.source && event.source !== "typed") {
    if (!event.final) note = "spoken, transcribing…";
    else note = event.source === "browser" ? "spoken, as your browser heard it" : "spoken";
    text ||= event.final ? "(nothing was heard)" : "Transcribing your answer…";
  }
  const existing = answerBubbles.get(event.turn);
  if (existing) setBubble(existing, "you", text, note);
  else answerBubbles.set(event.turn, bubble("you", text, note));
}

// A reply to one message of this page (`seq: null`): the question as it is written, a
// provisional caption, or a refusal. `refusedAnswer`: the kept typed answer it refused.
function reply(event, refusedAnswer) {
  if (event.type === "question.delta") showDraft(event);
  else if (event.type === "transcript") voice.serverCaption(event);
  else if (event.type === "error") refused(event, refusedAnswer);
}

function refused(event, refusedAnswer) {
  // Frames that came after a refused `audio.start`: that refusal already says why.
  if (event.code === "unexpected_binary") return;
  showError(event.message);
  voice.refused(event);
  // The answer was refused, not stored: give the text back to edit and send again.
  if (refusedAnswer && !$("answer").value) $("answer").value = refusedAnswer.text;
}

// A new logged event, in order and once.
function handle(event) {
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
      if (state === "listening" && voice.typing) $("answer").focus();
      break;
    case "question": {
      currentTurn = event.turn;
      voice.asked(event);
      $("draft")?.remove();
      const note = event.kind === "followup" ? "follow-up" : event.skill;
      bubble("interviewer", event.text, note);
      coding?.show(event);
      break;
    }
    case "transcript":
      // Its kept typed answer, if any, is no longer kept (the connection saw to it).
      showAnswer(event);
      coding?.answered(event.turn);
      voice.answerIn(event.turn);
      break;
    case "answer.withdrawn":
      // No words could be made out: the question is open again.
      answerBubbles.get(event.turn)?.remove();
      answerBubbles.delete(event.turn);
      voice.withdrawn(event.turn);
      showError(event.message);
      break;
    case "completed":
      $("done-text").textContent = "The interview is over. Your report is being written…";
      break;
    case "report.ready":
      $("done-text").textContent = held
        ? "Your answers are in. Your coach reviews the report before you can read it; it will appear under Interviews."
        : "Your report is ready.";
      $("report-link").href = event.report_url;
      break;
    case "error":
      showError(event.message);
      break;
    default:
      break;
  }
  voice.scheduleVoiceStep();
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
  sendAnswer(text);
  $("answer").value = "";
  sessionStorage.removeItem(draftKey);
});

// An answer goes once it is kept: resent on reconnect until its transcript comes, stored once.
function sendAnswer(text, code) {
  const answer = { turn: currentTurn, text, client_id: crypto.randomUUID(), ...(code ? { code } : {}) };
  if (!connection.sendAnswer(answer)) {
    showError("Connection lost: your answer is kept and will be sent when it is back.");
  }
}
$("start").addEventListener("click", async () => {
  if (voice.needsMicrophone) await voice.turnOnVoice();
  connection.send({ type: "start" });
});
$("skip").addEventListener("click", () => connection.send({ type: "skip", turn: currentTurn }));
$("pause").addEventListener("click", () => connection.send({ type: "pause" }));
$("resume").addEventListener("click", () => connection.send({ type: "resume" }));
for (const button of ["end", "end-paused"]) {
  $(button).addEventListener("click", () => {
    if (confirm("End the interview now? Your report will cover what you have answered.")) {
      connection.send({ type: "end" });
    }
  });
}

if (voiceMode) await voice.restore();
render();
connection.connect();
