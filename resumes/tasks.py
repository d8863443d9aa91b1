"""Celery tasks of resumes: read an upload (on the documents queue), and find lost reads."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from config.celery import Step
from resumes.models import Resume

log = logging.getLogger(__name__)


class ResumeStep(Step):
    max_retries = 3

    def give_up(self, object_id: str, exc: BaseException) -> None:
        # Enqueued, never done here: see config.celery.Step.
        read_failed.apply_async((object_id,), retry_policy={"max_retries": 3})


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
    """Send again the reading of every resume left `parsing` by a lost task."""
    cutoff = timezone.now() - timedelta(seconds=settings.INTERVIEW_STALL_SECONDS)
    stalled = Resume.objects.filter(status=Resume.Status.PARSING, updated_at__lt=cutoff)
    ids = list(stalled.values_list("pk", flat=True)[:500])
    for resume_id in ids:
        read_resume.delay(str(resume_id))
    if ids:
        log.warning("Re-sent the reading of %d stalled resumes", len(ids))
    return len(ids)
