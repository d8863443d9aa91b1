"""The interview setup form; the service does the checking that needs the bank."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User
from accounts.selectors import accommodations_of
from interviews.models import DEFAULT_QUESTIONS, MAX_QUESTIONS, MIN_QUESTIONS, Interview
from interviews.selectors import question_sets_for
from questionbank.models import Level, Track
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
