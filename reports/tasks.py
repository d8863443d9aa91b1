"""The report's worker step: write it once the interview is complete."""

from __future__ import annotations

from celery import shared_task

from interviews.tasks import InterviewStep


@shared_task(base=InterviewStep, name="reports.generate_report")
def generate_report(interview_id: str) -> None:
    from reports import services

    services.report_generate(interview_id=interview_id)


@shared_task(name="reports.review_notify")
def review_notify(review_id: int) -> int:
    """Email the student that a coach reviewed their interview."""
    from reports import reviews

    return reviews.review_notify(review_id=review_id)
