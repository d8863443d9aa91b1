"""Practice a coach assigns: setting it, who it is for, starting it, and who did what.

An assignment is for a cohort's students (whoever is in the cohort at the time) and for students
chosen by name. A student starts it from their dashboard and gets an interview set up exactly as
assigned; the roster shows every assigned student's attempts and scores.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import mail
from accounts.models import Cohort, Membership, User
from accounts.selectors import cohorts_for, students_visible_to
from config.errors import Refused
from interviews import services, tasks
from interviews.models import MAX_ATTEMPTS, Assignment, AssignmentReminder, Interview
from interviews.state import OPEN_STATES, State
from questionbank.models import QuestionSet, Track

# The fields a coach sets; the rest (organisation, author) come from who sets it.
FIELDS = (
    "title",
    "instructions",
    "question_set",
    "track",
    "level",
    "interview_type",
    "num_questions",
    "answer_mode",
    "opens_at",
    "due_at",
    "max_attempts",
    "allow_late",
    "show_verdict",
    "hold_feedback",
)
# The states of an attempt the student is still taking (a report being written is done).
TAKING_STATES = [s.value for s in OPEN_STATES - {State.GENERATING_REPORT}]
# How long before the due date a student who has not finished is reminded.
REMIND_BEFORE = datetime.timedelta(hours=24)
# States in which an attempt has produced (or is producing) a report.
FINISHED_STATES = (State.COMPLETE, State.GENERATING_REPORT, State.FINISHED)


# --- Who sees which assignment ------------------------------------------------------------------


def assignments_managed_by(user: User) -> QuerySet[Assignment]:
    """Return the assignments a coach or admin may see and change: an admin every one of the
    organisation's, a coach those of the cohorts they coach and those they set."""
    membership = user.membership
    if membership is None or not membership.is_staff_role:
        return Assignment.objects.none()
    found = Assignment.objects.filter(organization_id=membership.organization_id)
    if membership.role == Membership.Role.COACH:
        found = found.filter(Q(cohort__in=cohorts_for(user)) | Q(created_by=user))
    return found.select_related("cohort", "track", "question_set")


def assignment_managed(*, user: User, assignment_id: object) -> Assignment:
    """Return one assignment the user manages, or raise 404."""
    try:
        return assignments_managed_by(user).get(pk=int(str(assignment_id)))
    except (Assignment.DoesNotExist, ValueError):
        raise Http404 from None


def assignments_of(student: User) -> QuerySet[Assignment]:
    """Return the assignments set for a student, by their career centre, soonest due first,
    with how many attempts they have made."""
    membership = student.membership
    if membership is None or membership.role != Membership.Role.STUDENT:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(organization_id=membership.organization_id)
        .filter(Q(cohort__students=student) | Q(students=student))
        .distinct()
        .annotate(
            # An interview cancelled before any answer is not an attempt.
            attempts=Count(
                "interviews",
                filter=Q(interviews__user=student) & ~Q(interviews__state=State.CANCELLED),
                distinct=True,
            ),
            finished=Count(
                "interviews",
                filter=Q(interviews__user=student, interviews__state__in=FINISHED_STATES),
                distinct=True,
            ),
        )
        .select_related("track", "question_set")
        .order_by("due_at", "pk")
    )


def assignment_of(*, student: User, assignment_id: object) -> Assignment:
    """Return one assignment set for the student, or raise 404."""
    try:
        return assignments_of(student).get(pk=int(str(assignment_id)))
    except (Assignment.DoesNotExist, ValueError):
        raise Http404 from None


def assignees(assignment: Assignment) -> QuerySet[User]:
    """Return the students an assignment is for: the cohort's and the chosen ones who are still
    students of the organisation."""
    chosen = Q(
        pk__in=assignment.students.through.objects.filter(assignment=assignment).values("user_id")
    )
    if assignment.cohort_id:
        chosen |= Q(
            pk__in=Cohort.students.through.objects.filter(cohort_id=assignment.cohort_id).values(
                "user_id"
            )
        )
    return User.objects.filter(
        chosen,
        _membership__organization_id=assignment.organization_id,
        _membership__role=Membership.Role.STUDENT,
    ).order_by("name", "email")


# --- Setting one --------------------------------------------------------------------------------


