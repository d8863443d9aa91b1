"""The event log: every server-to-client message is stored with its seq, then pushed."""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from interviews.models import Event, Interview

log = logging.getLogger(__name__)


def group_name(interview_id: uuid.UUID | str) -> str:
    """Return the channel-layer group of an interview's open rooms."""
    return f"interview.{interview_id}"


@dataclass
class Pending:
    """What a locked interview writes when its transaction ends (see `flush`)."""

    changed: set[str] = field(default_factory=set)
    events: list[Event] = field(default_factory=list)
    # Filled by `flush`, read by the push registered with the first event.
    outbox: list[dict[str, Any]] = field(default_factory=list)


def _pending(interview: Interview) -> Pending:
    pending: Pending = interview.__dict__.setdefault("_pending", Pending())
    return pending


def mark(interview: Interview, *fields: str) -> None:
    """Note fields of the locked interview to write when its transaction ends."""
    _pending(interview).changed.update(fields)


def emit(interview: Interview, type: str, **payload: Any) -> None:
    """Queue an event on the locked interview; `flush` stores it and pushes it after commit.

    The caller holds the interview's row lock, which is what makes `seq` gap-free.
    """
    interview.last_seq += 1
    mark(interview, "last_seq")
    pending = _pending(interview)
    pending.events.append(
        Event(interview=interview, seq=interview.last_seq, type=type, payload=payload)
    )
    if len(pending.events) == 1:
        # Registered now, before any task this transaction enqueues, so that the rooms get these
        # events before the ones a task (run at once in the embedded default) goes on to log.
        outbox = pending.outbox
        transaction.on_commit(lambda: push(interview.pk, outbox))


def flush(interview: Interview) -> None:
    """Write the interview's changed fields and queued events once; they are pushed on commit.

    One UPDATE and one INSERT per transaction instead of one per move and per event, and one
    push to the rooms (each push costs a trip to the channel layer).
    """
    pending: Pending | None = interview.__dict__.pop("_pending", None)
    if pending is None:
        return
    if pending.changed:
        interview.save(update_fields=[*pending.changed, "updated_at"])
    if pending.events:
        Event.objects.bulk_create(pending.events)
        pending.outbox.extend(event.message() for event in pending.events)


# A worker process has no event loop; without this each push would build one, and with it a new
# connection to the channel layer. Set per worker process by config/celery.py.
_push_loop: asyncio.AbstractEventLoop | None = None


def push_from_background_loop() -> None:
    """Push from one long-lived event loop thread in this process (for Celery workers)."""
    global _push_loop
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="channel-layer-push", daemon=True).start()
    _push_loop = loop


def push(interview_id: uuid.UUID, messages: list[dict[str, Any]]) -> None:
    """Send logged events, in order, to every open room of the interview."""
    if not messages:
        return
    message = {"type": "interview.events", "events": messages}
    try:
        if _push_loop is not None:
            send = get_channel_layer().group_send(group_name(interview_id), message)
            asyncio.run_coroutine_threadsafe(send, _push_loop).result(timeout=10)
        else:
            async_to_sync(get_channel_layer().group_send)(group_name(interview_id), message)
    except Exception:
        # The events are in the log; a client that missed them gets them with its next `sync`.
        log.exception("Could not push events of interview %s", interview_id)


def events_after(
    interview_id: uuid.UUID, after: int, upto: int | None = None
) -> list[dict[str, Any]]:
    """Return the interview's logged events with seq greater than `after`, in order."""
    events = Event.objects.filter(interview_id=interview_id, seq__gt=after)
    if upto is not None:
        events = events.filter(seq__lte=upto)
    return [event.message() for event in events.order_by("seq")]
