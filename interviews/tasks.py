"""Celery tasks: each takes an interview id, runs one flow step, and retries with backoff.

Enqueued with `delay_on_commit`, so a worker never sees uncommitted data. A step that still
fails after its retries stops the interview in `error` with a message the student sees.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.utils import timezone

from interviews import flow
from interviews.state import State

log = logging.getLogger(__name__)


class Step(DjangoTask):
    """A step on one object (its id the task's one argument), retried with backoff; when the
    retries are spent, `give_up` records the failure where the student sees it."""

    autoretry_for = (Exception,)
    retry_backoff = 1
    retry_backoff_max = 30
    retry_jitter = True
    max_retries = 4

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        object_id = str(args[0] if args else next(iter(kwargs.values())))
        log.error("Step %s failed for good for %s: %r", self.name, object_id, exc)
        self.give_up(object_id, exc)

    def give_up(self, object_id: str, exc: BaseException) -> None:
        raise NotImplementedError


class InterviewStep(Step):
    def give_up(self, object_id: str, exc: BaseException) -> None:
        flow.interview_fail(object_id, exc)


@shared_task(base=InterviewStep, name="interviews.evaluate_answers")
def evaluate_answers(interview_id: str) -> None:
    flow.evaluate_answers(interview_id)


@shared_task(base=InterviewStep, name="interviews.advance_interview")
def advance_interview(interview_id: str) -> None:
    flow.advance_interview(interview_id)


@shared_task(base=InterviewStep, name="interviews.generate_report")
def generate_report(interview_id: str) -> None:
    from reports.services import report_generate

    report_generate(interview_id=interview_id)


# The task that moves an interview on from each state it can wait in for a worker.
STEP_TASKS = {
    State.ASKING: advance_interview,
    State.DECIDING: advance_interview,
    State.PROCESSING: evaluate_answers,
    State.EVALUATING: evaluate_answers,
    State.COMPLETE: generate_report,
    State.GENERATING_REPORT: generate_report,
}


@shared_task(name="interviews.sweep_stalled")
def sweep_stalled() -> int:
    """Send again the step of every interview stuck in a worker state, and the reading of every
    resume stuck being read (a lost task)."""
    from interviews.models import Interview

    cutoff = timezone.now() - timedelta(seconds=settings.INTERVIEW_STALL_SECONDS)
    stalled = Interview.objects.filter(state__in=list(STEP_TASKS), updated_at__lt=cutoff)
    count = 0
    for interview_id, state in stalled.values_list("pk", "state")[:500]:
        STEP_TASKS[State(state)].delay(str(interview_id))
        count += 1
    if count:
        log.warning("Re-sent the steps of %d stalled interviews", count)
    return count + _sweep_resumes(cutoff)


def _sweep_resumes(cutoff: datetime) -> int:
    """Send again the reading of every resume left `parsing` by a lost task."""
    from interviews.models import Resume

    stalled = Resume.objects.filter(status=Resume.Status.PARSING, updated_at__lt=cutoff)
    ids = list(stalled.values_list("pk", flat=True)[:500])
    for resume_id in ids:
        read_resume.delay(str(resume_id))
    if ids:
        log.warning("Re-sent the reading of %d stalled resumes", len(ids))
    return len(ids)


@shared_task(name="interviews.delete_expired_audio")
def delete_expired_audio() -> int:
    """Delete answer recordings kept longer than their career centre's retention allows."""
    from interviews import voice

    deleted = voice.answer_audio_delete_expired(now=timezone.now())
    if deleted:
        log.info("Deleted %d expired answer recordings", deleted)
    return deleted


class ResumeStep(Step):
    max_retries = 3

    def give_up(self, object_id: str, exc: BaseException) -> None:
        from interviews import resumes

        resumes.resume_fail(object_id)


@shared_task(base=ResumeStep, name="interviews.read_resume")
def read_resume(resume_id: str) -> None:
    """Read an uploaded resume's text and profile."""
    from interviews import resumes

    resumes.resume_read(resume_id)
