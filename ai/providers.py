"""Clients for the provider APIs, built once per process from settings.

Every client is built here, so that timeouts, retries and the HTTP transport are set in one place.
The `openai` package retries 429, 5xx and timeouts itself, with exponential backoff
(`LLM_MAX_RETRIES` times); a call that still fails raises `openai.OpenAIError` and the caller
falls back to the local engine. ElevenLabs' streaming call is not retried: speech falls back to the
browser's voice.

Tests put recorded responses in the providers' real formats under the clients by setting
`HTTP_TRANSPORT` (an `httpx2.MockTransport`, which the `openai` package uses) or
`ELEVENLABS_TRANSPORT` (an `httpx.MockTransport`: the `elevenlabs` package uses httpx) and calling
`reset()`.
"""

from __future__ import annotations

import functools

import httpx
import httpx2
import openai
from django.conf import settings
from elevenlabs.client import ElevenLabs
from elevenlabs.core.api_error import ApiError
from openai import OpenAI

# None in production (real connections); mock transports in tests.
HTTP_TRANSPORT: httpx2.BaseTransport | None = None
ELEVENLABS_TRANSPORT: httpx.BaseTransport | None = None


def _http_client() -> httpx2.Client:
    return httpx2.Client(transport=HTTP_TRANSPORT, follow_redirects=True)


@functools.cache
def llm_client() -> OpenAI:
    """The chat, embeddings and speech client for the configured OpenAI-compatible endpoint."""
    return OpenAI(
        # A self-hosted server (Ollama, vLLM) may need no key; the client insists on one.
        api_key=settings.OPENAI_API_KEY or "not-needed",
        base_url=settings.OPENAI_BASE_URL or None,
        timeout=settings.LLM_TIMEOUT,
        max_retries=settings.LLM_MAX_RETRIES,
        http_client=_http_client(),
    )


@functools.cache
def stt_client() -> OpenAI:
    """The transcription client (a self-hosted Whisper server may differ from the LLM's)."""
    return OpenAI(
        api_key=settings.STT_API_KEY or "not-needed",
        base_url=settings.STT_BASE_URL or None,
        timeout=max(settings.LLM_TIMEOUT, 120.0),  # a long answer takes a while to transcribe
        max_retries=settings.LLM_MAX_RETRIES,
        http_client=_http_client(),
    )


@functools.cache
def elevenlabs_client() -> ElevenLabs:
    """The ElevenLabs text-to-speech client."""
    return ElevenLabs(
        api_key=settings.ELEVENLABS_API_KEY,
        timeout=settings.LLM_TIMEOUT,
        httpx_client=httpx.Client(
            transport=ELEVENLABS_TRANSPORT, timeout=settings.LLM_TIMEOUT, follow_redirects=True
        ),
    )


def reset() -> None:
    """Forget the built clients (after settings or a transport change)."""
    llm_client.cache_clear()
    stt_client.cache_clear()
    elevenlabs_client.cache_clear()


def failure(error: Exception) -> str:
    """Say in one line why a provider call failed: the status and the provider's own message."""
    if isinstance(error, openai.APIStatusError | ApiError):
        status = error.status_code
        body = error.body
        # OpenAI: {"error": {"message": ...}} (the client keeps the inner object);
        # ElevenLabs: {"detail": {"status": ..., "message": ...}}.
        if isinstance(body, dict):
            body = body.get("detail", body)
        message = body.get("message") if isinstance(body, dict) else None
        return f"HTTP {status}: {message or body or 'no details'}"
    return str(error) or type(error).__name__


def llm_endpoint() -> str:
    """Where LLM requests go (for the staff check page)."""
    return settings.OPENAI_BASE_URL or "https://api.openai.com/v1"
