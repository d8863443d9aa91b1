"""The unit of work on one interview: lock its row, change it, move it, log events, write on exit.

Every write to a live interview goes through `locked`, so that two messages at once cannot both
win (the row lock), every move is one the state machine allows, and every event gets the next
`seq` (numbered under the lock, so the log has no gaps).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction

from accounts.models import User
from interviews.errors import NotFound, Refused
from interviews.events import push
from interviews.models import Event, Interview
from interviews.state import State, check_move


class WorkClosed(RuntimeError):
    """A change, move or event given to a unit of work after its transaction ended."""


class Work:
    """One transaction on a locked interview: its changes, moves and events.

    They are kept here and written once, when the `locked` block ends: one UPDATE and one INSERT
    per transaction instead of one per move and per event, and one push to the rooms. Given
    anything after its block has ended, it raises rather than lose it.
    """

    def __init__(self, interview: Interview) -> None:
        self.interview = interview
        self._changed: set[str] = set()
        self._events: list[Event] = []
        # Filled when the events are written; read by the push registered with the first event.
        self._outbox: list[dict[str, Any]] = []
        self._closed = False

    def change(self, **fields: Any) -> None:
        """Set fields of the interview; they are written when the block ends."""
        self._check_open()
        for name, value in fields.items():
            setattr(self.interview, name, value)
        self._changed.update(fields)

    def move(self, target: State, **fields: Any) -> None:
        """Move the interview to `target` (IllegalMove if it may not) and log the new state."""
        check_move(self.interview.state, target, resume_to=self.interview.resume_to)
        self.change(state=target, **fields)
        self.emit("state", state=target.value, progress=self.interview.progress)

    def emit(self, type: str, **payload: Any) -> None:
        """Log an event; it is stored when the block ends and pushed to the rooms on commit."""
        self._check_open()
        interview = self.interview
        interview.last_seq += 1
        self._changed.add("last_seq")
        self._events.append(
            Event(interview=interview, seq=interview.last_seq, type=type, payload=payload)
        )
        if len(self._events) == 1:
            # Registered now, before any task this transaction enqueues, so that the rooms get
            # these events before the ones a task (run at once in the embedded default) logs.
            outbox = self._outbox
            transaction.on_commit(lambda: push(interview.pk, outbox))

    def write(self) -> None:
        """Write the changed fields and the logged events, once."""
        self._check_open()
        self._closed = True
        if self._changed:
            self.interview.save(update_fields=[*self._changed, "updated_at"])
        if self._events:
            Event.objects.bulk_create(self._events)
            self._outbox.extend(event.message() for event in self._events)

    def close(self) -> None:
        """End the unit of work without writing (its transaction is being rolled back)."""
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise WorkClosed(
                f"Interview {self.interview.pk}: its unit of work has ended; "
                "change it inside `with locked(...)`."
            )


def _lock(interview_id: uuid.UUID | str, user: User | None, nowait: bool) -> Interview:
    """Return the interview with its row locked, or raise NotFound (also for another's)."""
    interviews = Interview.objects.select_for_update(nowait=nowait)
    if user is not None:
        interviews = interviews.filter(user=user)
    try:
        return interviews.get(pk=interview_id)
    except (Interview.DoesNotExist, ValidationError, ValueError):
        raise NotFound from None
    except OperationalError as error:
        # PostgreSQL's lock_timeout (or NOWAIT): another transaction holds the row (a stuck
        # worker, say).
        if getattr(error.__cause__, "sqlstate", None) == "55P03":
            raise Refused(
                "busy", "The interview is busy with your last message; send this one again."
            ) from error
        raise


@contextmanager
def locked(
    interview_id: uuid.UUID | str, user: User | None = None, *, nowait: bool = False
) -> Iterator[Work]:
    """Lock the interview for one transaction; what the work was given is written at the end.

    With `user`, only that user's interview is found: anyone else's is NotFound. With `nowait`,
    a row locked by another transaction is refused at once (`busy`) instead of waited for.
    """
    with transaction.atomic():
        work = Work(_lock(interview_id, user, nowait))
        try:
            yield work
            work.write()
        finally:
            work.close()
