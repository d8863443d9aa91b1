"""Failing: an interview whose step failed for good stops in `error`, its answers kept; the
student's Resume retries the step."""

from __future__ import annotations

import logging
import uuid

from interviews.errors import NotFound
from interviews.state import WORKER_STATES, State
from interviews.work import locked

log = logging.getLogger(__name__)

FAILURE_MESSAGE = (
    "Something went wrong on our side while {step}. Your answers are saved. "
    "Press Resume to try again."
)
STEP_WORDS = {
    State.ASKING: "choosing your next question",
    State.PROCESSING: "considering your answer",
    State.EVALUATING: "considering your answer",
    State.DECIDING: "choosing your next question",
    State.GENERATING_REPORT: "writing your report",
}


def interview_fail(interview_id: uuid.UUID | str, *, message: str = "") -> None:
    """Stop the interview in `error` after a step failed for good; the answers stay.

    `message`: what the student reads, when the step has its own words for what went wrong.
    Never waits for the row: the step that failed may be stuck holding it (the task retries).
    """
    try:
        with locked(interview_id, nowait=True) as work:
            step = State(work.interview.state)
            if step not in WORKER_STATES | {State.ASKING}:
                return
            message = message or FAILURE_MESSAGE.format(step=STEP_WORDS[step])
            work.move(State.ERROR, resume_to=step, error_message=message)
            work.emit("error", code="step_failed", message=message)
    except NotFound:
        log.warning("Interview %s vanished before its failure was recorded", interview_id)
