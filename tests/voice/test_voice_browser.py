"""A voice interview in a real browser: hear the question, answer out loud, read how you sounded.

Daphne and a Celery worker run as separate processes on the test database (PostgreSQL, Redis).
Debian's headless Chromium hears a WAV made with espeak-ng through its fake microphone, and the
worker transcribes with a local stand-in for OpenAI's `/v1/audio/transcriptions`.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import json
import math
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import av
import pytest

from interviews.models import Answer, Interview
from tests.browser import log_in, needs_chromium, wait_until
from tests.processes import needs_services
from tests.voice.audio_samples import needs_espeak, speech, wav

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_services,
    needs_chromium,
    needs_espeak,
]
ANSWER = (
    "I would reproduce the slow page with a load test first. Then I would profile the service "
    "to see where the time goes, because guessing wastes time. Last year I found a slow database "
    "query that way, and the page became three times faster."
)
# Headless Chromium has no voices: speak() fails at once. This stand-in records what the page
# asks to be spoken and "speaks" it for `speechSeconds` unless cancelled (the student interrupts).
SPEECH_STAND_IN = """
window.spoken = [];
window.interrupted = 0;
window.speechSeconds = 30;
let speaking = null;
let timer = 0;
const finish = (utterance) => {
  clearTimeout(timer);
  speaking = null;
  utterance.dispatchEvent(new Event("end"));
};
speechSynthesis.speak = (utterance) => {
  window.spoken.push(utterance.text);
  speaking = utterance;
  utterance.dispatchEvent(new Event("start"));
  timer = setTimeout(() => finish(utterance), window.speechSeconds * 1000);
};
speechSynthesis.cancel = () => {
  if (!speaking) return;
  window.interrupted += 1;
  finish(speaking);
};
"""


class Transcriber(ThreadingHTTPServer):
    """OpenAI's transcription API on a free local port; every recording is heard as ANSWER."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _TranscriptionRequest)
        self.recordings: list[bytes] = []
        self.models: list[str] = []


class _TranscriptionRequest(BaseHTTPRequestHandler):
    server: Transcriber

    def do_POST(self) -> None:
        if self.path != "/v1/audio/transcriptions":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers["Content-Length"]))
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        fields = {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in form.iter_parts()
        }
        recording = fields["file"]
        self.server.recordings.append(recording)
        self.server.models.append(fields["model"].decode())
        seconds = math.ceil(decoded_seconds(recording))
        reply = json.dumps({"text": ANSWER, "usage": {"type": "duration", "seconds": seconds}})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


def decoded_seconds(recording: bytes) -> float:
    """Return the length of a recording, from its decoded samples."""
    with av.open(io.BytesIO(recording)) as container:
        return sum((frame.samples / frame.sample_rate for frame in container.decode(audio=0)), 0.0)


@pytest.fixture
def transcriber() -> Iterator[Transcriber]:
    server = Transcriber()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def service_env(transcriber: Transcriber, spoken_answer: tuple[Path, float]) -> dict[str, str]:
    """Transcribe with the stand-in; let an answer run a little longer than the spoken one."""
    return {
        "STT_PROVIDER": "openai",
        "STT_BASE_URL": f"http://127.0.0.1:{transcriber.server_address[1]}/v1",
        "STT_API_KEY": "test",
        "AUDIO_MAX_SECONDS": str(math.ceil(spoken_answer[1]) + 5),
    }


@pytest.fixture
def spoken_answer(tmp_path: Path) -> tuple[Path, float]:
    """Return a WAV of ANSWER spoken by espeak-ng, and its length in seconds."""
    samples, rate = speech(ANSWER)
    path = tmp_path / "answer.wav"
    path.write_bytes(wav(samples, rate))
    return path, len(samples) / rate


@pytest.fixture
def chromium_args(chromium_args: list[str], spoken_answer: tuple[Path, float]) -> list[str]:
    """A microphone that says the answer over and over, allowed without asking."""
    return [
        *chromium_args,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={spoken_answer[0]}",
    ]


# Tallies, in the page, what each MediaRecorder recorded, and what the room kept in IndexedDB.
RECORDER_TALLY = """
window.takes = [];
const Recorder = window.MediaRecorder;
window.MediaRecorder = class extends Recorder {
  constructor(...args) {
    super(...args);
    const take = { pieces: [], stopped: false };
    window.takes.push(take);
    this.addEventListener("dataavailable", (event) => take.pieces.push(event.data));
    this.addEventListener("stop", () => { take.stopped = true; });
  }
};
window.keptBytes = () => new Promise((resolve) => {
  const request = indexedDB.open("rehearse-recordings");
  request.onsuccess = () => {
    const all = request.result.transaction("pieces").objectStore("pieces").openCursor();
    const sizes = {};
    all.onsuccess = () => {
      const cursor = all.result;
      if (!cursor) return resolve(Object.values(sizes));
      sizes[cursor.key[0]] = (sizes[cursor.key[0]] || 0) + cursor.value.size;
      cursor.continue();
    };
  };
});
"""