def _errors(
    by: User, values: dict[str, Any], cohort: Cohort | None, students: Sequence[User]
) -> dict[str, str]:
    """Return what is wrong with an assignment's fields, by field."""
    errors: dict[str, str] = {}
    organization_id = by.organization_id
    if not str(values.get("title", "")).strip():
        errors["title"] = "Give the assignment a title students will recognise."
    opens, due = values.get("opens_at"), values.get("due_at")
    if opens and due and due <= opens:
        errors["due_at"] = "The due date must be after the opening date."
    attempts = values.get("max_attempts")
    if attempts is not None and not 1 <= attempts <= MAX_ATTEMPTS:
        errors["max_attempts"] = f"Allow 1 to {MAX_ATTEMPTS} attempts, or any number."
    if cohort is not None and not cohorts_for(by).filter(pk=cohort.pk).exists():
        errors["cohort"] = "You can only assign practice to a cohort you coach in your centre."
    visible = set(
        students_visible_to(by).filter(pk__in=[s.pk for s in students]).values_list("pk", flat=True)
    )
    outsiders = [s.email for s in students if s.pk not in visible]
    if outsiders:
        errors["students"] = "Not students you coach: " + ", ".join(outsiders)
    if cohort is None and not students:
        errors["cohort"] = "Choose a cohort or at least one student."
    question_set: QuestionSet | None = values.get("question_set")
    if question_set is not None and question_set.owner_id not in (None, organization_id):
        errors["question_set"] = "This question set does not exist."
    if not errors and isinstance(values.get("track"), Track):
        errors.update(
            services.setup_errors(
                track=values["track"],
                level=values["level"],
                interview_type=values["interview_type"],
                num_questions=values["num_questions"],
                question_set=question_set,
                organization_id=organization_id,
            )
        )
    return errors


def assignment_save(
    *,
    by: User,
    cohort: Cohort | None = None,
    students: Iterable[User] = (),
    assignment: Assignment | None = None,
    **values: Any,
) -> Assignment:
    """Set practice for a cohort and/or chosen students, or change it; tell the students of a
    new one by email (those who have not turned it off)."""
    membership = by.membership
    if membership is None or not membership.is_staff_role:
        raise Http404
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not assignment fields: {', '.join(sorted(unknown))}")
    students = list(students)
    current = {f: getattr(assignment, f) for f in FIELDS} if assignment else {}
    merged = {**current, **values}
    errors = _errors(by, merged, cohort, students)
    if errors:
        raise ValidationError(errors)
    new = assignment is None
    assignment = assignment or Assignment(organization_id=membership.organization_id, created_by=by)
    for name, value in merged.items():
        setattr(assignment, name, value)
    assignment.title = assignment.title.strip()
    assignment.cohort = cohort
    with transaction.atomic():
        assignment.full_clean(exclude=["students"])
        assignment.save()
        assignment.students.set(students)
        if new:
            pk = assignment.pk
            transaction.on_commit(lambda: tasks.assignment_notify.delay(pk))
    return assignment


def assignment_delete(*, by: User, assignment_id: object) -> None:
    """Withdraw an assignment; the interviews taken for it stay with their students."""
    assignment_managed(user=by, assignment_id=assignment_id).delete()


# --- Taking one ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a student is with one assignment, as their dashboard shows it."""

    assignment: Assignment
    attempts: int
    finished: bool
    late: bool
    can_start: bool
    # Why the Start button is not offered, in the student's words.
    reason: str = ""
    open_interview: Interview | None = None


def standing(
    assignment: Assignment, *, now: datetime.datetime, open_interview: Interview | None
) -> Standing:
    """Return where the student stands with an assignment annotated by `assignments_of`."""
    attempts = getattr(assignment, "attempts", 0)
    finished = getattr(assignment, "finished", 0) > 0
    late = now > assignment.due_at
    reason = ""
    if now < assignment.opens_at:
        reason = f"Opens {timezone.localtime(assignment.opens_at):%-d %b at %H:%M}."
    elif assignment.max_attempts is not None and attempts >= assignment.max_attempts:
        reason = "You have used every attempt."
    elif late and not assignment.allow_late:
        reason = "The due date has passed."
    return Standing(
        assignment=assignment,
        attempts=attempts,
        finished=finished,
        late=late,
        can_start=not reason or open_interview is not None,
        reason=reason,
        open_interview=open_interview,
    )


def standings_of(student: User) -> list[Standing]:
    """Return the student's assignments that still matter: not yet due, or due in the last two
    weeks, each with where they stand."""
    now = timezone.now()
    assignments = list(
        assignments_of(student).filter(due_at__gte=now - datetime.timedelta(days=14))
    )
    open_by_assignment = {
        i.assignment_id: i
        for i in Interview.objects.filter(
            user=student,
            assignment__in=assignments,
            state__in=TAKING_STATES,
        )
    }
    return [standing(a, now=now, open_interview=open_by_assignment.get(a.pk)) for a in assignments]


def assignment_start(*, student: User, assignment_id: object) -> Interview:
    """Set up the student's next attempt at an assignment exactly as assigned, or return the
    attempt already under way (a second tab, a double click)."""
    with transaction.atomic():
        # One start at a time per student: the attempt count cannot be raced past the limit.
        User.objects.select_for_update().filter(pk=student.pk).first()
        assignment = assignment_of(student=student, assignment_id=assignment_id)
        under_way = Interview.objects.filter(
            user=student, assignment=assignment, state__in=TAKING_STATES
        ).first()
        if under_way is not None:
            return under_way
        now = timezone.now()
        position = standing(assignment, now=now, open_interview=None)
        if not position.can_start:
            raise Refused("not_available", position.reason)
        return services.interview_create(
            user=student,
            track=assignment.track,
            level=assignment.level,
            interview_type=assignment.interview_type,
            num_questions=assignment.num_questions,
            answer_mode=assignment.answer_mode,
            question_set=assignment.question_set,
            assignment=assignment,
        )


