"""Celery tasks of resumes: read an upload (on the documents queue), and find lost reads."""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone

from config.celery import WORKER_LOST_SECONDS, Step, step_lost
from resumes.models import Resume

log = logging.getLogger(__name__)


class ResumeStep(Step):
    max_retries = 3

    def give_up(self, object_id: str, exc: BaseException) -> None:
        # Enqueued, never done here: see config.celery.Step.
        read_failed.apply_async((object_id,), retry_policy={"max_retries": 3})


# Without a broker (the embedded default), tasks run where they are sent; a resume is read by this
# thread instead, so that the upload returns at once and no request waits behind the reading.
_reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="resume-reader")


def read_later(resume_id: uuid.UUID | str) -> None:
    """Have the resume read once the transaction that stored it commits."""
    if read_resume.app.conf.task_always_eager and settings.RESUMES_READ_IN_THREAD:
        transaction.on_commit(lambda: _reader.submit(_read_here, str(resume_id)))
    else:
        read_resume.delay_on_commit(str(resume_id))


def _read_here(resume_id: str) -> None:
    try:
        read_resume.apply((resume_id,))
    finally:
        close_old_connections()  # this thread's own connection


@shared_task(base=ResumeStep, name="resumes.read_resume")
def read_resume(resume_id: str) -> None:
    """Read an uploaded resume's text and profile."""
    from resumes import services

    services.resume_read(resume_id)


@shared_task(
    name="resumes.read_failed",
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=20,
)
def read_failed(resume_id: str) -> None:
    """Record that reading the resume failed for good, with the reason the student reads."""
    from resumes import services

    services.resume_fail(resume_id)


@shared_task(name="resumes.sweep_stalled")
def sweep_stalled() -> int:
    """Send again the reading of every resume left `parsing` by a lost task or a dead worker."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=WORKER_LOST_SECONDS)
    stalled = Resume.objects.filter(status=Resume.Status.PARSING, updated_at__lt=cutoff)
    ids = [
        resume_id
        for resume_id, updated_at in stalled.values_list("pk", "updated_at")[:500]
        if step_lost(
            str(resume_id),
            idle_seconds=(now - updated_at).total_seconds(),
            stall_seconds=settings.INTERVIEW_STALL_SECONDS,
        )
    ]
    for resume_id in ids:
        read_resume.delay(str(resume_id))
    if ids:
        log.warning("Re-sent the reading of %d stalled resumes", len(ids))
    return len(ids)