def recorded(page, index: int) -> bytes:
    """Return what the page's `index`th recorder recorded, once it has stopped."""
    wait_until(page, f"window.takes[{index}]?.stopped === true")
    encoded = page.evaluate(
        """async (index) => {
          const bytes = new Uint8Array(await new Blob(window.takes[index].pieces).arrayBuffer());
          let text = "";
          for (const byte of bytes) text += String.fromCharCode(byte);
          return btoa(text);
        }""",
        index,
    )
    return base64.b64decode(encoded)


def set_up_interview(page) -> None:
    """Fill in the setup page that is open, leaving the answer mode as it is, and submit it."""
    page.select_option("select[name=level]", "3")
    page.fill("input[name=num_questions]", "3")
    page.check("input[name=interview_type][value=technical]")
    page.click("main button[type=submit]")


@pytest.fixture
def context(browser):
    """A browser profile that says no question aloud but records what it is asked to say."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    context.add_init_script(SPEECH_STAND_IN)
    yield context
    context.close()


def test_a_student_answers_out_loud_and_reads_how_they_sounded(
    student,
    organization,
    software,
    transcriber,
    service_env,
    worker,
    daphne,
    context,
    spoken_answer,
    settings,
):
    organization.think_time_seconds = 2
    organization.save()
    _, wav_seconds = spoken_answer
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    # Voice is the default, explained, and this browser can record.
    assert page.input_value("select[name=answer_mode]") == "voice"
    assert "microphone" in page.inner_text("#voice-help")
    assert page.locator("#voice-problem").is_hidden()
    set_up_interview(page)
    page.click("#start")  # also lets the page use the microphone and speak

    # The interviewer speaks the question; the student talks over it, so it stops and listens.
    page.wait_for_selector(".bubble.interviewer")
    page.wait_for_selector("#done:visible")
    recording_from = time.monotonic()
    interview = Interview.objects.get(user=student)
    assert page.evaluate("window.spoken") == [interview.turns.get(position=1).text]
    assert page.evaluate("window.interrupted") == 1
    assert page.evaluate("document.activeElement.id") == "done"
    assert "Recording" in page.inner_text("#voice-status")

    # The student answers for as long as the WAV lasts, then presses Done with the keyboard.
    page.evaluate("window.speechSeconds = 0")  # the next question ends before anyone can interrupt
    time.sleep(max(0.0, wav_seconds - (time.monotonic() - recording_from)))
    # How long the page has recorded, by its own clock ("0:13 / 5:00"); the test's own clock
    # drifts from it when the machine is starved.
    shown = page.inner_text("#voice-timer").split(" / ")[0]
    page.keyboard.press("Space")
    recorded = int(shown.split(":")[0]) * 60 + int(shown.split(":")[1]) + 0.5
    page.wait_for_selector(f".bubble.you:has-text('{ANSWER[:40]}')", timeout=40_000)
    assert "spoken" in page.inner_text(".bubble.you .who")

    # The next question is spoken in full; after the think time, recording starts by itself,
    # and at the time limit it stops and is sent by itself, within the limit the server checks.
    wait_until(page, "document.querySelectorAll('.bubble.interviewer').length === 2")
    page.wait_for_selector("#voice-status[data-phase=thinking]")
    assert page.inner_text("#voice-timer").endswith("s")
    page.wait_for_selector("#done:visible")
    assert len(page.evaluate("window.spoken")) == 2
    assert page.evaluate("window.interrupted") == 1
    limit = int(service_env["AUDIO_MAX_SECONDS"])
    assert page.inner_text("#voice-timer").endswith(f"/ {limit // 60}:{limit % 60:02}")
    wait_until(
        page,
        "document.querySelectorAll('.bubble.interviewer').length === 3",
        timeout=(limit + 30) * 1000,
    )
    assert page.locator(".bubble.you").count() == 2

    # Ending mid-answer drops that recording; the report covers the answers given.
    page.evaluate("window.speechSeconds = 30")
    page.wait_for_selector("#done:visible")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#end")
    page.wait_for_selector("text=Your report is ready.", timeout=60_000)
    page.click("#report-link")
    sounded = page.inner_text("#how-you-sounded")
    assert "words a minute" in sounded
    assert "Across your 2 spoken answers" in sounded
    page.close()
    assert errors == []

    # The server got each whole recording, once, and the stand-in's words are the answers.
    assert transcriber.models == [settings.STT_MODEL] * 2
    received = [decoded_seconds(recording) for recording in transcriber.recordings]
    # Whole, once: not cut short, not doubled. On a starved machine the encoder delivers the first
    # second or two of the fake microphone late, after the page's clock has started.
    assert recorded - 3 <= received[0] <= recorded + 1.5
    assert received[1] == pytest.approx(limit - 1, abs=1.5)
    answers = interview.answers.order_by("turn__position")
    assert [(a.kind, a.text, a.transcript_source) for a in answers] == [
        (Answer.Kind.AUDIO, ANSWER, Answer.TranscriptSource.SERVER)
    ] * 2


def test_a_recording_survives_a_dropped_connection_and_a_closed_tab(
    student, software, transcriber, worker, daphne, context, settings
):
    context.add_init_script(RECORDER_TALLY)
    page = context.new_page()
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    set_up_interview(page)
    room = page.url
    page.click("#start")

    # The server goes away mid-answer: the student keeps talking, then presses Done.
    page.wait_for_selector("#done:visible")
    first_from = time.monotonic()
    daphne.stop()
    page.wait_for_selector("#voice-status:has-text('Keep talking: your recording is kept')")
    daphne.start()
    wait_until(page, "document.getElementById('connection').textContent === 'connected'")
    time.sleep(max(0.0, 8 - (time.monotonic() - first_from)))
    page.click("#done")
    page.wait_for_selector(f".bubble.you:has-text('{ANSWER[:40]}')", timeout=40_000)
    first = recorded(page, 0)

    # Gone again mid-answer, and the tab is closed before it is back: the recording waited in
    # the browser's storage, and the room sends it when it is opened again.
    wait_until(page, "document.querySelectorAll('.bubble.interviewer').length === 2")
    page.wait_for_selector("#done:visible")
    daphne.stop()
    time.sleep(2)
    page.click("#done")
    page.wait_for_selector("#voice-status:has-text('will be sent when the connection is back')")
    second = recorded(page, 1)
    wait_until(page, f"window.keptBytes().then((sizes) => sizes.includes({len(second)}))")
    page.close()
    daphne.start()
    page = context.new_page()
    page.goto(room)
    wait_until(
        page,
        "document.querySelectorAll('.bubble.you').length === 2"
        f" && document.querySelectorAll('.bubble.you')[1].textContent.includes({ANSWER[:40]!r})",
        timeout=40_000,
    )
    assert page.locator(".bubble.interviewer").count() >= 2

    # Each answer stored once, whole: the resends replaced what the server had half received,
    # byte for byte what the browser recorded (its length in seconds depends on how busy the
    # machine was, so it is not what is compared).
    interview = Interview.objects.get(user=student)
    assert interview.answers.filter(kind=Answer.Kind.AUDIO).count() == 2
    assert [len(recording) for recording in transcriber.recordings] == [len(first), len(second)]
    assert transcriber.recordings == [first, second]
    assert decoded_seconds(first) > 4


# No server transcription: the browser's counts.
@pytest.mark.parametrize("service_env", [{"STT_PROVIDER": "none"}])
def test_a_refused_recording_leaves_the_student_free_to_type(
    student, software, worker, daphne, context, settings, service_env
):
    page = context.new_page()
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    set_up_interview(page)
    page.click("#start")
    page.wait_for_selector("#done:visible")
    assert page.locator("#browser-transcript-note").is_visible()
    # Headless Chromium's speech recognition cannot hear the fake microphone: the room says so.
    page.wait_for_selector("#alert:has-text('speech recognition stopped')")

    page.click("#done")
    page.wait_for_selector("#alert:has-text('could not hear any words')")
    page.wait_for_selector("#answer-now:visible")
    assert page.evaluate("document.activeElement.id") == "answer-now"
    page.click("#type-instead")
    assert page.evaluate("document.activeElement.id") == "answer"
    page.keyboard.type(ANSWER)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f".bubble.you:has-text('{ANSWER[:40]}')")
    wait_until(page, "document.querySelectorAll('.bubble.interviewer').length === 2")

    interview = Interview.objects.get(user=student)
    assert list(interview.answers.values_list("kind", flat=True)) == [Answer.Kind.TEXT]
