"""One small real call to each configured AI provider, for `check_providers` and the staff page."""

from __future__ import annotations

import io
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openai
from django.conf import settings

from ai import local_speech, providers, speech

LOCAL = "local, nothing to check"


@dataclass(frozen=True)
class Check:
    job: str
    engine: str
    ok: bool
    result: str  # "ok, 231 ms", why it failed, or LOCAL


def run_checks() -> list[Check]:
    """Return, for each AI job, which engine does it and whether its provider answers."""
    return [_check_llm(), _check_embeddings(), _check_stt(), _check_tts()]


def _check_llm() -> Check:
    if settings.LLM_PROVIDER != "openai":
        return Check("LLM", "local engine", ok=True, result=LOCAL)

    def call() -> str:
        providers.llm_client().chat.completions.create(
            model=settings.LLM_FAST_MODEL,
            messages=[{"role": "user", "content": "Reply with the word ready."}],
            max_tokens=5,
        )
        return ""

    return _timed("LLM", f"{settings.LLM_FAST_MODEL} at {providers.llm_endpoint()}", call)


def _check_embeddings() -> Check:
    uses_openai = settings.EMBEDDINGS == "openai" or (
        settings.EMBEDDINGS == "auto" and settings.LLM_PROVIDER == "openai"
    )
    if not uses_openai:
        return Check("Embeddings", settings.EMBEDDINGS, ok=True, result=LOCAL)

    def call() -> str:
        providers.llm_client().embeddings.create(model=settings.EMBEDDING_MODEL, input="ping")
        return ""

    return _timed("Embeddings", f"{settings.EMBEDDING_MODEL} at {providers.llm_endpoint()}", call)


def _check_stt() -> Check:
    if not speech.stt_enabled():
        return Check("Speech to text", "the browser's recognition", ok=True, result=LOCAL)

    def call() -> str:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "silence.wav"
            path.write_bytes(_silence_wav())
            speech.transcribe(path, content_type="audio/wav")
        return ""

    if settings.STT_PROVIDER == "local":
        engine = f"Whisper on this machine ({local_speech.model_dir()})"
    else:
        engine = f"{settings.STT_MODEL} at {settings.STT_BASE_URL or providers.llm_endpoint()}"
    return _timed("Speech to text", engine, call)


def _check_tts() -> Check:
    if not speech.tts_enabled():
        return Check("Text to speech", "the browser's voice", ok=True, result=LOCAL)

    def call() -> str:
        size = sum(len(chunk) for chunk in speech.synthesize_stream("Ready."))
        return f"{size:,} bytes of audio"

    if settings.TTS_PROVIDER == "local":
        engine = f"Piper on this machine, voice {local_speech.voice_path()}"
    elif settings.TTS_PROVIDER == "elevenlabs":
        engine = f"ElevenLabs {settings.ELEVENLABS_MODEL}, voice {settings.ELEVENLABS_VOICE_ID}"
    else:
        voice = f"{settings.OPENAI_TTS_MODEL}, voice {settings.OPENAI_TTS_VOICE}"
        engine = f"{voice}, at {providers.llm_endpoint()}"
    return _timed("Text to speech", engine, call)


def _timed(job: str, engine: str, call: Callable[[], str]) -> Check:
    """Make the call; report ok with its latency (and what it returned), or why it failed."""
    started = time.perf_counter()
    try:
        extra = call()
    except speech.SpeechError as error:
        return Check(job, engine, ok=False, result=error.reason)
    except openai.OpenAIError as error:
        return Check(job, engine, ok=False, result=providers.failure(error))
    elapsed = round((time.perf_counter() - started) * 1000)
    return Check(job, engine, ok=True, result=f"ok, {elapsed} ms" + (f", {extra}" if extra else ""))


def _silence_wav() -> bytes:
    """One second of silence: 16 kHz, mono, 16-bit."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(16_000)
        audio.writeframes(b"\0\0" * 16_000)
    return buffer.getvalue()
