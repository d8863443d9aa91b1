"""Recorded speech-provider responses, in the APIs' real formats, served at the transport.

`RecordedAPI` is a mock transport's handler (httpx2 for the `openai` clients, httpx for
ElevenLabs): it keeps each request and answers with the queued replies in order. OpenAI's
errors and chat completions are in `openai_recorded`.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterable
from typing import Any

import httpx
import httpx2


class RecordedAPI:
    """Answer each request with the next queued reply (a response, or a callable of the request)."""

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self.replies: list[Any] = []

    def reply(self, *replies: Any) -> None:
        self.replies.extend(replies)

    def __call__(self, request: Any) -> Any:
        request.read()
        self.requests.append(request)
        reply = self.replies.pop(0)
        return reply(request) if callable(reply) else reply


# What the TTS APIs stream back: MP3 (an ID3 header, then frames), chunk by chunk.
MP3_CHUNKS = [b"ID3\x04\x00\x00\x00\x00\x00\x00"] + [b"\xff\xf3\x84\xc4" + b"\x00" * 400] * 4
MP3 = b"".join(MP3_CHUNKS)


# --- OpenAI and OpenAI-compatible servers (httpx2) -------------------------------------------


def transcription(text: str, seconds: float | None = None) -> httpx2.Response:
    """`/audio/transcriptions`, json format: whisper-1 adds its billed duration, others don't."""
    body: dict[str, Any] = {"text": text}
    if seconds is not None:
        body["usage"] = {"type": "duration", "seconds": seconds}
    return httpx2.Response(200, json=body)


def speech(chunks: Iterable[bytes] = MP3_CHUNKS) -> httpx2.Response:
    """`/audio/speech`: the MP3 sent chunked as it is synthesised."""
    return httpx2.Response(200, headers={"content-type": "audio/mpeg"}, content=iter(chunks))


def embedding() -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.0023, -0.0093, 0.0158]}],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        },
    )


# --- ElevenLabs (httpx) ----------------------------------------------------------------------


def elevenlabs_stream(chunks: Iterable[bytes] = MP3_CHUNKS) -> httpx.Response:
    """`/v1/text-to-speech/{voice_id}/stream`: the MP3 sent chunked."""
    return httpx.Response(
        200,
        headers={"content-type": "audio/mpeg", "request-id": "Xb2CzqWm4pNdA7sKfE1y"},
        content=iter(chunks),
    )


def elevenlabs_broken_stream() -> httpx.Response:
    """A stream whose connection drops halfway through."""

    def chunks() -> Iterable[bytes]:
        yield from MP3_CHUNKS[:3]
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body (incomplete chunked read)"
        )

    return elevenlabs_stream(chunks())


ELEVENLABS_ERRORS = {
    401: {"status": "invalid_api_key", "message": "Invalid API key"},
    429: {
        "status": "too_many_concurrent_requests",
        "message": "Too many concurrent requests. Your current subscription is associated with "
        "a maximum of 2 concurrent requests.",
    },
    500: {
        "status": "something_went_wrong",
        "message": "We are sorry, something went wrong. You are not charged for this request.",
    },
}


def elevenlabs_error(status: int) -> httpx.Response:
    return httpx.Response(status, json={"detail": ELEVENLABS_ERRORS[status]})


def wav(seconds: float, rate: int = 16_000) -> bytes:
    """A mono 16-bit WAV of a quiet tone."""
    samples = [1000, -1000] * int(rate * seconds / 2)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"".join(s.to_bytes(2, "little", signed=True) for s in samples))
    return buffer.getvalue()
