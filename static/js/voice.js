// The voice of the interview room: the interviewer speaking, the student's microphone and the
// live captions of what the student says. Plain browser APIs; room.js decides when each is used.

const Recognition = window.SpeechRecognition ?? window.webkitSpeechRecognition;

/** Whether this browser can write down speech as it is said (live captions). */
export const canRecognize = Boolean(Recognition);

/** Whether this browser can record the microphone. */
export const canRecord = Boolean(navigator.mediaDevices?.getUserMedia && window.MediaRecorder);

/** The recording format: webm/opus where supported (Chrome, Firefox), else what the browser has. */
export const recordingType = canRecord
  ? ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"].find((type) => MediaRecorder.isTypeSupported(type)) ?? ""
  : "";

// Chrome loads its voices lazily: asking once now makes them ready by the first question.
window.speechSynthesis?.getVoices();

function englishVoice() {
  const voices = window.speechSynthesis.getVoices().filter((voice) => voice.lang.toLowerCase().startsWith("en"));
  return voices.find((voice) => voice.default) ?? voices.find((voice) => voice.localService) ?? voices[0];
}

/** Speaks questions: the server's audio when the question has some, else the browser's voice. */
export class Interviewer {
  #audio;
  #stop = null;

  /** `audio` is an <audio> element: it plays the server's stream while it is still arriving. */
  constructor(audio) {
    this.#audio = audio;
  }

  /** Speak; resolve when the question has been spoken, could not be, or `stop` was called. */
  speak(text, audioUrl) {
    this.stop();
    return new Promise((resolve) => {
      const audio = this.#audio;
      let finished = false;
      let timer = 0;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        audio.onended = audio.onerror = null;
        this.#stop = null;
        resolve();
      };
      const synthesize = () => {
        audio.onended = audio.onerror = null;
        audio.removeAttribute("src");
        if (finished || !window.speechSynthesis) return finish();
        const utterance = new SpeechSynthesisUtterance(text);
        const voice = englishVoice();
        if (voice) utterance.voice = voice;
        utterance.lang = voice?.lang ?? "en-US";
        utterance.onend = utterance.onerror = finish;
        // Chrome sometimes never ends a long utterance: do not wait past a generous estimate.
        timer = setTimeout(finish, (3 + text.split(/\s+/).length / 2) * 1000);
        this.#stop = () => {
          speechSynthesis.cancel();
          finish();
        };
        speechSynthesis.speak(utterance);
      };
      if (!audioUrl) {
        synthesize();
        return;
      }
      this.#stop = () => {
        audio.pause();
        audio.removeAttribute("src");
        finish();
      };
      audio.onended = finish;
      // The server answers 503 when its speech provider fails: the browser's voice steps in.
      audio.onerror = synthesize;
      audio.src = audioUrl;
      audio.play().catch((error) => {
        if (error.name === "NotAllowedError") finish(); // no gesture yet: the caption still shows it
      });
    });
  }

  stop() {
    this.#stop?.();
  }
}

// Speech RMS (full scale 1) at a laptop's distance is around 0.05–0.3; a quiet room stays
// under 0.01. Above the threshold for HOLD_MS counts as the student speaking.
const THRESHOLD = 0.03;
const HOLD_MS = 300;
const STEP_MS = 50;
// While the interviewer speaks, echo cancellation removes most of its voice from the microphone;
// what is left must not pass for the student: a higher bar, held longer, and not in the first
// moments of the question (when the canceller is still learning the room).
const GUARD = { threshold: 1.5 * THRESHOLD, holdMs: 400, settleMs: 600 };
// The end of an answer: speech is over the START level, silence under the STOP level (a gap
// between the two keeps a soft word from flickering between them), both relative to the room's
// own noise. The last COUNTDOWN_SECONDS of a long silence are counted down on screen.
const START = 0.03;
const STOP = 0.015;
const COUNTDOWN_SECONDS = 3;
// Nothing heard this long after recording starts: the student is told to check the microphone.
const UNHEARD_SECONDS = 10;

/** The student's microphone, opened once for the interview; it can tell when someone speaks. */
export class Microphone {
  #context;
  #analyser;
  #samples;
  #timer = 0;
  #watch = 0;

  /** Open the microphone; call from a click, so that the browser lets the page hear and play. */
  static async open() {
    const stream = await navigator.mediaDevices.getUserMedia({
      // Echo cancellation keeps the interviewer's voice from the speakers out of the answer.
      audio: { echoCancellation: true, noiseSuppression: true },
    });
    const microphone = new Microphone(stream);
    await microphone.#context.resume();
    return microphone;
  }

  constructor(stream) {
    this.stream = stream;
    this.#context = new AudioContext();
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(stream).connect(this.#analyser);
  }

  /** The loudness (RMS, full scale 1) of the last few milliseconds. */
  #level() {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    return Math.sqrt(this.#samples.reduce((sum, sample) => sum + sample * sample, 0) / this.#samples.length);
  }

