"""The student's dashboard and an interview's report."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.forms import JoinForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Membership, OrganizationDomain
from accounts.services import email_domain
from ai.rubric import LABELS
from interviews.selectors import interview_get, interviews_of
from interviews.state import OPEN_STATES
from questionbank.models import Level
from questionbank.selectors import tracks_with_counts
from reports.models import Report

ROLE_PLURALS = {
    Membership.Role.STUDENT: "Students",
    Membership.Role.COACH: "Coaches",
    Membership.Role.ADMIN: "Administrators",
}


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's career centre and what they can do next."""
    user = request.user
    membership = user.membership
    unverified = EmailAddress.objects.filter(user=user, verified=False).first()
    pending_org = None
    if membership is None and unverified is not None:
        domain = OrganizationDomain.objects.filter(domain=email_domain(unverified.email)).first()
        pending_org = domain.organization if domain else None
    context = {
        "membership": membership,
        "unverified_email": unverified,
        "pending_org": pending_org,
        "join_form": JoinForm() if membership is None else None,
        "tracks": tracks_with_counts(user.organization_id),
        "cohorts": account_selectors.cohorts_for(user),
        "recent_interviews": interviews_of(user)[:5],
        "open_interview": interviews_of(user)
        .filter(state__in=[s.value for s in OPEN_STATES])
        .first(),
    }
    if membership is not None and membership.is_staff_role:
        members = membership.organization.memberships.values_list("role")
        counts = dict(members.annotate(count=Count("pk")).order_by())
        context["member_counts"] = {
            plural: counts.get(role, 0) for role, plural in ROLE_PLURALS.items()
        }
    return render(request, "reports/dashboard.html", context)


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
