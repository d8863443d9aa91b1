"""Celery tasks: each takes an interview id, runs one step, and retries with backoff.

Enqueued with `delay_on_commit`, so a worker never sees uncommitted data. A step that still
fails after its retries stops the interview in `error` with a message the student sees. Each task
body imports the step it runs (the services import this module).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from config.celery import WORKER_LOST_SECONDS, Step, step_lost
from config.errors import Refused
from interviews.errors import NotFound, NotTranscribed
from interviews.events import push_from_background_loop
from interviews.models import Interview
from interviews.signals import report_wanted
from interviews.state import State

log = logging.getLogger(__name__)


@worker_process_init.connect
def _push_events_from_one_loop(**kwargs: Any) -> None:
    """Each pool process pushes the rooms' events from one long-lived event loop."""
    push_from_background_loop()


class InterviewStep(Step):
    # The interview was deleted (by its student, or with their account) while its step waited.
    dont_autoretry_for = (NotFound,)

    def give_up(self, object_id: str, exc: BaseException) -> None:
        if isinstance(exc, NotFound):
            log.info("Interview %s was deleted before its step ran", object_id)
            return
        message = f"{exc} Press Resume to try again." if isinstance(exc, NotTranscribed) else ""
        # Enqueued, never done here: see config.celery.Step.
        step_failed.apply_async((object_id, message), retry_policy={"max_retries": 3})


@shared_task(base=InterviewStep, name="interviews.evaluate_answers")
def evaluate_answers(interview_id: str) -> None:
    from interviews.flow import evaluating

    evaluating.evaluate_answers(interview_id)


@shared_task(base=InterviewStep, name="interviews.advance_interview")
def advance_interview(interview_id: str) -> None:
    from interviews.flow import asking

    asking.advance_interview(interview_id)


@shared_task(
    base=InterviewStep,
    name="interviews.hear_answers",
    soft_time_limit=settings.SPEECH_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.SPEECH_TASK_TIME_LIMIT,
)
def hear_answers(interview_id: str) -> None:
    """Transcribe and measure the interview's new recordings (on the speech queue)."""
    from interviews.flow import hearing

    hearing.hear_answers(interview_id)


@shared_task(name="interviews.caption_recording", ignore_result=True)
def caption_recording(
    interview_id: str, client_id: str, turn: int | None, recording: str, settled: str, since: float
) -> None:
    """Caption a recording still being made (on the captions queue); never retried: the next
    caption is a few seconds away. `recording` is its bytes so far, in base64."""
    from interviews.flow import hearing

    hearing.caption_recording(
        interview_id,
        client_id=client_id,
        turn=turn,
        recording=recording,
        settled=settled,
        since=since,
    )


@shared_task(
    name="interviews.step_failed",
    # The row is still locked by the step that failed (stuck until its time limit ends it), or
    # the database is away: try again, for about half an hour.
    autoretry_for=(Refused, OperationalError),
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=False,
    max_retries=60,
)
def step_failed(interview_id: str, message: str = "") -> None:
    """Stop the interview in `error` after a step failed for good; the answers stay."""
    from interviews.flow import failing

    failing.interview_fail(interview_id, message=message)


# The task that moves an interview on from each state it waits in for a worker; the report's
# step belongs to reports, which `report_wanted` reaches.
STEP_TASKS = {
    State.ASKING: advance_interview,
    State.DECIDING: advance_interview,
    State.PROCESSING: evaluate_answers,
    State.EVALUATING: evaluate_answers,
}
REPORT_STATES = frozenset({State.COMPLETE, State.GENERATING_REPORT})


def step_send(interview_id: str, state: State) -> None:
    """Have a worker move the interview on from `state`, once the transaction commits."""
    if state in REPORT_STATES:
        report_wanted.send(sender=Interview, interview_id=interview_id)
    else:
        STEP_TASKS[state].delay_on_commit(interview_id)


@shared_task(name="interviews.sweep_stalled")
def sweep_stalled() -> int:
    """Send again the step of every interview stuck in a worker state: at once when the worker
    on it died (its heartbeat stopped), after INTERVIEW_STALL_SECONDS when no worker took it
    (a task lost on the way)."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=WORKER_LOST_SECONDS)
    states = [*STEP_TASKS, *REPORT_STATES]
    stalled = Interview.objects.filter(state__in=states, updated_at__lt=cutoff)
    count = 0
    for interview_id, state, updated_at in stalled.values_list("pk", "state", "updated_at")[:500]:
        idle = (now - updated_at).total_seconds()
        if step_lost(
            str(interview_id), idle_seconds=idle, stall_seconds=settings.INTERVIEW_STALL_SECONDS
        ):
            step_send(str(interview_id), State(state))
            count += 1
    if count:
        log.warning("Re-sent the steps of %d stalled interviews", count)
    return count


@shared_task(name="interviews.delete_expired_audio")
def delete_expired_audio() -> int:
    """Delete answer recordings kept longer than their career centre's retention allows."""
    from interviews import recordings

    deleted = recordings.answer_audio_delete_expired(now=timezone.now())
    if deleted:
        log.info("Deleted %d expired answer recordings", deleted)
    return deleted


@shared_task(name="interviews.assignment_notify")
def assignment_notify(assignment_id: int) -> int:
    """Email the students of a new assignment."""
    from interviews import assignments

    return assignments.assignment_notify(assignment_id=assignment_id)


@shared_task(name="interviews.remind_due_assignments")
def remind_due_assignments() -> int:
    """Email, once, each student who has not finished an assignment due within a day."""
    from interviews import assignments

    return assignments.assignments_remind_due()


@shared_task(name="interviews.delete_expired")
def delete_expired() -> int:
    """Delete the interviews kept longer than their career centre's retention allows."""
    from interviews import services

    deleted = services.interviews_delete_expired(now=timezone.now())
    if deleted:
        log.info("Deleted %d interviews past their retention", deleted)
    return deleted
