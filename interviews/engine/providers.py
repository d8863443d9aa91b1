"""Clients for the provider APIs, built once per process from settings.

Every client is built here, so that timeouts, retries and the HTTP transport are set in one place.
The `openai` package retries 429, 5xx and timeouts itself, with exponential backoff
(`LLM_MAX_RETRIES` times); a call that still fails raises `openai.OpenAIError` and the caller
falls back to the local engine.

Tests put recorded responses in the providers' real formats under the clients by setting
`HTTP_TRANSPORT` (an `httpx2.MockTransport`, which the `openai` package uses) and calling
`reset()`.
"""

from __future__ import annotations

import functools
from typing import Any

import httpx2
from django.conf import settings
from openai import OpenAI

# None in production (real connections); a mock transport in tests.
HTTP_TRANSPORT: httpx2.BaseTransport | None = None


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


def reset() -> None:
    """Forget the built clients (after settings or `HTTP_TRANSPORT` change)."""
    llm_client.cache_clear()
    stt_client.cache_clear()


def describe() -> dict[str, Any]:
    """What is configured, for the staff check page (never the keys)."""
    return {
        "llm": settings.LLM_PROVIDER,
        "llm_endpoint": settings.OPENAI_BASE_URL or "https://api.openai.com/v1",
        "llm_models": (settings.LLM_MODEL, settings.LLM_FAST_MODEL),
        "embeddings": settings.EMBEDDINGS,
        "stt": settings.STT_PROVIDER,
        "tts": settings.TTS_PROVIDER,
    }