# --- Telling students ---------------------------------------------------------------------------


def assignment_notify(*, assignment_id: int) -> int:
    """Email an assignment's students that it was set; return how many were told."""
    assignment = (
        Assignment.objects.select_related("organization", "track").filter(pk=assignment_id).first()
    )
    if assignment is None:
        return 0
    students = assignees(assignment).filter(email_reminders=True)
    return mail.send("assignment_set", students, {"assignment": assignment})


def assignments_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Email each student who has not finished an assignment due within REMIND_BEFORE, once;
    return how many were reminded."""
    now = now or timezone.now()
    due_soon = Assignment.objects.filter(
        opens_at__lte=now, due_at__gt=now, due_at__lte=now + REMIND_BEFORE
    )
    sent = 0
    for assignment_id in due_soon.values_list("pk", flat=True):
        with transaction.atomic():
            # Two beat runs at once: the second skips what the first is reminding.
            assignment = (
                Assignment.objects.select_for_update(skip_locked=True)
                .select_related("organization", "track")
                .filter(pk=assignment_id)
                .first()
            )
            if assignment is None:
                continue
            students = list(
                assignees(assignment)
                .filter(email_reminders=True)
                .exclude(pk__in=assignment.reminders.values("student_id"))
                .exclude(
                    pk__in=assignment.interviews.filter(state__in=FINISHED_STATES).values("user_id")
                )
            )
            # Recorded before sending: a reminder is sent at most once, even if the mail
            # server fails half-way (a student missing one reminder beats getting three).
            AssignmentReminder.objects.bulk_create(
                [AssignmentReminder(assignment=assignment, student=s) for s in students]
            )
        sent += mail.send("assignment_due", students, {"assignment": assignment})
    return sent


# --- Who did what -------------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One assigned student's attempts at an assignment."""

    student: User
    status: str = "not started"
    attempts: int = 0
    latest_score: int | None = None
    best_score: int | None = None
    # The attempts newest first: (interview id, state, score or None, completed at).
    reports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sort_keys(self) -> dict[str, Any]:
        return {
            "name": (self.student.name or self.student.email).lower(),
            "status": STATUS_ORDER.index(self.status),
            "attempts": self.attempts,
            "latest": -1 if self.latest_score is None else self.latest_score,
            "best": -1 if self.best_score is None else self.best_score,
        }


STATUS_ORDER = ("not started", "in progress", "late", "done")
ROSTER_SORTS = ("name", "status", "attempts", "latest", "best")


def roster(
    assignment: Assignment,
    *,
    sort: str = "name",
    descending: bool = False,
    viewer: User | None = None,
) -> list[RosterRow]:
    """Return every assigned student (of those the viewer may see, when given) with their
    status, attempts, latest and best score and links to each report, in two queries whatever
    the number of students."""
    now = timezone.now()
    students = assignees(assignment)
    if viewer is not None:
        # A coach who set it and no longer coaches a student does not see that student's work.
        students = students.filter(pk__in=students_visible_to(viewer).values("pk"))
    rows = {s.pk: RosterRow(student=s) for s in students}
    attempts = (
        Interview.objects.filter(assignment=assignment, user_id__in=list(rows))
        .exclude(state=State.CANCELLED)
        .order_by("created_at")
        .values("pk", "user_id", "state", "completed_at", "report__overall")
    )
    for attempt in attempts:
        row = rows[attempt["user_id"]]
        row.attempts += 1
        score = attempt["report__overall"]
        finished = attempt["state"] in FINISHED_STATES
        row.reports.insert(
            0,
            {
                "interview": attempt["pk"],
                "state": attempt["state"],
                "score": score,
                "completed_at": attempt["completed_at"],
            },
        )
        if score is not None:
            row.latest_score = score
            row.best_score = score if row.best_score is None else max(row.best_score, score)
        if finished:
            completed = attempt["completed_at"]
            if completed is not None and completed <= assignment.due_at:
                row.status = "done"
            elif row.status != "done":
                row.status = "late"
        elif attempt["state"] in OPEN_STATES and row.status == "not started":
            row.status = "in progress"
    for row in rows.values():
        if row.status in ("not started", "in progress") and now > assignment.due_at:
            row.status = "late"
    if sort not in ROSTER_SORTS:
        sort = "name"
    return sorted(rows.values(), key=lambda r: r.sort_keys[sort], reverse=descending)
