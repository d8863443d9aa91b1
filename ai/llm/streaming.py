"""Read a string field out of a JSON object that is still being written."""

from __future__ import annotations

import json
import re


def partial_string(buffer: str, field: str) -> str:
    """The value of `field` written so far in a partial JSON object, or "" before it starts.

    `{"question": "How would you sha` gives "How would you sha"; escapes are decoded, and an
    escape cut in half is left out until the rest of it arrives.
    """
    match = re.search(rf'"{re.escape(field)}"\s*:\s*"', buffer)
    if match is None:
        return ""
    body = buffer[match.end() :]
    end = _closing_quote(body)
    if end is not None:
        return _decode(body[:end]) or ""
    # Still being written: an escape may be cut in half ("\\", "\\u00"); leave it out for now.
    for cut in range(7):
        text = _decode(body[: len(body) - cut])
        if text is not None:
            # Half of an escaped surrogate pair ("\\ud83d" of an emoji) waits for its other half.
            return text[:-1] if text and "\ud800" <= text[-1] <= "\udbff" else text
    return ""


def _decode(body: str) -> str | None:
    try:
        return str(json.loads(f'"{body}"'))
    except ValueError:
        return None


def _closing_quote(body: str) -> int | None:
    escaped = False
    for index, char in enumerate(body):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            return index
    return None
