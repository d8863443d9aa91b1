"""The report is written when an interview asks for it (see interviews.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from interviews.signals import report_wanted
from reports import tasks


@receiver(report_wanted)
def _write_report(sender: Any, interview_id: str, **kwargs: Any) -> None:
    tasks.generate_report.delay_on_commit(interview_id)
