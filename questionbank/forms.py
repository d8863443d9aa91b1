"""Forms for a career centre's own questions and question sets; the services do the checking."""

from __future__ import annotations

from typing import Any

from django import forms

from questionbank.models import Level, Question, Skill, Track
from questionbank.services import (
    FOLLOW_UPS_MIN,
    KEY_POINTS_MAX,
    KEY_POINTS_MIN,
    RED_FLAGS_MAX,
    RED_FLAGS_MIN,
    QuestionValues,
)

PICKS_PER_PAGE = 20


class LinesField(forms.CharField):
    """Edit a list of short texts one per line."""

    widget = forms.Textarea({"rows": 5})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)  # the services say how many are needed

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list | tuple) else (value or "")

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.track.name}: {obj.name}"


class CentreQuestionForm(forms.Form):
    """A question of the career centre's own, as a coach writes it (the services check it)."""

    text = forms.CharField(label="Question", required=False, widget=forms.Textarea({"rows": 3}))
    track = forms.ModelChoiceField(queryset=Track.objects.order_by("name"))
    skill = SkillChoiceField(
        queryset=Skill.objects.select_related("track").order_by("track__name", "name"),
        help_text="A skill of the track chosen above.",
    )
    type = forms.ChoiceField(choices=Question.Type.choices)
    difficulty = forms.IntegerField(
        min_value=1, max_value=10, help_text="1 (a first interview) to 10 (principal level)."
    )
    level_min = forms.TypedChoiceField(
        label="Lowest level", choices=Level.choices, coerce=int, initial=Level.INTERN
    )
    level_max = forms.TypedChoiceField(
        label="Highest level", choices=Level.choices, coerce=int, initial=Level.PRINCIPAL
    )
    reference_answer = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 8}),
        help_text="What a strong candidate would say.",
    )
    key_points = LinesField(
        help_text=f"What a strong answer covers, one per line: {KEY_POINTS_MIN} to "
        f"{KEY_POINTS_MAX}."
    )
    red_flags = LinesField(
        help_text=f"Wrong claims or bad practices a panel would reject, one per line: "
        f"{RED_FLAGS_MIN} to {RED_FLAGS_MAX}."
    )
    follow_ups = LinesField(
        label="Follow-ups",
        help_text=f"Prompts for after a thin answer, one per line: at least {FOLLOW_UPS_MIN}.",
    )
    status = forms.ChoiceField(
        choices=Question.Status.choices,
        initial=Question.Status.DRAFT,
        help_text="Students are asked published questions only.",
    )

    def values(self) -> QuestionValues:
        """Return the cleaned input as the services take it."""
        return QuestionValues(**self.cleaned_data)


class QuestionSetForm(forms.Form):
    name = forms.CharField(max_length=150)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text="Students read this when they choose the set.",
    )


class PickForm(forms.Form):
    """Search the bank for questions to add to a set."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    track = forms.ModelChoiceField(
        queryset=Track.objects.order_by("name"), required=False, empty_label="Any track"
    )
    type = forms.ChoiceField(choices=[("", "Any type"), *Question.Type.choices], required=False)
    page = forms.IntegerField(min_value=1, required=False)


class AddForm(forms.Form):
    question = forms.IntegerField(min_value=1)


class MoveForm(forms.Form):
    """Move a question one place up or down, or to a position counted from 1."""

    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")], required=False)
    position = forms.IntegerField(min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("direction") and not data.get("position"):
            raise forms.ValidationError("Choose up, down or a position.")
        return data

    def target(self, current: int) -> int:
        """Return the position (from 0) to move a question now at `current` to."""
        direction = self.cleaned_data.get("direction")
        if direction:
            return current - 1 if direction == "up" else current + 1
        return int(self.cleaned_data["position"]) - 1
