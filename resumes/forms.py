"""The resume pages' forms: the upload and the student's corrected skills."""

from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="Your resume (PDF, at most 5 MB and 10 pages)")


class SkillsForm(forms.Form):
    skills = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=4000,
        help_text="One a line (or separated by commas). The interviewer asks about these.",
    )
