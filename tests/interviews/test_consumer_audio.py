"""Spoken answers over the interview room's WebSocket: audio.start, binary frames, audio.end."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from interviews import consumers, recordings
from interviews.models import Answer, Interview
from interviews.state import State
from tests.ai.speech_recorded import transcription
from tests.interviews.test_consumer import _open, _state, _until
from tests.voice.audio_samples import PNG, needs_espeak, speech, tone, wav, webm

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
    # One event loop for the module: each loop's worker threads keep a database connection
    # (Channels' database_sync_to_async), so a loop per test would hold one from the pool each.
    pytest.mark.asyncio(loop_scope="module"),
]
SAID = (
    "I would profile first, then fix the slowest query, because guessing wastes time; "
    "afterwards I measured the p95 again and it had dropped from 3 s to 180 ms."
)
FRAME = 16 * 1024  # what MediaRecorder hands over every quarter of a second, give or take


@pytest.fixture(autouse=True)
def browser_recognition_only(settings):
    """These recordings are mostly tones: the browser's words are the answer, unless a test
    turns server transcription on (the `stt` fixture, or the local engine in test_local_stt.py)."""
    settings.STT_PROVIDER = "none"


@pytest.fixture(scope="module")
def recording() -> bytes:
    return webm(wav(tone(3)))


def _frames(data: bytes, size: int = FRAME) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


async def _listening(student, make_interview):
    interview = await sync_to_async(make_interview)(student, answer_mode="voice")
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await ws.send_json_to({"type": "start"})
    events = await _until(ws, "state", state="listening")
    return interview, ws, events[-1]["seq"]


async def _record(ws, data: bytes, client_id: str, transcript: str | None = SAID) -> None:
    await ws.send_json_to({"type": "audio.start", "client_id": client_id, "mime": "audio/webm"})
    for frame in _frames(data):
        await ws.send_to(bytes_data=frame)
    end = {"type": "audio.end", "client_id": client_id}
    if transcript is not None:
        end["browser_transcript"] = transcript
    await ws.send_json_to(end)


async def _next_reply(ws):
    """Return the next message after the ones already sent; a `dance` marks where they end."""
    await ws.send_json_to({"type": "dance"})
    replies: list[dict] = []
    while True:
        reply = await ws.receive_json_from(timeout=10)
        if reply.get("code") == "unknown_type":
            return replies
        replies.append(reply)


async def _answers() -> int:
    return await Answer.objects.acount()


async def test_a_whole_interview_answered_aloud_with_server_transcription(
    stt, student, make_interview, recording, monkeypatch
):
    # Two messages an answer, answered faster than any person speaks: not a runaway client.
    monkeypatch.setattr(consumers, "BURST_MESSAGES", 100)
    stt.reply(*[transcription(SAID, seconds=3.0)] * 12)
    interview, ws, _ = await _listening(student, make_interview)

    answered = 0
    while True:
        answered += 1
        await _record(ws, recording, f"voice-{answered}", transcript="I would profile")
        events = await _until(ws, "state")
        while events[-1]["state"] not in ("listening", "complete"):
            events += await _until(ws, "state")
        transcripts = [e for e in events if e["type"] == "transcript"]
        assert [(t["final"], t["source"], t["text"]) for t in transcripts] == [
            (False, "browser", "I would profile"),
            (True, "server", SAID),
        ]
        if events[-1]["state"] == "complete":
            break
        assert [e["type"] for e in events].count("question") == 1
    await _until(ws, "report.ready")
    await ws.disconnect()

    assert await _state(interview) == State.FINISHED
    assert answered > 1 and len(stt.requests) == answered
    assert all(recording in request.content for request in stt.requests)
    stored = [a async for a in Answer.objects.filter(interview=interview)]
    assert len(stored) == answered
    assert {(a.kind, a.transcript_source, a.text) for a in stored} == {("audio", "server", SAID)}
    # Measured from the recording: three seconds of steady sound, no pause.
    measured = {(a.delivery["speaking_seconds"], a.delivery["long_pauses"]) for a in stored}
    assert measured == {(3.0, 0)}


@needs_espeak
async def test_a_spoken_answer_with_the_browsers_transcript(student, make_interview):
    samples, rate = speech("I would profile the service first, then fix the slowest query.")
    spoken = webm(wav(samples, rate))
    interview, ws, _ = await _listening(student, make_interview)

    await _record(ws, spoken, "espeak-1", transcript="I would profile the service first")
    events = await _until(ws, "state", state="listening")
    await ws.disconnect()

    transcript = next(e for e in events if e["type"] == "transcript")
    assert (transcript["text"], transcript["final"], transcript["source"]) == (
        "I would profile the service first",
        True,
        "browser",
    )
    assert [e["type"] for e in events].count("question") == 1
    answer = await Answer.objects.aget(interview=interview)
    assert answer.duration_seconds == pytest.approx(len(samples) / rate, abs=0.05)
    with answer.audio.open("rb") as stored:
        assert stored.read() == spoken  # every frame, in order


async def test_no_words_at_all_is_refused(student, make_interview, recording):
    interview, ws, _ = await _listening(student, make_interview)

    await _record(ws, recording, "silent-1", transcript=None)
    replies = await _next_reply(ws)
    await ws.disconnect()

    assert replies == [
        {
            "type": "error",
            "seq": None,
            "code": "no_transcript",
            "message": "We could not hear any words. Try again, or type your answer.",
        }
    ]
    assert await _answers() == 0
    assert await _state(interview) == State.LISTENING


async def test_an_oversize_recording_is_refused_once_and_the_next_one_is_taken(
    student, make_interview, recording, settings
):
    settings.AUDIO_MAX_BYTES = 2 * FRAME
    interview, ws, _ = await _listening(student, make_interview)

    await _record(ws, bytes(5 * FRAME), "big-1")
    replies = await _next_reply(ws)

    assert [r["code"] for r in replies] == ["audio_too_large"]
    assert replies[0]["seq"] is None
    assert replies[0]["message"].startswith("That recording is over 0.03125 MB")
    assert await _answers() == 0 and await _state(interview) == State.LISTENING

    settings.AUDIO_MAX_BYTES = 20 * 1024 * 1024
    await _record(ws, recording, "big-2")
    await _until(ws, "transcript")
    await ws.disconnect()
    assert await _answers() == 1


async def test_a_frame_over_a_megabyte_is_refused(student, make_interview):
    _, ws, _ = await _listening(student, make_interview)

    await ws.send_json_to({"type": "audio.start", "client_id": "huge-1", "mime": "audio/webm"})
    await ws.send_to(bytes_data=bytes(1024 * 1024 + 1))
    replies = await _next_reply(ws)
    await ws.disconnect()

    assert [r["code"] for r in replies] == ["audio_too_large"]
    assert await _answers() == 0


@pytest.mark.parametrize("payload", [PNG, bytes(range(256)) * 100], ids=["png", "noise"])
async def test_a_payload_that_is_not_audio_is_refused(student, make_interview, payload):
    interview, ws, _ = await _listening(student, make_interview)

    await _record(ws, payload, "junk-1")
    replies = await _next_reply(ws)
    await ws.disconnect()

    assert replies == [
        {
            "type": "error",
            "seq": None,
            "code": "not_audio",
            "message": recordings.AUDIO_REFUSALS["not_audio"],
        }
    ]
    assert await _answers() == 0 and await _state(interview) == State.LISTENING


async def test_binary_frames_without_audio_start_get_one_refusal(student, make_interview):
    _, ws, _ = await _listening(student, make_interview)

    for frame in _frames(bytes(4 * FRAME)):
        await ws.send_to(bytes_data=frame)
    await ws.send_json_to({"type": "audio.end", "client_id": "never-started"})
    replies = await _next_reply(ws)
    await ws.disconnect()

    assert replies == [
        {
            "type": "error",
            "seq": None,
            "code": "unexpected_binary",
            "message": "Start a recording before sending audio.",
        }
    ]
    assert await _answers() == 0


async def test_a_recording_in_the_wrong_state_is_refused_and_its_frames_ignored(
    student, make_interview, recording
):
    interview, ws, _ = await _listening(student, make_interview)
    await ws.send_json_to({"type": "pause"})
    await _until(ws, "state", state="paused")

    await _record(ws, recording, "paused-1")
    replies = await _next_reply(ws)
    await ws.disconnect()

    assert [r["code"] for r in replies] == ["paused"]
    assert await _answers() == 0
    assert await _state(interview) == State.PAUSED


async def test_a_drop_mid_answer_stores_nothing_and_the_resend_is_stored_once(
    student, make_interview, recording, settings
):
    interview, ws, seen = await _listening(student, make_interview)
    frames = _frames(recording, size=4096)
    await ws.send_json_to({"type": "audio.start", "client_id": "drop-1", "mime": "audio/webm"})
    for frame in frames[: len(frames) // 2]:
        await ws.send_to(bytes_data=frame)
    await ws.disconnect()  # the connection drops halfway through the recording

    assert await _answers() == 0
    assert not (settings.MEDIA_ROOT / "answers").exists()

    # The browser kept the recording and sends it again, whole, on the new connection.
    again, _ = await _open(interview.pk, student)
    await again.send_json_to({"type": "sync", "after": seen})
    await _record(again, recording, "drop-1")
    events = await _until(again, "state", state="listening")
    assert [e["type"] for e in events].count("transcript") == 1

    # The same recording once more (the reply was lost, say): nothing new is stored or logged.
    await _record(again, recording, "drop-1")
    assert await _next_reply(again) == []
    await again.disconnect()

    answer = await Answer.objects.aget(interview=interview)
    assert answer.client_id == "drop-1"
    with answer.audio.open("rb") as stored:
        assert stored.read() == recording
    files = [p for p in (settings.MEDIA_ROOT / "answers").rglob("*") if p.is_file()]
    assert len(files) == 1
    assert await interview.events.filter(type="transcript").acount() == 1


async def test_the_end_must_name_the_recording_started(student, make_interview, recording):
    _, ws, _ = await _listening(student, make_interview)
    await ws.send_json_to({"type": "audio.start", "client_id": "a", "mime": "audio/webm"})
    await ws.send_to(bytes_data=recording)
    await ws.send_json_to({"type": "audio.end", "client_id": "b", "browser_transcript": SAID})
    replies = await _next_reply(ws)
    await ws.disconnect()

    assert [r["code"] for r in replies] == ["bad_client_id"]
    assert await _answers() == 0


async def test_a_typed_interview_takes_text_answers_as_before(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    assert interview.answer_mode == Interview.AnswerMode.TEXT
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await ws.send_json_to({"type": "start"})
    await _until(ws, "state", state="listening")

    await ws.send_json_to({"type": "answer", "text": SAID, "client_id": "t1"})
    events = await _until(ws, "transcript")
    await ws.disconnect()

    assert events[-1]["source"] == "typed" and events[-1]["final"] is True


async def test_a_recording_for_a_question_already_answered_is_refused_and_not_stored(
    student, make_interview, recording
):
    interview, ws, _ = await _listening(student, make_interview)
    open_turn = await interview.turns.alatest("position")

    await ws.send_json_to(
        {"type": "audio.start", "client_id": "stale", "mime": "audio/webm", "turn": 0}
    )
    for frame in _frames(recording):
        await ws.send_to(bytes_data=frame)
    await ws.send_json_to({"type": "audio.end", "client_id": "stale", "browser_transcript": SAID})
    replies = await _next_reply(ws)

    assert [r["code"] for r in replies] == ["question_moved_on"]
    assert await _answers() == 0 and await _state(interview) == State.LISTENING

    await ws.send_json_to(
        {
            "type": "audio.start",
            "client_id": "now",
            "mime": "audio/webm",
            "turn": open_turn.position,
        }
    )
    for frame in _frames(recording):
        await ws.send_to(bytes_data=frame)
    await ws.send_json_to({"type": "audio.end", "client_id": "now", "browser_transcript": SAID})
    await _until(ws, "transcript")
    await ws.disconnect()
    assert [a.client_id async for a in Answer.objects.all()] == ["now"]


@needs_espeak
async def test_the_local_engine_captions_a_recording_as_it_arrives(
    student, make_interview, settings
):
    settings.STT_PROVIDER = "local"
    settings.STT_CAPTION_SECONDS = 0.5
    samples, rate = speech(SAID)
    spoken = webm(wav(samples, rate))
    _, ws, _ = await _listening(student, make_interview)

    await ws.send_json_to({"type": "audio.start", "client_id": "live", "turn": 1})
    captions = []
    for frame in _frames(spoken, FRAME // 4):
        await ws.send_to(bytes_data=frame)
        await asyncio.sleep(0.15)
        while not await ws.receive_nothing(timeout=0.01):
            captions.append(await ws.receive_json_from())
    await ws.send_json_to({"type": "audio.end", "client_id": "live"})
    events = await _until(ws, "state", state="listening")
    await ws.disconnect()

    provisional = [c for c in captions + events if c["type"] == "transcript" and c["seq"] is None]
    assert len(provisional) >= 2
    assert all(c["client_id"] == "live" and c["turn"] == 1 for c in provisional)
    assert all(not c["final"] and c["provisional"] and "caption" not in c for c in provisional)
    assert provisional[-1]["text"]
    # The answer of record is the whole recording heard again, never a caption.
    final = [e for e in events if e["type"] == "transcript" and e.get("final")]
    assert final[-1]["source"] == "server"
    assert len(final[-1]["text"].split()) >= len(provisional[0]["text"].split())
