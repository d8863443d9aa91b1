"""Calls to the LLM with a JSON schema for the reply, and the fencing of data inside a prompt.

The engine and any app that reads a document with the model (resumes, job adverts) make their
calls through here: one request shape, one check of the reply, one way to say why a call failed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

import openai

from ai.base import OnDelta
from ai.llm.schemas import InvalidOutput, Out, parse, response_format
from ai.llm.streaming import partial_string
from ai.providers import llm_client

# Stream updates at most this often (seconds): a word or two at a time reads naturally.
DELTA_EVERY = 0.08
# Stands in for "<" inside fenced data, so that nothing in it can open or close a tag.
ANGLE = "\u2039"
# Every failure a call can end in; the caller keeps its local answer and records `why`.
FAILURES = (openai.OpenAIError, InvalidOutput)


class Declined(InvalidOutput):
    """The model declined to answer."""


@cache
def prompt(path: Path) -> Template:
    """A system prompt from a Markdown file, with $placeholders."""
    return Template(path.read_text(encoding="utf-8"))


def fenced(tag: str, text: str) -> str:
    """The text as data inside <tag>…</tag>, unable to close the tag itself."""
    return f"<{tag}>\n{text.replace('<', ANGLE)}\n</{tag}>"


def fenced_list(tag: str, items: Sequence[str]) -> str:
    return fenced(tag, "\n".join(f"- {item}" for item in items) or "(none)")


def why(error: Exception) -> str:
    """A short reason a provider step failed, for the record and the report."""
    if isinstance(error, InvalidOutput):
        return f"unusable reply ({error})"
    if isinstance(error, openai.APITimeoutError):
        return "the provider timed out"
    if isinstance(error, openai.RateLimitError):
        return "the provider's rate limit (HTTP 429)"
    if isinstance(error, openai.APIStatusError):
        return f"the provider answered HTTP {error.status_code}"
    if isinstance(error, openai.APIConnectionError):
        return "could not reach the provider"
    return f"provider error ({type(error).__name__})"


def _request(schema: type[Out], model: str, system: str, user: str) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ],
        "response_format": response_format(schema),
    }


def complete(schema: type[Out], *, model: str, system: str, user: str) -> Out:
    """Return the model's reply, validated against the schema (raises one of FAILURES)."""
    request = _request(schema, model, system, user)
    response = llm_client().chat.completions.create(**request, temperature=0.3)
    if not response.choices:
        raise InvalidOutput("no choices in the reply")
    message = response.choices[0].message
    if getattr(message, "refusal", None):
        raise Declined("the model declined")
    return parse(schema, message.content)


def stream(schema: type[Out], *, model: str, system: str, user: str, on_delta: OnDelta) -> Out:
    """Like `complete`, streaming the reply's `question` field to `on_delta` as it is written."""
    request = _request(schema, model, system, user)
    chunks = llm_client().chat.completions.create(**request, temperature=0.7, stream=True)
    parts: list[str] = []
    shown, last = "", 0.0
    for chunk in chunks:
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        if getattr(delta, "refusal", None):
            raise Declined("the model declined")
        if delta.content:
            parts.append(delta.content)
            text = partial_string("".join(parts), "question")
            now = time.monotonic()
            if text and text != shown and now - last >= DELTA_EVERY:
                on_delta(text)
                shown, last = text, now
    return parse(schema, "".join(parts))
