"""What interviews tell the apps built on them, which this app must not import."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `interview_id` when an interview is complete and its report is to be written: when it
# completes, when that step is retried after a failure, and by the sweep of stalled interviews.
# reports.receivers has a worker write it.
report_wanted = Signal()

# Sent with `interview_ids` just before those interviews are deleted (by their student, with the
# student's account, or by retention): reports keeps anonymous counts of their scores.
interviews_erasing = Signal()
