"""The event log: every server-to-client message is stored with its seq, then pushed."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from interviews.models import Event, Interview

log = logging.getLogger(__name__)


def group_name(interview_id: uuid.UUID | str) -> str:
    """Return the channel-layer group of an interview's open rooms."""
    return f"interview.{interview_id}"


def emit(interview: Interview, type: str, *, save: bool = True, **payload: Any) -> Event:
    """Append an event to the log and push it to the room once the transaction commits.

    The caller holds the interview's row lock, which is what makes `seq` gap-free. With
    `save=False` the caller saves `last_seq` itself, in the same write as its own change.
    """
    interview.last_seq += 1
    if save:
        Interview.objects.filter(pk=interview.pk).update(last_seq=interview.last_seq)
    event = Event.objects.create(
        interview=interview, seq=interview.last_seq, type=type, payload=payload
    )
    message = event.message()
    transaction.on_commit(lambda: push(interview.pk, message))
    return event


def push(interview_id: uuid.UUID, message: dict[str, Any]) -> None:
    """Send a logged event to every open room of the interview."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(interview_id), {"type": "interview.event", "event": message}
        )
    except Exception:
        # The event is in the log; a client that missed it gets it with its next `sync`.
        log.exception("Could not push event %s of interview %s", message.get("seq"), interview_id)


def events_after(
    interview_id: uuid.UUID, after: int, upto: int | None = None
) -> list[dict[str, Any]]:
    """Return the interview's logged events with seq greater than `after`, in order."""
    events = Event.objects.filter(interview_id=interview_id, seq__gt=after)
    if upto is not None:
        events = events.filter(seq__lte=upto)
    return [event.message() for event in events.order_by("seq")]
