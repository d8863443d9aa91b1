"""A student's reports and coaches' reviews in their data export (see accounts.privacy)."""

from __future__ import annotations

from django.forms.models import model_to_dict

from accounts.models import User
from accounts.privacy import Entry, as_json
from interviews.exports import export_folder
from interviews.models import Interview
from reports import pdf, reviews
from reports.models import Report, Review


def report_entries(user: User) -> list[Entry]:
    """Each interview's report (JSON and PDF, held or not: it is the student's data) and the
    coaches' reviews of it."""
    entries: list[Entry] = []
    interviews = Interview.objects.filter(user=user).select_related("track", "assignment")
    for interview in interviews.order_by("created_at"):
        folder = export_folder(interview)
        written = list(reviews.reviews_of(interview))
        if written:
            entries.append((f"{folder}reviews.json", as_json([_review(r) for r in written])))
        report = Report.objects.filter(interview=interview).first()
        if report is None:
            continue
        data = {**model_to_dict(report, exclude=("id", "interview")), "made": report.created_at}
        entries.append((f"{folder}report.json", as_json(data)))
        body = pdf.report_pdf(interview=interview, report=report, reviews=written)
        entries.append((f"{folder}report.pdf", body))
    return entries


def _review(review: Review) -> dict[str, object]:
    return {
        "reviewer": str(review.reviewer) if review.reviewer else "A former coach",
        "comment": review.comment,
        "written": review.created_at,
        "updated": review.updated_at,
        "answers": [
            {"question": a.turn.position, "rating": a.rating, "comment": a.comment}
            for a in review.answers.all()
        ],
    }
