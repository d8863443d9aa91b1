"""Server speech: transcription, synthesis, the clip cache and the question-audio view.

The providers answer from recordings under the clients' HTTP transports; nothing leaves the
machine.
"""

from __future__ import annotations

import io
import json
import shutil

import av
import pytest
from django.urls import reverse

from ai import speech
from ai.speech import SpeechError, Transcript
from interviews.models import Turn
from interviews.selectors import question_audio_url
from tests.ai import openai_recorded, speech_recorded
from tests.ai.speech_recorded import (
    MP3,
    elevenlabs_broken_stream,
    elevenlabs_error,
    elevenlabs_stream,
    transcription,
    wav,
)
from voice import clips
from voice.models import SpeechClip

pytestmark = pytest.mark.django_db(transaction=True)
QUESTION = "Tell me about a time you had to make a decision with incomplete information."


@pytest.fixture
def stt(settings, openai_api):
    settings.STT_PROVIDER = "openai"
    settings.STT_MODEL = "whisper-1"
    settings.STT_API_KEY = "sk-test-secret"
    return openai_api


@pytest.fixture
def elevenlabs(settings, elevenlabs_api):
    settings.TTS_PROVIDER = "elevenlabs"
    return elevenlabs_api


@pytest.fixture
def turn(student, make_interview) -> Turn:
    return Turn.objects.create(
        interview=make_interview(student), position=1, number=1, kind="core", text=QUESTION
    )


def _audio_path(turn: Turn) -> str:
    return reverse("turn_audio", args=[turn.interview_id, turn.position])


async def _body(response) -> bytes:
    if response.is_async:
        return b"".join([chunk async for chunk in response.streaming_content])
    return b"".join(response.streaming_content)


# --- Speech to text ---------------------------------------------------------------------------


def test_it_sends_the_recording_to_the_transcription_endpoint(stt, tmp_path):
    recording = tmp_path / "answer.webm"
    recording.write_bytes(b"\x1aE\xdf\xa3 webm audio")
    stt.reply(transcription(" I would profile the service first. ", seconds=4.2))

    transcript = speech.transcribe(recording, content_type="audio/webm")

    assert transcript == Transcript("I would profile the service first.", 4.2, "openai")
    (request,) = stt.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.openai.com/v1/audio/transcriptions"
    assert request.headers["authorization"] == "Bearer sk-test-secret"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="model"\r\n\r\nwhisper-1\r\n' in body
    assert b'name="file"; filename="answer.webm"\r\nContent-Type: audio/webm' in body
    assert b"\x1aE\xdf\xa3 webm audio" in body


def test_a_self_hosted_whisper_server_is_used_as_configured(stt, settings, tmp_path):
    settings.STT_BASE_URL = "http://whisper.internal:8000/v1"
    settings.STT_MODEL = "Systran/faster-whisper-small"
    recording = tmp_path / "answer.ogg"
    recording.write_bytes(b"OggS audio")
    stt.reply(transcription("Hello."))  # such servers report no duration

    transcript = speech.transcribe(recording, content_type="audio/ogg")

    assert transcript == Transcript("Hello.", None, "openai")
    assert str(stt.requests[0].url) == "http://whisper.internal:8000/v1/audio/transcriptions"
    assert b"Systran/faster-whisper-small" in stt.requests[0].content


def test_a_rate_limit_is_retried(stt, tmp_path):
    recording = tmp_path / "answer.webm"
    recording.write_bytes(b"webm audio")
    stt.reply(openai_recorded.error(429), transcription("Second time lucky."))

    assert speech.transcribe(recording, content_type="audio/webm").text == "Second time lucky."
    assert len(stt.requests) == 2


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        # A server error is retried (LLM_MAX_RETRIES is 1 here), a wrong key is not.
        ([openai_recorded.error(500)] * 2, "HTTP 500: The server had an error"),
        ([openai_recorded.error(401)], "HTTP 401: Incorrect API key provided"),
    ],
)
def test_a_provider_failure_is_a_clear_speech_error(stt, tmp_path, replies, reason):
    recording = tmp_path / "answer.webm"
    recording.write_bytes(b"webm audio")
    stt.reply(*replies)

    with pytest.raises(SpeechError) as raised:
        speech.transcribe(recording, content_type="audio/webm")

    assert raised.value.message == "We could not transcribe your answer; your recording is saved."
    assert raised.value.reason.startswith(reason)
    assert len(stt.requests) == len(replies)


