"""The load script's side of an interview room: read its events, check their seq, wait for one.

Also the load script's error (StudentError) and the predicates it waits on. See loadtest.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed

EVENT_TIMEOUT = float(os.environ.get("BENCH_EVENT_TIMEOUT", "60"))


def now() -> float:
    return time.monotonic()


class StudentError(Exception):
    """Stops one student; `kind` is what the summary counts."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class Room:
    """Reads the room's events, checks their seq, and waits for the one a student expects."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.last_seq = 0
        self.seen: list[str] = []  # recent event summaries, for error reports

    async def wait_for(
        self, what: str, match: Callable[[dict[str, Any]], bool], timeout: float = EVENT_TIMEOUT
    ) -> dict[str, Any]:
        give_up = now() + timeout
        while True:
            left = give_up - now()
            if left <= 0:
                raise StudentError(
                    f"timeout:{what}", f"no {what} in {timeout:.0f}s; {self.trail()}"
                )
            try:
                raw = await asyncio.wait_for(self.ws.recv(), left)
            except TimeoutError:
                continue
            except ConnectionClosed as closed:
                frame = closed.rcvd or closed.sent
                code = frame.code if frame else None
                raise StudentError(
                    f"ws_closed:{code}", f"waiting for {what}: {closed}; {self.trail()}"
                ) from None
            event = json.loads(raw)
            self.check(event)
            if match(event):
                return event

    def check(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        seq = event.get("seq")
        self.seen.append(f"{seq}:{kind}{'/' + event['state'] if kind == 'state' else ''}")
        del self.seen[:-12]
        if kind == "error":
            raise StudentError(
                f"error_event:{event.get('code')}", f"{event.get('message')}; {self.trail()}"
            )
        if not isinstance(seq, int):
            raise StudentError("seq:missing", f"event without seq: {event}")
        if seq <= self.last_seq:
            raise StudentError("seq:duplicate_or_reordered", f"seq {seq} after {self.last_seq}")
        if seq != self.last_seq + 1:
            raise StudentError("seq:gap", f"seq {seq} after {self.last_seq}; {self.trail()}")
        self.last_seq = seq

    def trail(self) -> str:
        return "events: " + " ".join(self.seen)


COMPLETED_STATES = ("complete", "generating_report", "finished")


def body_summary(text: str) -> str:
    """Return a one-line gist of a response body (for Django's debug page: the exception)."""
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    value = re.search(r'<pre class="exception_value">(.*?)</pre>', text, re.S)
    if title:
        text = title.group(1) + (": " + value.group(1) if value else "")
    return " ".join(text.split())[:240]


def is_question(event: dict[str, Any]) -> bool:
    return event.get("type") == "question"


def is_listening(event: dict[str, Any]) -> bool:
    return event.get("type") == "state" and event.get("state") == "listening"


def is_next(event: dict[str, Any]) -> bool:
    return event.get("type") in ("question", "completed")
