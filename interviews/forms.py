"""The interview setup and assignment forms; the services do the checking that needs the bank."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import accommodations_of, cohorts_for, students_visible_to
from interviews.assignments import FIELDS
from interviews.models import (
    DEFAULT_QUESTIONS,
    MAX_ATTEMPTS,
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    Assignment,
    Interview,
)
from interviews.selectors import question_sets_for, questions_for
from questionbank.models import Level, QuestionSet, Track
from resumes.models import Resume
from resumes.reading.job import JOB_MAX_CHARS


class SetupForm(forms.Form):
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int, initial=Level.JUNIOR)
    interview_type = forms.ChoiceField(
        choices=Interview.Type.choices, initial=Interview.Type.MIXED, widget=forms.RadioSelect
    )
    skills: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to cover every skill of the track.",
    )
    num_questions = forms.IntegerField(
        label="Core questions",
        min_value=MIN_QUESTIONS,
        max_value=MAX_QUESTIONS,
        initial=DEFAULT_QUESTIONS,
        help_text=f"{MIN_QUESTIONS} to {MAX_QUESTIONS}; follow-ups come on top.",
    )
    answer_mode = forms.ChoiceField(choices=Interview.AnswerMode.choices)
    question_set: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No set: the interviewer chooses",
        help_text="A set your career centre prepared: its questions, in its order.",
    )

    resume: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No resume",
        help_text="The interviewer asks about your own roles and projects.",
    )
    job_description = forms.CharField(
        label="Job description",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": JOB_MAX_CHARS}),
        help_text="Paste the advert of a job you are applying for (optional): the interview "
        "prepares you for it.",
    )

    def __init__(self, *args: Any, user: User, track: Track, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resume"].queryset = Resume.objects.filter(  # type: ignore[attr-defined]
            user=user, status=Resume.Status.READY
        ).defer("markdown")
        self.fields["skills"].queryset = track.skills.order_by("name")  # type: ignore[attr-defined]
        self.fields["question_set"].queryset = question_sets_for(user, track)  # type: ignore[attr-defined]
        # Practising out loud is the point, unless the student asked to type instead.
        typing = accommodations_of(user).text_instead_of_voice
        self.fields["answer_mode"].initial = (
            Interview.AnswerMode.TEXT if typing else Interview.AnswerMode.VOICE
        )
        if not questions_for(Interview.Type.CODING, track, user.organization_id).exists():
            # A coding interview only where the track has coding problems.
            self.fields["interview_type"].choices = [  # type: ignore[attr-defined]
                choice for choice in Interview.Type.choices if choice[0] != Interview.Type.CODING
            ]


UNLIMITED = "unlimited"


class AssignmentForm(forms.Form):
    """The practice a coach sets; `interviews.assignments.assignment_save` checks the rest."""

    title = forms.CharField(max_length=150)
    instructions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What students should focus on; shown on their dashboard and in the email.",
    )
    cohort: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No cohort: only the students ticked below"
    )
    students: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Students to assign it to, besides the cohort's.",
    )
    track: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Track.objects.all())
    question_set: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No set: the interviewer chooses, as configured below",
        help_text="Ask a question set's questions, in its order, instead.",
    )
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int, initial=Level.JUNIOR)
    interview_type = forms.ChoiceField(choices=Interview.Type.choices, initial=Interview.Type.MIXED)
    num_questions = forms.IntegerField(
        label="Core questions",
        min_value=MIN_QUESTIONS,
        max_value=MAX_QUESTIONS,
        initial=DEFAULT_QUESTIONS,
    )
    answer_mode = forms.ChoiceField(choices=Interview.AnswerMode.choices)
    opens_at = forms.DateTimeField(
        label="Opens", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    due_at = forms.DateTimeField(
        label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    max_attempts = forms.ChoiceField(
        label="Attempts allowed",
        choices=[(str(n), str(n)) for n in range(1, MAX_ATTEMPTS + 1)] + [(UNLIMITED, "Unlimited")],
        initial="1",
    )
    allow_late = forms.BooleanField(
        label="Allow late attempts (marked late)", required=False, initial=True
    )
    show_verdict = forms.BooleanField(
        label="Show students the readiness verdict", required=False, initial=True
    )
    hold_feedback = forms.BooleanField(
        label="Hold the AI feedback until a coach releases it", required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets: dict[str, QuerySet[Any]] = {
            "cohort": cohorts_for(user).order_by("name"),
            "students": students_visible_to(user),
            "question_set": QuestionSet.objects.filter(
                Q(owner__isnull=True) | Q(owner_id=user.organization_id),
                status=QuestionSet.Status.PUBLISHED,
            ).order_by("name"),
        }
        for name, queryset in querysets.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        membership = user.membership
        if membership is not None and not self.is_bound and "hold_feedback" not in self.initial:
            self.initial["hold_feedback"] = membership.organization.hold_feedback

    def clean_max_attempts(self) -> int | None:
        value = self.cleaned_data["max_attempts"]
        return None if value == UNLIMITED else int(value)

    def assignment_values(self) -> dict[str, Any]:
        """Return the cleaned values as `assignment_save` takes them."""
        values = dict(self.cleaned_data)
        return {
            "cohort": values.pop("cohort"),
            "students": list(values.pop("students")),
            **values,
        }

    @classmethod
    def initial_new(cls, *, cohort: object = None) -> dict[str, Any]:
        """Return the initial values of a new assignment: open now, due in a week."""
        now = timezone.localtime().replace(second=0, microsecond=0)
        return {
            "cohort": cohort,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        }

    @classmethod
    def initial_of(cls, assignment: Assignment) -> dict[str, Any]:
        """Return the form's initial values for an existing assignment."""
        values: dict[str, Any] = {name: getattr(assignment, name) for name in FIELDS}
        values["max_attempts"] = (
            UNLIMITED if assignment.max_attempts is None else str(assignment.max_attempts)
        )
        values["cohort"] = assignment.cohort
        values["students"] = list(assignment.students.all())
        for name in ("opens_at", "due_at"):
            values[name] = timezone.localtime(values[name]).strftime("%Y-%m-%dT%H:%M")
        return values
