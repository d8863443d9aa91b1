"""The speech engines: transcribe recorded answers, speak the questions.

Speech to text runs on this machine (`local`: Whisper, see `ai.local_speech`) or goes to an
OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI's, or a self-hosted Whisper server);
text to speech is Piper on this machine, or streams from ElevenLabs or OpenAI (`voice.clips`
keeps what was spoken). The clients come from `ai.providers`; a failure that outlasts their retries
raises `SpeechError`, whose message a student can read and whose `reason` says what went wrong.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import openai
from django.conf import settings
from elevenlabs.core.api_error import ApiError
from openai.types.audio.transcription import UsageDuration

from ai import local_speech, providers
from ai.local_speech import LocalSpeechError, Word

log = logging.getLogger(__name__)

# The transcription API takes at most 25 MB a request; a longer recording is cut into pieces.
MAX_UPLOAD_BYTES = 24 * 1024 * 1024
# A piece re-encoded as mono Opus at 24 kbit/s: about 1.8 MB for 10 minutes.
PIECE_SECONDS = 600
AUDIO_CONTENT_TYPE = "audio/mpeg"  # every TTS engine speaks MP3

STT_FAILED = "We could not transcribe your answer; your recording is saved."
TTS_FAILED = "The interviewer's voice is unavailable right now."

PROVIDER_ERRORS = (openai.OpenAIError, httpx2.HTTPError, ApiError, httpx.HTTPError)


class SpeechError(Exception):
    """Speech failed: `message` is for the student, `reason` for the logs and site staff."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Transcript:
    text: str
    duration_seconds: float | None  # when the provider reports it
    engine: str
    words: tuple[Word, ...] = ()  # each word's time, from the local engine


def captions_enabled() -> bool:
    """Whether a recording is captioned on the server while it is being made (local engine)."""
    return settings.STT_PROVIDER == "local" and settings.STT_CAPTION_SECONDS > 0


def stt_enabled() -> bool:
    return settings.STT_PROVIDER != "none"


def tts_enabled() -> bool:
    return settings.TTS_PROVIDER != "browser"


def _failed(message: str, reason: str) -> SpeechError:
    log.warning("Speech failed: %s", reason)
    return SpeechError(message, reason=reason)


# --- Speech to text ---------------------------------------------------------------------------


def transcribe(path: Path, *, content_type: str) -> Transcript:
    """Return what was said in the recording at `path` (its name's extension tells the format)."""
    if not stt_enabled():
        raise SpeechError(STT_FAILED, reason="STT_PROVIDER is none: the browser transcribes.")
    if settings.STT_PROVIDER == "local":
        return _transcribe_here(path)
    if path.stat().st_size <= MAX_UPLOAD_BYTES:
        return _transcribe_file(path, content_type)
    with tempfile.TemporaryDirectory() as directory:
        parts = [_transcribe_file(piece, "audio/ogg") for piece in _split(path, Path(directory))]
    known = [part.duration_seconds for part in parts if part.duration_seconds is not None]
    return Transcript(
        text=" ".join(part.text for part in parts if part.text),
        duration_seconds=sum(known) if len(known) == len(parts) else None,
        engine=settings.STT_PROVIDER,
    )


def _transcribe_here(path: Path) -> Transcript:
    try:
        heard = local_speech.transcribe(local_speech.decode(str(path)))
    except LocalSpeechError as error:
        raise _failed(STT_FAILED, str(error)) from error
    return Transcript(heard.text, heard.duration_seconds, "local", heard.words)


def caption(recording: bytes, *, settled: str, since: float) -> local_speech.Caption:
    """Caption a recording still being made (see `ai.local_speech.caption`)."""
    try:
        return local_speech.caption(recording, settled=settled, since=since)
    except LocalSpeechError as error:
        raise _failed(STT_FAILED, str(error)) from error


def _transcribe_file(path: Path, content_type: str) -> Transcript:
    try:
        result = providers.stt_client().audio.transcriptions.create(
            model=settings.STT_MODEL, file=(path.name, path.read_bytes(), content_type)
        )
    except openai.OpenAIError as error:
        raise _failed(STT_FAILED, providers.failure(error)) from error
    # Models billed by the second (whisper-1) report the duration; others leave it out.
    usage = result.usage
    return Transcript(
        text=result.text.strip(),
        duration_seconds=usage.seconds if isinstance(usage, UsageDuration) else None,
        engine=settings.STT_PROVIDER,
    )


def _split(path: Path, directory: Path) -> list[Path]:
    """Re-encode the recording as mono Opus pieces of PIECE_SECONDS; return them in order."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        reason = "ffmpeg is not installed; it splits recordings over the provider's size limit."
        raise _failed(STT_FAILED, reason)
    command = [
        ffmpeg, "-nostdin", "-loglevel", "error", "-i", str(path),
        "-vn", "-ac", "1", "-c:a", "libopus", "-b:a", "24k",
        "-f", "segment", "-segment_time", str(PIECE_SECONDS), "-reset_timestamps", "1",
        str(directory / "piece-%04d.ogg"),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True)
    except subprocess.CalledProcessError as error:
        detail = error.stderr.decode(errors="replace").strip()[-300:]
        raise _failed(STT_FAILED, f"ffmpeg could not split the recording: {detail}") from error
    return sorted(directory.glob("piece-*.ogg"))


# --- Text to speech ---------------------------------------------------------------------------


def synthesize_stream(text: str) -> Iterator[bytes]:
    """Speak `text` with the configured provider; yield the MP3 audio as it arrives."""
    try:
        if settings.TTS_PROVIDER == "elevenlabs":
            yield from providers.elevenlabs_client().text_to_speech.stream(
                settings.ELEVENLABS_VOICE_ID,
                text=text,
                model_id=settings.ELEVENLABS_MODEL,
                output_format="mp3_44100_128",
            )
        elif settings.TTS_PROVIDER == "local":
            yield from local_speech.synthesize(text)
        elif settings.TTS_PROVIDER == "openai":
            with providers.llm_client().audio.speech.with_streaming_response.create(
                model=settings.OPENAI_TTS_MODEL,
                voice=settings.OPENAI_TTS_VOICE,
                input=text,
                response_format="mp3",
            ) as response:
                yield from response.iter_bytes()
        else:
            raise SpeechError(TTS_FAILED, reason="TTS_PROVIDER is browser: the page speaks.")
    except PROVIDER_ERRORS as error:
        raise _failed(TTS_FAILED, providers.failure(error)) from error
    except LocalSpeechError as error:
        raise _failed(TTS_FAILED, str(error)) from error


def voice_name() -> str:
    """Name the voice and model speaking: a change of either makes new speech."""
    if settings.TTS_PROVIDER == "elevenlabs":
        return f"{settings.ELEVENLABS_VOICE_ID}/{settings.ELEVENLABS_MODEL}"
    if settings.TTS_PROVIDER == "local":
        return f"piper/{Path(local_speech.voice_path()).stem}"
    return f"{settings.OPENAI_TTS_VOICE}/{settings.OPENAI_TTS_MODEL}"
