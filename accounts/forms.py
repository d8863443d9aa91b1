"""Forms for sign-up, the profile, joining a career centre and managing one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from accounts import services
from accounts.models import Accommodations, Cohort, Membership, Organization, User
from accounts.roster import MAX_ROSTER_BYTES
from accounts.selectors import staff_of, students_of


class SignupForm(forms.Form):
    """Extra sign-up fields; allauth calls `signup` once the user exists."""

    name = forms.CharField(label="Full name", max_length=150)
    join_code = forms.CharField(
        label="Career centre join code",
        max_length=20,
        required=False,
        help_text="Optional. Your career centre gives you this code.",
    )

    def clean_join_code(self) -> str:
        code: str = self.cleaned_data["join_code"]
        if code and services.organization_for_join_code(code) is None:
            raise forms.ValidationError(
                "That join code does not match any career centre. Check it and try again, "
                "or leave it empty to practise on your own."
            )
        return code

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
        if self.cleaned_data["join_code"]:
            services.membership_join_by_code(user=user, code=self.cleaned_data["join_code"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("name", "email_reminders")
        labels = {"name": "Full name"}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Please enter your name.")
        return name


class JoinForm(forms.Form):
    join_code = forms.CharField(label="Join code", max_length=20)


class _OptionalSettings(forms.ModelForm):
    """A form whose OPTIONAL fields, left out of a post, keep what is stored (a page or client
    from before a setting existed still saves)."""

    OPTIONAL: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.OPTIONAL:
            if cleaned.get(name) is None:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class OrganizationSettingsForm(_OptionalSettings):
    OPTIONAL = ("answer_pause_seconds",)

    class Meta:
        model = Organization
        fields = (
            "show_readiness_verdict",
            "audio_retention_days",
            "interview_retention_days",
            "think_time_seconds",
            "answer_pause_seconds",
            "hold_feedback",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Empty is the site's default; left out of a post (an older page), what is stored stays.
        if "interview_retention_days" not in self.data:
            cleaned["interview_retention_days"] = self.instance.interview_retention_days
        return cleaned


class AccommodationsForm(_OptionalSettings):
    OPTIONAL = ("extra_pause_seconds",)

    class Meta:
        model = Accommodations
        fields = (
            "extra_think_seconds",
            "extra_pause_seconds",
            "answer_limit_minutes",
            "text_instead_of_voice",
        )


class CohortForm(forms.ModelForm):
    """Validate a cohort's name, description and students; services do the writing."""

    class Meta:
        model = Cohort
        fields = ("name", "description", "coaches", "students")
        widgets = {
            "students": forms.CheckboxSelectMultiple,
            "coaches": forms.CheckboxSelectMultiple,
            "description": forms.Textarea({"rows": 2}),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["students"].queryset = students_of(organization)  # type: ignore[attr-defined]
        self.fields["students"].required = False
        self.fields["coaches"].queryset = staff_of(organization)  # type: ignore[attr-defined]
        self.fields["coaches"].required = False
        self.fields["description"].required = False


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class RosterForm(forms.Form):
    file = forms.FileField(
        label="Roster (CSV)",
        help_text=f"Columns email, name, cohort, with a header row; at most "
        f"{MAX_ROSTER_BYTES // 1024 // 1024} MB.",
    )
