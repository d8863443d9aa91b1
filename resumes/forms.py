"""The resume pages' forms: the upload and the student's corrected skills, roles and education."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from resumes.services import (
    DATES_CHARS,
    HIGHLIGHT_CHARS,
    MAX_EDUCATION,
    MAX_HIGHLIGHTS,
    MAX_ROLES,
    NAME_CHARS,
)


class UploadForm(forms.Form):
    file = forms.FileField(label="Your resume (PDF, at most 5 MB and 10 pages)")


class SkillsForm(forms.Form):
    skills = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=4000,
        help_text="One a line (or separated by commas). The interviewer asks about these.",
    )


class LinesField(forms.CharField):
    """Text one item a line, cleaned into the list of its non-empty lines (each on one line)."""

    widget = forms.Textarea

    def __init__(self, *, max_lines: int, max_line_length: int, **kwargs: Any) -> None:
        self.max_lines = max_lines
        self.max_line_length = max_line_length
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line for line in (" ".join(item.split()) for item in text.splitlines()) if line]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return list(initial or []) != self.to_python(data)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.max_lines:
            raise ValidationError(
                f"Keep the {self.max_lines} lines that matter most (you wrote {len(value)})."
            )
        for number, line in enumerate(value, start=1):
            if len(line) > self.max_line_length:
                raise ValidationError(
                    f"Line {number} has {len(line)} characters; keep each line to "
                    f"{self.max_line_length}."
                )


class RoleForm(forms.Form):
    title = forms.CharField(label="Job title", max_length=NAME_CHARS, required=False)
    organisation = forms.CharField(max_length=NAME_CHARS, required=False)
    start = forms.CharField(label="From", max_length=DATES_CHARS, required=False)
    end = forms.CharField(label="To", max_length=DATES_CHARS, required=False)
    highlights = LinesField(
        label="What you did there",
        max_lines=MAX_HIGHLIGHTS,
        max_line_length=HIGHLIGHT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"One a line, at most {MAX_HIGHLIGHTS}. The interviewer asks about these.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        described = any(data.get(f) for f in ("organisation", "start", "end", "highlights"))
        if described and not data.get("title") and "title" not in self.errors:
            self.add_error("title", "Add the job title, or clear the row to remove the role.")
        return data


class EducationForm(forms.Form):
    institution = forms.CharField(max_length=NAME_CHARS, required=False)
    qualification = forms.CharField(max_length=NAME_CHARS, required=False)
    dates = forms.CharField(max_length=DATES_CHARS, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("institution") or data.get("qualification")
        if data.get("dates") and not named and not self.errors:
            self.add_error(
                "institution", "Add the institution or the qualification, or clear the row."
            )
        return data


class EntriesFormSet(forms.BaseFormSet):
    def entries(self) -> list[dict[str, Any]]:
        """Return the rows the student kept (not marked for removal), as cleaned."""
        kept = (f.cleaned_data for f in self.forms if not f.cleaned_data.get("DELETE"))
        return [{k: v for k, v in row.items() if k != "DELETE"} for row in kept if row]


# A few empty rows to add entries with; a row is removed with its "Remove" box.
# (formset_factory is typed to return the base class, not the one given.)
RoleFormSet = cast(
    "type[EntriesFormSet]",
    forms.formset_factory(
        RoleForm, formset=EntriesFormSet, extra=2, can_delete=True, max_num=MAX_ROLES
    ),
)
EducationFormSet = cast(
    "type[EntriesFormSet]",
    forms.formset_factory(
        EducationForm, formset=EntriesFormSet, extra=2, can_delete=True, max_num=MAX_EDUCATION
    ),
)
