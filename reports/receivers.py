"""The report is written when an interview asks for it (see interviews.signals); a student's
export gets their reports and reviews; deleted interviews leave anonymous score counts."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.models import User
from accounts.privacy import Entry
from accounts.signals import personal_data
from interviews.signals import interviews_erasing, report_wanted
from reports import analytics, exports, tasks


@receiver(report_wanted)
def _write_report(sender: Any, interview_id: str, **kwargs: Any) -> None:
    tasks.generate_report.delay_on_commit(interview_id)


@receiver(personal_data)
def _export_reports(sender: Any, user: User, **kwargs: Any) -> list[Entry]:
    return exports.report_entries(user)


@receiver(interviews_erasing)
def _keep_score_counts(sender: Any, interview_ids: list[Any], **kwargs: Any) -> None:
    analytics.tally_scores(interview_ids)
