// The interview room: one WebSocket, the event log replayed in order, reconnection by itself.
// Protocol: ../shared/DESIGN.md and the README. Every event carries `seq`; a reply to one
// message (an error about it) carries `seq: null` and is only shown.
//
// In a voice interview the interviewer speaks each new question, then the student answers out
// loud: the recording goes to the server as it is made (`audio.start`, binary frames,
// `audio.end`) and is kept, in memory and in IndexedDB, until its transcript comes back.

import * as recordings from "./recordings.js";
import { Captions, Interviewer, Microphone, canRecognize, canRecord, recordingType } from "./voice.js";

const room = document.getElementById("room");
const id = room.dataset.interviewId;
const $ = (selector) => document.getElementById(selector);
const labels = JSON.parse($("state-labels").textContent);
const voice = {
  think_seconds: 3,
  max_seconds: 300,
  max_bytes: 20 * 1024 * 1024,
  stt: false,
  pause_seconds: 5,
  captions: false,
  ...JSON.parse($("voice-settings")?.textContent || "{}"),
};
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
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/interviews/${id}/`;
const draftKey = `rehearse:${id}:draft`;
const pendingKey = `rehearse:${id}:pending`;
// Refusals of the recording itself (or of one made for a question already answered in another
// tab): it will never be accepted, so it is dropped.
const AUDIO_REFUSALS = new Set(["audio_too_large", "audio_too_long", "not_audio", "audio_empty", "no_transcript", "question_moved_on"]);
// A recording sent again goes in frames of this size, not one per second of speech.
const RESEND_FRAME_BYTES = 256 * 1024;
// The server measures the decoded recording against the limit, and this clock ticks a little
// late: stopping a second early means a full-length answer is never refused as too long.
const LIMIT_MARGIN_SECONDS = 1;
// A reply normally comes in well under a second; after this long the student is told their
// answer is safe (a worker may be down: the server sends the step again when one is back).
const SLOW_SECONDS = 15;
const THINKING = "The interviewer is thinking…";
const SLOW =
  "This is taking longer than usual. Your answers are saved: you can wait here, " +
  "or leave and come back to this interview later from your history.";

let socket = null;
let lastSeq = 0;
let state = "";
let currentTurn = 0;
let attempts = 0;
let closedForGood = false;
let slowTimer = null;
// The answer sent but not yet confirmed by its transcript: resent on reconnect, stored once.
let pending = JSON.parse(sessionStorage.getItem(pendingKey) || "null");

// Voice mode.
const voiceProblem = !voiceMode
  ? ""
  : !canRecord
    ? "This browser cannot record audio."
    : !voice.stt && !canRecognize
      ? "This browser has no speech recognition, and this server does not transcribe recordings."
      : "";
const interviewer = new Interviewer($("question-audio"));
const captions = new Captions(showCaption, captionsFailed);
let typing = !voiceMode || Boolean(voiceProblem); // answering on the keyboard
let question = null; // the newest `question` event
const answered = new Set(); // turns whose answer is in: their question is closed
const answerBubbles = new Map(); // turn → its answer's bubble, updated when the final transcript comes
let spokenTurn = 0; // the newest turn the interviewer has spoken (or begun to)
let phase = "off"; // off | gate | speaking | thinking | ready | recording | sending
let mic = null;
let micRequest = null;
let recorder = null;
let take = null; // the recorded answer being made or sent: {clientId, turn, mime, chunks, bytes, transcript, finished, sentOn}
let countdown = 0;
let clock = 0;
let endingIn = null; // seconds left of the silence that ends the answer, while counting down
let voiceStepTimer = 0;

function connected() {
  return socket?.readyState === WebSocket.OPEN;
}

function send(message) {
  if (connected()) {
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

const minutes = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

function voiceStatus() {
  const away = !connected();
  switch (phase) {
    case "gate":
      return "Press Continue to hear the question and answer out loud.";
    case "speaking":
      return "The interviewer is speaking… Start talking to answer.";
    case "thinking":
      return "Take a moment to think. Recording starts in:";
    case "ready":
      return "Press Answer now when you are ready.";
    case "recording":
      if (away) return "Reconnecting… Keep talking: your recording is kept.";
      if (endingIn !== null) return `Ending your answer in ${endingIn}… Keep talking to go on.`;
      return `Recording your answer. Press Done, or pause for ${voice.pause_seconds} seconds, when you have finished.`;
    case "sending":
      if (away) return "Reconnecting… Your recording is kept and will be sent when the connection is back.";
      if (state !== "listening") return "Your recording is kept and will be sent when the interview goes on.";
      return take?.timeUp
        ? `That is the ${minutes(voice.max_seconds)} limit. Sending your answer…`
        : "Sending your answer…";
    default:
      return "";
  }
}

function render() {
  const listening = state === "listening";
  const working = ["asking", "processing", "evaluating", "deciding"].includes(state);
  const over = ["complete", "generating_report", "finished", "cancelled"].includes(state);
  const answering = ["recording", "sending"].includes(phase);
  $("start-panel").hidden = state !== "ready";
  $("answer-form").hidden = !(listening || working);
  // The Implement step is answered with the editor's Submit code, not in words.
  const codeStep = Boolean(coding?.codeStep);
  $("typing").hidden = !typing || codeStep;
  $("send").hidden = !typing || codeStep;
  $("answer-by-voice").hidden = !(voiceMode && typing && !voiceProblem);
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

  $("voice-unavailable").hidden = !voiceProblem || over;
  $("voice-unavailable-reason").textContent = voiceProblem;
  $("voice-panel").hidden = typing || phase === "off";
  $("voice-status").textContent = voiceStatus();
  $("voice-status").dataset.phase = phase;
  $("voice-timer").hidden = !["thinking", "recording"].includes(phase);
  $("live-caption").hidden = phase !== "recording" || !$("live-caption").textContent;
  $("voice-on").hidden = phase !== "gate";
  $("answer-now").hidden = !["speaking", "thinking", "ready"].includes(phase);
  $("done").hidden = phase !== "recording";
  $("type-instead").hidden = phase === "sending";
  $("browser-transcript-note").hidden = voice.stt;
}

// The control to press next in each phase of a voice answer.
const PHASE_FOCUS = { gate: "voice-on", speaking: "answer-now", thinking: "answer-now", ready: "answer-now", recording: "done", sending: "voice-status" };

function setPhase(next) {
  const moveFocus = PHASE_FOCUS[next] !== PHASE_FOCUS[phase];
  phase = next;
  render();
  if (moveFocus && PHASE_FOCUS[next] && !typing) $(PHASE_FOCUS[next]).focus();
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

function refused(event) {
  // Frames that came after a refused `audio.start`: that refusal already says why.
  if (event.code === "unexpected_binary") return;
  showError(event.message);
  if (take && AUDIO_REFUSALS.has(event.code)) {
    // This recording will never be accepted: record again, or type.
    discardRecording();
    setPhase(state === "listening" ? "ready" : "off");
  } else if (take?.sentOn === socket && event.code !== "too_many_messages") {
    take.sentOn = null; // not now (paused…): sent again when the question is open again
  }
  if (pending && event.code !== "too_many_messages") {
    // The answer was refused, not stored: give the text back to edit and send again.
    if (!$("answer").value) $("answer").value = pending.text;
    setPending(null);
  }
}

function handle(event) {
  if (event.type === "question.delta") {
    showDraft(event);
    return;
  }
  if (event.type === "transcript" && event.seq === null) {
    serverCaption(event);
    return;
  }
  if (event.type === "error" && event.seq === null) {
    refused(event);
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
      if (state === "listening" && typing) $("answer").focus();
      break;
    case "question": {
      currentTurn = event.turn;
      question = event;
      $("draft")?.remove();
      const note = event.kind === "followup" ? "follow-up" : event.skill;
      bubble("interviewer", event.text, note);
      coding?.show(event);
      break;
    }
    case "transcript":
      showAnswer(event);
      answered.add(event.turn);
      coding?.answered(event.turn);
      if (pending && pending.turn === event.turn) setPending(null);
      // The server has the recording: nothing to send again.
      if (take?.turn === event.turn && !recorder) forgetTake();
      break;
    case "answer.withdrawn":
      // No words could be made out: the question is open again.
      answerBubbles.get(event.turn)?.remove();
      answerBubbles.delete(event.turn);
      answered.delete(event.turn);
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
  scheduleVoiceStep();
}

// --- Voice ---------------------------------------------------------------------------------

// A replay after a reload or reconnect arrives as many events, one by one: act on where they
// leave the interview, not on each, so that only the question still open is spoken.
function scheduleVoiceStep() {
  if (!voiceMode) return;
  clearTimeout(voiceStepTimer);
  voiceStepTimer = setTimeout(voiceStep, 100);
}

// Bring the voice answer in line with the interview: speak the open question, or send the kept
// recording, or stop whatever no longer fits (the question was answered elsewhere, paused, ended).
function voiceStep() {
  if (["complete", "generating_report", "finished", "cancelled"].includes(state)) {
    mic?.close();
    mic = micRequest = null;
  }
  if (take && !recorder && (answered.has(take.turn) || take.turn < currentTurn)) forgetTake();
  const open = state === "listening" && question && !answered.has(question.turn);
  if (!open) {
    stopAsking();
    if (recorder) discardRecording();
    setPhase(take ? "sending" : "off");
    return;
  }
  if (take?.turn === question.turn) {
    sendTake();
    if (take.finished && phase !== "sending") setPhase("sending");
    return;
  }
  if (typing || ["speaking", "thinking", "ready"].includes(phase)) return;
  if (!mic) setPhase("gate");
  else if (spokenTurn < question.turn) speakQuestion();
  else setPhase("ready");
}

// Open the microphone; browsers allow it (and the interviewer's voice) only after a click.
async function turnOnVoice() {
  micRequest ??= Microphone.open(); // once, however often the student clicks while it asks
  try {
    mic = await micRequest;
  } catch (error) {
    micRequest = null;
    typing = true;
    showError(
      error.name === "NotAllowedError"
        ? "The microphone is blocked for this site. Allow it (the icon in the address bar) and reload the page, or type your answers."
        : error.name === "NotFoundError"
          ? "No microphone was found. Connect one and reload the page, or type your answers."
          : `The microphone could not be opened (${error.message}). Reload the page to try again, or type your answers.`,
    );
    setPhase("off");
    $("answer").focus();
  }
}

async function speakQuestion() {
  const turn = question.turn;
  spokenTurn = turn;
  setPhase("speaking");
  // Barge-in: when the student starts talking over the interviewer, it stops and listens.
  mic.listen(startRecording);
  await interviewer.speak(question.text, question.audio_url);
  mic?.stopListening();
  if (phase === "speaking" && question.turn === turn) think();
}

function think() {
  let left = voice.think_seconds;
  if (left <= 0) {
    startRecording();
    return;
  }
  $("voice-timer").textContent = `${left} s`;
  setPhase("thinking");
  countdown = setInterval(() => {
    left -= 1;
    if (left > 0) $("voice-timer").textContent = `${left} s`;
    else startRecording();
  }, 1000);
}

function stopAsking() {
  interviewer.stop();
  mic?.stopListening();
  clearInterval(countdown);
}

function startRecording() {
  if (phase === "recording" || !mic) return;
  stopAsking();
  showError("");
  try {
    recorder = new MediaRecorder(mic.stream, recordingType ? { mimeType: recordingType } : {});
    recorder.start(1000); // a piece a second, sent as it comes
  } catch (error) {
    // The microphone went away since it was opened (unplugged, or access taken back).
    recorder = null;
    showError(`Recording could not start (${error.message}). Reload the page to try again, or type your answer.`);
    setPhase("ready");
    return;
  }
  const current = {
    clientId: crypto.randomUUID(),
    turn: question.turn,
    mime: recordingType,
    chunks: [],
    bytes: 0,
    transcript: "",
    finished: false,
    sentOn: null,
  };
  take = current;
  recorder.addEventListener("dataavailable", (event) => addChunk(current, event.data));
  current.mime = recorder.mimeType || recordingType;
  recordings.keep(id, current);
  $("live-caption").textContent = "";
  // With the server's captions the browser's recognition stays off: in Chrome it sends the
  // student's voice to Google, and no audio should leave the career centre's server.
  if (!voice.captions) captions.start();
  const started = performance.now();
  const tick = () => {
    const seconds = (performance.now() - started) / 1000;
    $("voice-timer").textContent = `${minutes(seconds)} / ${minutes(voice.max_seconds)}`;
    if (seconds >= voice.max_seconds - LIMIT_MARGIN_SECONDS) finishRecording({ timeUp: true });
  };
  tick();
  clock = setInterval(tick, 250);
  endingIn = null;
  mic.watchPauses({
    pauseSeconds: voice.pause_seconds,
    onCountdown: (seconds) => {
      endingIn = seconds;
      render();
    },
    onEnd: () => finishRecording(),
    onUnheard: () => showError("We cannot hear you yet. Check that your microphone is on and not muted, or press Type instead."),
  });
  setPhase("recording");
  sendTake();
}

function addChunk(current, blob) {
  if (current !== take || !blob.size) return;
  if (current.bytes + blob.size > voice.max_bytes) {
    discardRecording();
    showError(
      `Your answer is over the ${Math.round(voice.max_bytes / 2 ** 20)} MB limit, so it was not sent. ` +
        "Answer again more briefly, or type your answer.",
    );
    setPhase("ready");
    return;
  }
  current.chunks.push(blob);
  current.bytes += blob.size;
  recordings.keepPiece(current, current.chunks.length - 1, blob);
  if (current.sentOn === socket && connected()) socket.send(blob);
}

async function finishRecording({ timeUp = false } = {}) {
  if (phase !== "recording") return;
  const current = take;
  const finishing = recorder;
  current.timeUp = timeUp;
  clearInterval(clock);
  mic?.stopWatching();
  endingIn = null;
  setPhase("sending");
  const stopped = new Promise((resolve) => {
    if (finishing.state === "inactive") {
      resolve(); // the microphone went away and the recorder stopped by itself
      return;
    }
    finishing.addEventListener("stop", resolve, { once: true });
    finishing.stop();
  });
  const [transcript] = await Promise.all([captions.stop(), stopped]);
  if (recorder === finishing) recorder = null;
  if (take !== current) return; // refused or discarded meanwhile
  current.transcript = transcript;
  current.finished = true;
  recordings.keep(id, current);
  if (current.sentOn === socket) send({ type: "audio.end", client_id: current.clientId, browser_transcript: transcript });
  scheduleVoiceStep();
}

function discardRecording() {
  if (recorder?.state === "recording") recorder.stop();
  recorder = null;
  clearInterval(clock);
  mic?.stopWatching();
  endingIn = null;
  captions.abort();
  forgetTake();
}

function forgetTake() {
  if (take) recordings.forget(id, take.clientId);
  take = null;
}

// Send the recording from its start on this socket. After a dropped connection the server has
// only part of it, so all of it goes again (in a few large frames); its client_id makes the
// server store it once.
function sendTake() {
  if (!take || take.sentOn === socket || !connected()) return;
  send({ type: "audio.start", client_id: take.clientId, mime: take.mime, turn: take.turn });
  let frame = [];
  let size = 0;
  for (const chunk of take.chunks) {
    frame.push(chunk);
    size += chunk.size;
    if (size >= RESEND_FRAME_BYTES) {
      socket.send(new Blob(frame));
      frame = [];
      size = 0;
    }
  }
  if (frame.length) socket.send(new Blob(frame));
  if (take.finished) send({ type: "audio.end", client_id: take.clientId, browser_transcript: take.transcript });
  take.sentOn = socket;
}

function showCaption(text) {
  $("live-caption").textContent = text;
  $("live-caption").hidden = phase !== "recording" || !text;
}

// The server's provisional caption of the recording under way; never stored.
function serverCaption(event) {
  if (take?.clientId === event.client_id && phase === "recording" && event.text) showCaption(event.text);
}

function captionsFailed(error) {
  // Without the server's transcription the browser's is the answer of record: say it is gone.
  if (!voice.stt && phase === "recording") {
    showError(
      `Your browser's speech recognition stopped (${error}), so this answer cannot be written down. ` +
        "Press Type instead to type it.",
    );
  }
}

