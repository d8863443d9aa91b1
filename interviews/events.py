"""The event log: every server-to-client message is stored with its seq (see interviews.work),
then pushed to the interview's open rooms."""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from interviews.models import Event

log = logging.getLogger(__name__)


def group_name(interview_id: uuid.UUID | str) -> str:
    """Return the channel-layer group of an interview's open rooms."""
    return f"interview.{interview_id}"


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