  /** Call `onVoice` once when the microphone hears someone speaking over the interviewer. */
  listen(onVoice) {
    this.stopListening();
    const started = performance.now();
    let level = 0;
    let loudFor = 0;
    this.#timer = setInterval(() => {
      // Hold the level through the short dips between syllables.
      level = Math.max(this.#level(), level * 0.7);
      const settled = performance.now() - started >= GUARD.settleMs;
      loudFor = settled && level > GUARD.threshold ? loudFor + STEP_MS : 0;
      if (loudFor >= GUARD.holdMs) {
        this.stopListening();
        onVoice();
      }
    }, STEP_MS);
  }

  stopListening() {
    clearInterval(this.#timer);
  }

  /**
   * Watch an answer for its end: after `pauseSeconds` of silence following speech, call
   * `onEnd`. A shorter pause never ends it. `onCountdown(seconds)` counts down the last
   * seconds of a long silence (null: speech again, or none yet); `onUnheard()` when nothing at
   * all has been heard for a while.
   */
  watchPauses({ pauseSeconds, onCountdown, onEnd, onUnheard }) {
    this.stopWatching();
    const started = performance.now();
    let noise = STOP; // the room's own level, learnt as the answer goes on
    let level = 0;
    let speaking = false;
    let heard = false;
    let warned = false;
    let silentSince = null;
    let shown = null;
    const countdown = Math.min(COUNTDOWN_SECONDS, pauseSeconds);
    this.#watch = setInterval(() => {
      const now = performance.now();
      const rms = this.#level();
      level = Math.max(rms, level * 0.8);
      // The floor follows the quietest moments quickly and rises slowly (a fan, traffic).
      noise = rms < noise ? 0.9 * noise + 0.1 * rms : noise * 1.002;
      if (level > Math.max(START, 3 * noise)) {
        speaking = heard = true;
        silentSince = null;
      } else if (speaking && level < Math.max(STOP, 1.5 * noise)) {
        speaking = false;
        silentSince = now;
      }
      if (!heard && !warned && now - started >= UNHEARD_SECONDS * 1000) {
        warned = true;
        onUnheard?.();
      }
      let left = null;
      if (silentSince !== null) {
        const silent = (now - silentSince) / 1000;
        if (silent >= pauseSeconds) {
          this.stopWatching();
          onEnd();
          return;
        }
        if (silent >= pauseSeconds - countdown) left = Math.ceil(pauseSeconds - silent);
      }
      if (left !== shown) {
        shown = left;
        onCountdown(left);
      }
    }, STEP_MS);
  }

  stopWatching() {
    clearInterval(this.#watch);
  }

  close() {
    this.stopListening();
    this.stopWatching();
    for (const track of this.stream.getTracks()) track.stop();
    this.#context.close();
  }
}

const join = (...parts) => parts.map((part) => part.trim()).filter(Boolean).join(" ");
// Errors after which listening again would fail again.
const FATAL = new Set(["not-allowed", "service-not-allowed", "audio-capture", "network", "language-not-supported"]);

/** Live captions from the browser's speech recognition, where it exists. */
export class Captions {
  #onText;
  #onFail;
  #recognition = null;
  #heard = "";
  #interim = "";
  #running = false;
  #ended = null;

  /** `onText(text)` gets everything heard so far; `onFail(error)` when recognition stops working. */
  constructor(onText, onFail) {
    this.#onText = onText;
    this.#onFail = onFail;
  }

  start() {
    this.abort();
    this.#heard = this.#interim = "";
    this.#running = canRecognize;
    if (this.#running) this.#listen();
  }

  #listen() {
    const recognition = new Recognition();
    recognition.continuous = true;
    recognition.interimResults = true;
    recognition.lang = navigator.language?.startsWith("en") ? navigator.language : "en-US";
    recognition.onresult = (event) => {
      let interim = "";
      for (let i = event.resultIndex; i < event.results.length; i++) {
        const result = event.results[i];
        if (result.isFinal) this.#heard = join(this.#heard, result[0].transcript);
        else interim = join(interim, result[0].transcript);
      }
      this.#interim = interim;
      this.#onText(join(this.#heard, interim));
    };
    recognition.onerror = (event) => {
      if (!FATAL.has(event.error)) return;
      this.#running = false;
      this.#onFail(event.error);
    };
    recognition.onend = () => {
      if (this.#recognition !== recognition) return; // aborted
      // Chrome ends a session after a silence; the answer goes on, so listening does too.
      if (this.#running) {
        this.#listen();
        return;
      }
      this.#recognition = null;
      this.#ended?.();
    };
    this.#recognition = recognition;
    try {
      recognition.start();
    } catch {
      this.#running = false;
      this.#onFail("start");
    }
  }

  /** Stop listening; resolve with everything heard, including the words of a last late result. */
  stop() {
    this.#running = false;
    const recognition = this.#recognition;
    const heard = () => join(this.#heard, this.#interim);
    if (!recognition) return Promise.resolve(heard());
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#ended = null;
        resolve(heard());
      };
      const timer = setTimeout(finish, 1500);
      this.#ended = finish;
      recognition.stop();
    });
  }

  /** Stop listening and forget what was heard. */
  abort() {
    const recognition = this.#recognition;
    this.#running = false;
    this.#ended = null;
    this.#recognition = null;
    recognition?.abort();
  }
}