def test_a_timeout_is_a_clear_speech_error(stt, settings, tmp_path):
    settings.LLM_MAX_RETRIES = 0  # a timeout's retry would wait the client's backoff
    recording = tmp_path / "answer.webm"
    recording.write_bytes(b"webm audio")
    stt.reply(openai_recorded.timeout)

    with pytest.raises(SpeechError, match="your recording is saved") as raised:
        speech.transcribe(recording, content_type="audio/webm")

    assert raised.value.reason == "Request timed out."


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (apt install ffmpeg)")
def test_a_long_recording_is_split_and_the_pieces_joined_in_order(stt, monkeypatch, tmp_path):
    monkeypatch.setattr(speech, "MAX_UPLOAD_BYTES", 10_000)
    monkeypatch.setattr(speech, "PIECE_SECONDS", 1)
    recording = tmp_path / "answer.wav"
    recording.write_bytes(wav(seconds=2.5))
    stt.reply(
        transcription("First I measured.", 1.0),
        transcription("Then I fixed the query.", 1.0),
        transcription("It was ten times faster.", 0.5),
    )

    transcript = speech.transcribe(recording, content_type="audio/wav")

    assert transcript.text == "First I measured. Then I fixed the query. It was ten times faster."
    assert transcript.duration_seconds == 2.5
    for number, request in enumerate(stt.requests):
        assert f'filename="piece-{number:04d}.ogg"\r\nContent-Type: audio/ogg'.encode() in (
            request.content
        )
        assert b"OggS" in request.content and b"RIFF" not in request.content


def test_a_long_recording_without_ffmpeg_is_a_clear_error(stt, monkeypatch, tmp_path):
    monkeypatch.setattr(speech, "MAX_UPLOAD_BYTES", 10)
    monkeypatch.setenv("PATH", str(tmp_path))  # no ffmpeg on it
    recording = tmp_path / "answer.wav"
    recording.write_bytes(wav(seconds=1))

    with pytest.raises(SpeechError, match="your recording is saved") as raised:
        speech.transcribe(recording, content_type="audio/wav")

    assert "ffmpeg is not installed" in raised.value.reason
    assert not stt.requests


def test_without_a_stt_provider_nothing_is_transcribed(openai_api, tmp_path, settings):
    settings.STT_PROVIDER = "none"
    recording = tmp_path / "answer.webm"
    recording.write_bytes(b"webm audio")
    assert not speech.stt_enabled()
    with pytest.raises(SpeechError):
        speech.transcribe(recording, content_type="audio/webm")
    assert not openai_api.requests


# --- Text to speech ---------------------------------------------------------------------------


def test_openai_speech_streams_mp3(settings, openai_api):
    settings.TTS_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test-secret"
    openai_api.reply(speech_recorded.speech())

    chunks = list(speech.synthesize_stream(QUESTION))

    assert b"".join(chunks) == MP3
    (request,) = openai_api.requests
    assert str(request.url) == "https://api.openai.com/v1/audio/speech"
    assert json.loads(request.content) == {
        "model": "gpt-4o-mini-tts",
        "voice": "alloy",
        "input": QUESTION,
        "response_format": "mp3",
    }


def test_elevenlabs_streams_mp3_with_the_configured_voice_and_model(elevenlabs):
    elevenlabs.reply(elevenlabs_stream())

    assert b"".join(speech.synthesize_stream(QUESTION)) == MP3
    (request,) = elevenlabs.requests
    assert request.url.path == "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream"
    assert request.url.params["output_format"] == "mp3_44100_128"
    assert request.headers["xi-api-key"] == "xi-test-key"
    assert json.loads(request.content) == {"text": QUESTION, "model_id": "eleven_flash_v2_5"}


