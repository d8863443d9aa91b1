"""The student's dashboard and an interview's report."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.forms import JoinForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import AccessRecord, Membership, OrganizationDomain
from accounts.privacy import access_record
from accounts.services import email_domain
from ai.rubric import LABELS
from config.spreadsheets import csv_response
from interviews.assignments import standings_of
from interviews.models import Interview
from interviews.selectors import (
    feedback_visible,
    interview_read,
    interviews_of,
    interviews_staff_sees,
)
from interviews.services import interview_read_log
from interviews.state import OPEN_STATES
from questionbank.models import Level, Skill
from questionbank.selectors import tracks_with_counts
from reports import analytics, reviews
from reports.models import Report
from reports.progress import as_data, progress_of, study_plan
from resumes.selectors import resumes_of

# Interviews waiting for a review, a page at a time.
QUEUE_PAGE = 50

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
        "standings": standings_of(user),
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
def report(request: AuthenticatedHttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """Show the report to the student, or to a coach or admin of theirs (read-only, with the
    reviews and a review form); say it is being written, or awaits a coach, until it can."""
    user = request.user
    interview = interview_read(user=user, interview_id=interview_id)
    is_staff_view = interview.user_id != user.pk
    review_form_errors: list[str] = []
    if request.method == "POST":
        if not is_staff_view:
            raise Http404
        response, review_form_errors = _review_action(request, interview)
        if response is not None:
            return response
    report = Report.objects.filter(interview=interview).first()
    if is_staff_view and request.method == "GET":
        interview_read_log(viewer=user, interview=interview, what=AccessRecord.What.REPORT)
    if report is None:
        context = {"interview": interview, "is_staff_view": is_staff_view}
        return render(request, "reports/pending.html", context, status=202)
    if not feedback_visible(interview, user):
        return render(
            request,
            "reports/held.html",
            {"interview": interview, "reviews": reviews.reviews_of(interview)},
        )
    dimensions = [
        {"name": name, "label": label, "score": report.dimensions.get(name, 0)}
        for name, label in LABELS.items()
    ]
    all_reviews = list(reviews.reviews_of(interview))
    own = next((r for r in all_reviews if r.reviewer_id == user.pk), None)
    own_answers = {a.turn.position: a for a in own.answers.all()} if own else {}
    return render(
        request,
        "reports/report.html",
        {
            "interview": interview,
            "report": report,
            "level": Level(interview.level).label,
            "dimensions": dimensions,
            "show_verdict": interview.shows_verdict,
            # The spoken answers whose recordings are still kept, to replay.
            "recorded": set(
                interview.answers.exclude(audio="").values_list("turn__position", flat=True)
            ),
            "is_staff_view": is_staff_view,
            "reviews": all_reviews,
            "reviews_by_position": reviews.by_position(all_reviews),
            "own_review": own,
            "own_answers": own_answers,
            "review_form_errors": review_form_errors,
            "review_form": request.POST if review_form_errors else None,
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


def _review_action(
    request: AuthenticatedHttpRequest, interview: Interview
) -> tuple[HttpResponse | None, list[str]]:
    """Post, change or delete the coach's review, or release the feedback; return the redirect,
    or the errors to show beside the form."""
    user, action = request.user, request.POST.get("action", "")
    back = redirect("report", interview_id=interview.pk)
    try:
        if action == "release":
            reviews.feedback_release(by=user, interview_id=interview.pk)
            messages.success(request, "The student can now read their report.")
        elif action == "delete_review":
            reviews.review_delete(
                by=user, interview_id=interview.pk, review_id=request.POST.get("review")
            )
            messages.success(request, "Your review was deleted.")
        elif action == "review":
            existing = request.POST.get("review") or None
            reviews.review_save(
                by=user,
                interview_id=interview.pk,
                comment=request.POST.get("comment", ""),
                answers=reviews.ratings_from(request.POST),
                review_id=int(existing) if existing and existing.isdigit() else None,
            )
            if request.POST.get("release") and interview.feedback_held:
                reviews.feedback_release(by=user, interview_id=interview.pk)
            messages.success(request, "Your review was saved; the student can read it.")
        else:
            return HttpResponse("Unknown action.", status=400), []
    except ValidationError as error:
        return None, [m for messages_ in error.message_dict.values() for m in messages_]
    return back, []


@login_required
@require_GET
def student_detail(request: AuthenticatedHttpRequest, student_id: int) -> HttpResponse:
    """Show a coach or admin one of their students: interviews, reports, resumes, assignments."""
    user = request.user
    student = account_selectors.student_get(user=user, student_id=student_id)
    access_record(viewer=user, student=student, what=AccessRecord.What.STUDENT)
    interviews = interviews_staff_sees(user).filter(user=student).select_related("assignment")
    return render(
        request,
        "reports/student.html",
        {
            "student": student,
            "cohorts": student.cohorts.order_by("name"),
            "interviews": interviews.order_by("-created_at"),
            "resumes": resumes_of(student).order_by("-created_at"),
            "standings": standings_of(student),
            "accommodations": account_selectors.accommodations_of(student),
        },
    )


@login_required
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the finished interviews whose feedback waits for a coach, oldest first."""
    account_selectors.staff_membership(request.user)
    page = Paginator(reviews.review_queue(request.user), QUEUE_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "reports/review_queue.html", {"page": page, "queue": page.object_list})


@login_required
@require_GET
def progress_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the student's scores over time, mastery per skill and what to practise next."""
    progress = progress_of(request.user)
    plan = study_plan(progress)
    skills = Skill.objects.select_related("track").in_bulk([m.skill_id for m in plan])
    return render(
        request,
        "reports/progress.html",
        {
            "progress": progress,
            "plan": plan,
            "skills": skills,
            "chart_data": {
                key: value
                for key, value in as_data(progress).items()
                if key in ("skills", "dimensions")
            },
        },
    )


@login_required
@require_GET
def cohort_analytics(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    """Show where a cohort stands and what trips it up; each table as CSV with ?csv=<table>."""
    cohort = account_selectors.cohort_get(user=request.user, cohort_id=cohort_id)
    found = analytics.cohort_analytics(cohort)
    wanted = request.GET.get("csv")
    if wanted:
        if wanted not in analytics.TABLES:
            raise Http404
        header, rows = analytics.table(found, wanted)
        return csv_response(f"{slugify(cohort.name) or 'cohort'}-{wanted}.csv", header, rows)
    return render(
        request,
        "reports/cohort_analytics.html",
        {
            "cohort": cohort,
            "a": found,
            "min_students": analytics.MIN_STUDENTS,
            "bands": analytics.table(found, "scores")[0][1:],
        },
    )