// --- The connection ------------------------------------------------------------------------

function connect() {
  $("connection").textContent = attempts ? "reconnecting…" : "connecting…";
  socket = new WebSocket(wsUrl);
  socket.addEventListener("open", () => {
    attempts = 0;
    $("connection").textContent = "connected";
    send({ type: "sync", after: lastSeq });
    // An answer sent into a dead connection goes again; if it did arrive, it is stored once.
    if (pending) send({ type: "answer", ...pending });
    render();
    scheduleVoiceStep(); // a kept recording goes again once the replay is in
  });
  socket.addEventListener("message", (message) => handle(JSON.parse(message.data)));
  socket.addEventListener("close", (close) => {
    render();
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
  sendAnswer(text);
  $("answer").value = "";
  sessionStorage.removeItem(draftKey);
});

// An answer goes once it is kept: resent on reconnect until its transcript comes, stored once.
function sendAnswer(text, code) {
  setPending({ turn: currentTurn, text, client_id: crypto.randomUUID(), ...(code ? { code } : {}) });
  if (!send({ type: "answer", ...pending })) {
    showError("Connection lost: your answer is kept and will be sent when it is back.");
  }
}
$("start").addEventListener("click", async () => {
  if (!typing && !mic) await turnOnVoice();
  send({ type: "start" });
});
$("skip").addEventListener("click", () => send({ type: "skip", turn: currentTurn }));
$("pause").addEventListener("click", () => send({ type: "pause" }));
$("resume").addEventListener("click", () => send({ type: "resume" }));
for (const button of ["end", "end-paused"]) {
  $(button).addEventListener("click", () => {
    if (confirm("End the interview now? Your report will cover what you have answered.")) {
      send({ type: "end" });
    }
  });
}
$("voice-on").addEventListener("click", async () => {
  await turnOnVoice();
  voiceStep();
});
$("answer-now").addEventListener("click", startRecording);
$("done").addEventListener("click", () => finishRecording());
$("type-instead").addEventListener("click", () => {
  typing = true;
  stopAsking();
  if (recorder) discardRecording();
  setPhase("off");
  $("answer").focus();
});
$("answer-by-voice").addEventListener("click", () => {
  typing = false;
  setPhase("off");
  voiceStep();
});

if (voiceMode) {
  // A recording the server never confirmed (the page was reloaded or closed): send it again.
  const kept = await recordings.load(id);
  if (kept) {
    const bytes = kept.chunks.reduce((sum, chunk) => sum + chunk.size, 0);
    take = { ...kept, bytes, finished: true, sentOn: null };
  }
}
render();
connect();
