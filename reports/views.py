"""The report page."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from interviews.engine.rubric import LABELS
from interviews.selectors import interview_get
from questionbank.models import Level
from reports.models import Report


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """Show the report, or say it is being written and refresh until it is."""
    interview = interview_get(user=request.user, interview_id=interview_id)
    report = Report.objects.filter(interview=interview).first()
    if report is None:
        return render(request, "reports/pending.html", {"interview": interview}, status=202)
    organization = interview.organization
    dimensions = [
        {"name": name, "label": label, "score": report.dimensions.get(name, 0)}
        for name, label in LABELS.items()
    ]
    return render(
        request,
        "reports/report.html",
        {
            "interview": interview,
            "report": report,
            "level": Level(interview.level).label,
            "dimensions": dimensions,
            "show_verdict": organization is None or organization.show_readiness_verdict,
            # The spoken answers whose recordings are still kept, to replay.
            "recorded": set(
                interview.answers.exclude(audio="").values_list("turn__position", flat=True)
            ),
            "chart_data": {
                "skills": {
                    "labels": [s["name"] for s in report.skills],
                    "scores": [s["score"] for s in report.skills],
                },
                "dimensions": {
                    "labels": [d["label"] for d in dimensions],
                    "scores": [d["score"] for d in dimensions],
                },
            },
        },
    )
