"""The interview state machine: the states and the only moves allowed between them."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    SETUP = "setup", "Being set up"
    READY = "ready", "Ready to start"
    ASKING = "asking", "Interviewer asking"
    LISTENING = "listening", "Waiting for your answer"
    PROCESSING = "processing", "Receiving your answer"
    EVALUATING = "evaluating", "Considering your answer"
    DECIDING = "deciding", "Choosing the next question"
    COMPLETE = "complete", "Interview complete"
    GENERATING_REPORT = "generating_report", "Writing your report"
    FINISHED = "finished", "Finished"
    PAUSED = "paused", "Paused"
    ERROR = "error", "Stopped by an error"
    CANCELLED = "cancelled", "Cancelled"


ALLOWED: dict[State, frozenset[State]] = {
    State.SETUP: frozenset({State.READY, State.CANCELLED}),
    State.READY: frozenset({State.ASKING, State.CANCELLED}),
    State.ASKING: frozenset({State.LISTENING, State.PAUSED, State.ERROR}),
    State.LISTENING: frozenset({State.PROCESSING, State.PAUSED, State.ERROR}),
    # Back to listening when a recording had no words in it: the question is open again.
    State.PROCESSING: frozenset({State.EVALUATING, State.LISTENING, State.ERROR}),
    State.EVALUATING: frozenset({State.DECIDING, State.ERROR}),
    State.DECIDING: frozenset({State.ASKING, State.COMPLETE, State.ERROR}),
    State.COMPLETE: frozenset({State.GENERATING_REPORT}),
    State.GENERATING_REPORT: frozenset({State.FINISHED, State.ERROR}),
    State.FINISHED: frozenset(),
    State.CANCELLED: frozenset(),
    # Paused and error depend on where the interview came from; see `next_state`.
    State.PAUSED: frozenset(),
    State.ERROR: frozenset({State.CANCELLED}),
}
# Worker steps: the states an interview waits in while a Celery task does the work.
WORKER_STATES = frozenset(
    {State.PROCESSING, State.EVALUATING, State.DECIDING, State.GENERATING_REPORT}
)
# States from which the student can still take part (the room offers to resume).
OPEN_STATES = frozenset(
    {State.READY, State.ASKING, State.LISTENING, State.PAUSED, State.ERROR} | WORKER_STATES
)
ENDED_STATES = frozenset({State.COMPLETE, State.FINISHED, State.CANCELLED})
# A worker may be on these states' step: the interview is not deleted under it.
BUSY_STATES = WORKER_STATES | {State.ASKING, State.COMPLETE}


class IllegalMove(Exception):
    """A move the state machine does not allow; nothing was changed."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"Cannot go from {current} to {target}.")
        self.current = current
        self.target = target


def can_move(current: str, target: str, *, resume_to: str = "") -> bool:
    """Return whether the interview may move from `current` to `target`.

    `resume_to` is the state a paused interview left, or the step an interview in error failed
    at; only there may it go back.
    """
    current_state, target_state = State(current), State(target)
    if current_state == State.PAUSED:
        return bool(resume_to) and target_state == State(resume_to)
    if current_state == State.ERROR and resume_to and target_state == State(resume_to):
        return True
    return target_state in ALLOWED[current_state]


def check_move(current: str, target: str, *, resume_to: str = "") -> None:
    """Raise IllegalMove unless the move is allowed."""
    if not can_move(current, target, resume_to=resume_to):
        raise IllegalMove(current, target)
