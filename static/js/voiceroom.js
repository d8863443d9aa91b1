// Answering out loud in the interview room. In a voice interview the interviewer speaks each new
// question, then the student answers out loud: the recording goes to the server as it is made
// (`audio.start`, binary frames, `audio.end`) and is kept, in memory and in IndexedDB, until its
// transcript comes back. room.js holds the interview's state and the rest of the page; it tells
// this flow what happens (a question, an answer in, a refusal…) and draws the voice panel with it.

import * as recordings from "./recordings.js";
import { Captions, Interviewer, Microphone, canRecognize, canRecord, recordingType } from "./voice.js";

const $ = (selector) => document.getElementById(selector);
// Refusals of the recording itself (or of one made for a question already answered in another
// tab): it will never be accepted, so it is dropped.
const AUDIO_REFUSALS = new Set(["audio_too_large", "audio_too_long", "not_audio", "audio_empty", "no_transcript", "question_moved_on"]);
// A recording sent again goes in frames of this size, not one per second of speech.
const RESEND_FRAME_BYTES = 256 * 1024;
// The server measures the decoded recording against the limit, and this clock ticks a little
// late: stopping a second early means a full-length answer is never refused as too long.
const LIMIT_MARGIN_SECONDS = 1;
// The control to press next in each phase of a voice answer.
const PHASE_FOCUS = { gate: "voice-on", speaking: "answer-now", thinking: "answer-now", ready: "answer-now", recording: "done", sending: "voice-status" };

const minutes = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

/**
 * The voice answers of one interview room. `connection` is its Connection; `interview()` returns
 * the room's `{state, currentTurn}`; `render()` draws the whole room (which calls `renderPanel`).
 */
export function voiceRoom({ interviewId: id, voiceMode, connection, interview, render, showError }) {
  const voice = {
    think_seconds: 3,
    max_seconds: 300,
    max_bytes: 20 * 1024 * 1024,
    stt: false,
    pause_seconds: 5,
    captions: false,
    ...JSON.parse($("voice-settings")?.textContent || "{}"),
  };
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

  function voiceStatus() {
    const away = !connection.connected;
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
        if (interview().state !== "listening") return "Your recording is kept and will be sent when the interview goes on.";
        return take?.timeUp
          ? `That is the ${minutes(voice.max_seconds)} limit. Sending your answer…`
          : "Sending your answer…";
      default:
        return "";
    }
  }

  // The voice parts of the room's render; `over` when the interview has ended.
  function renderPanel(over) {
    $("answer-by-voice").hidden = !(voiceMode && typing && !voiceProblem);
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

  function setPhase(next) {
    const moveFocus = PHASE_FOCUS[next] !== PHASE_FOCUS[phase];
    phase = next;
    render();
    if (moveFocus && PHASE_FOCUS[next] && !typing) $(PHASE_FOCUS[next]).focus();
  }

  // A refusal (`seq: null`) of a message of this page, other than of frames without `audio.start`.
  function refused(event) {
    if (take && AUDIO_REFUSALS.has(event.code)) {
      // This recording will never be accepted: record again, or type.
      discardRecording();
      setPhase(interview().state === "listening" ? "ready" : "off");
    } else if (take?.sentOn === connection.socket && event.code !== "too_many_messages") {
      take.sentOn = null; // not now (paused…): sent again when the question is open again
    }
  }

  // The answer of `turn` is in (its transcript came): its question is closed.
  function answerIn(turn) {
    answered.add(turn);
    // The server has the recording: nothing to send again.
    if (take?.turn === turn && !recorder) forgetTake();
  }

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
    const { state, currentTurn } = interview();
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
    if (current.sentOn === connection.socket) connection.sendFrame(blob);
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
    if (current.sentOn === connection.socket) {
      connection.send({ type: "audio.end", client_id: current.clientId, browser_transcript: transcript });
    }
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
    if (!take || take.sentOn === connection.socket || !connection.connected) return;
    connection.send({ type: "audio.start", client_id: take.clientId, mime: take.mime, turn: take.turn });
    let frame = [];
    let size = 0;
    for (const chunk of take.chunks) {
      frame.push(chunk);
      size += chunk.size;
      if (size >= RESEND_FRAME_BYTES) {
        connection.sendFrame(new Blob(frame));
        frame = [];
        size = 0;
      }
    }
    if (frame.length) connection.sendFrame(new Blob(frame));
    if (take.finished) connection.send({ type: "audio.end", client_id: take.clientId, browser_transcript: take.transcript });
    take.sentOn = connection.socket;
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

  return {
    /** Whether the student answers on the keyboard (always, outside a voice interview). */
    get typing() {
      return typing;
    },
    /** Whether a spoken answer is being recorded or sent. */
    get answering() {
      return ["recording", "sending"].includes(phase);
    },
    renderPanel,
    /** A `question` event: the newest question. */
    asked(event) {
      question = event;
    },
    answerIn,
    /** An `answer.withdrawn` event: no words could be made out, the question is open again. */
    withdrawn(turn) {
      answered.delete(turn);
    },
    refused,
    serverCaption,
    scheduleVoiceStep,
    /** Whether the microphone is still to be opened (from a click) for answering out loud. */
    get needsMicrophone() {
      return !typing && !mic;
    },
    turnOnVoice,
    /** A recording the server never confirmed (the page was reloaded or closed): send it again. */
    async restore() {
      if (!voiceMode) return;
      const kept = await recordings.load(id);
      if (kept) {
        const bytes = kept.chunks.reduce((sum, chunk) => sum + chunk.size, 0);
        take = { ...kept, bytes, finished: true, sentOn: null };
      }
    },
  };
}