def test_a_stream_that_breaks_midway_is_not_kept(elevenlabs, settings):
    elevenlabs.reply(elevenlabs_broken_stream())

    with pytest.raises(SpeechError) as raised:
        b"".join(clips.synthesize_and_store(QUESTION))

    assert "incomplete chunked read" in raised.value.reason
    assert not SpeechClip.objects.exists()
    assert not list((settings.MEDIA_ROOT / "speech").glob("*"))


def test_a_stream_the_listener_abandons_is_not_kept(elevenlabs):
    elevenlabs.reply(elevenlabs_stream())

    chunks = clips.synthesize_and_store(QUESTION)
    next(chunks)
    chunks.close()

    assert not SpeechClip.objects.exists()


def test_audio_url_only_with_a_tts_provider(settings, turn):
    assert question_audio_url(turn) is None
    settings.TTS_PROVIDER = "openai"
    assert question_audio_url(turn) == f"/interviews/{turn.interview_id}/turns/1/audio/"


# --- The question-audio view ------------------------------------------------------------------


async def test_the_owner_gets_the_audio_streamed_once_then_from_the_cache(
    async_client, student, turn, elevenlabs
):
    elevenlabs.reply(elevenlabs_stream())
    await async_client.aforce_login(student)

    first = await async_client.get(_audio_path(turn))
    assert first.status_code == 200
    assert first["Content-Type"] == "audio/mpeg"
    assert first["Cache-Control"] == "private"
    assert await _body(first) == MP3

    clip = await SpeechClip.objects.aget()
    assert (clip.provider, clip.voice) == ("elevenlabs", "JBFqnCBsd6RMkjVDRZzb/eleven_flash_v2_5")

    again = await async_client.get(_audio_path(turn))
    assert again.status_code == 200
    assert again["Content-Type"] == "audio/mpeg"
    assert again["Content-Length"] == str(len(MP3))
    assert again["Cache-Control"] == "private"
    assert await _body(again) == MP3
    assert len(elevenlabs.requests) == 1


@pytest.mark.parametrize("status", [401, 429, 500])
def test_a_provider_refusal_is_a_503_the_page_can_fall_back_from(
    client_for, student, turn, elevenlabs, status
):
    elevenlabs.reply(elevenlabs_error(status))

    response = client_for(student).get(_audio_path(turn))

    assert response.status_code == 503
    assert response.content.decode() == "The interviewer's voice is unavailable right now."
    assert not SpeechClip.objects.exists()


def test_nobody_else_gets_the_audio(client_for, second_student, turn, elevenlabs):
    assert client_for(second_student).get(_audio_path(turn)).status_code == 404
    assert not elevenlabs.requests


def test_a_missing_turn_is_a_404(client_for, student, turn, elevenlabs):
    path = reverse("turn_audio", args=[turn.interview_id, 2])
    assert client_for(student).get(path).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, turn, elevenlabs):
    response = client.get(_audio_path(turn))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_with_the_browser_voice_there_is_no_server_audio(client_for, student, turn):
    assert client_for(student).get(_audio_path(turn)).status_code == 404


async def test_the_local_voice_speaks_a_question_and_keeps_it(
    async_client, student, turn, settings
):
    settings.TTS_PROVIDER = "local"
    await async_client.aforce_login(student)

    first = await async_client.get(_audio_path(turn))
    assert (first.status_code, first["Content-Type"]) == (200, "audio/mpeg")
    spoken = await _body(first)
    with av.open(io.BytesIO(spoken)) as container:
        assert container.format.name == "mp3"
        assert (container.duration or 0) / av.time_base > 1.0

    clip = await SpeechClip.objects.aget()
    assert (clip.provider, clip.voice) == ("local", "piper/en_US-joe-medium")
    again = await async_client.get(_audio_path(turn))
    assert await _body(again) == spoken
