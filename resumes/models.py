"""A student's resume: the PDF they uploaded and the profile a worker read from it."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models


def resume_path(resume: Resume, filename: str) -> str:
    """Each student's resumes together, under a name the server chose (never the upload's)."""
    return f"resumes/{resume.user_id}/{filename}"


class Resume(models.Model):
    """A student's resume (a PDF) and the profile a worker read from it."""

    class Status(models.TextChoices):
        PARSING = "parsing", "Reading it"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be read"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resumes",
    )
    file = models.FileField(upload_to=resume_path)
    # The uploaded file's name, shown to its owner as a label only; the file gets a random name.
    title = models.CharField(max_length=120)
    size = models.PositiveIntegerField(help_text="Bytes.")
    pages = models.PositiveSmallIntegerField(default=0, help_text="0 until a worker reads it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PARSING)
    error = models.CharField(max_length=300, blank=True)
    markdown = models.TextField(blank=True)
    # name, headline, education, roles, projects, skills (see resumes.reading.resume).
    profile = models.JSONField(default=dict, blank=True)
    # Who read it (local or the LLM), and why the LLM did not when it was asked to.
    engine = models.CharField(max_length=20, blank=True)
    fallback = models.CharField(max_length=200, blank=True)
    # The student corrected these parts of the profile: a re-read keeps their version.
    skills_edited = models.BooleanField(default=False)
    roles_edited = models.BooleanField(default=False)
    education_edited = models.BooleanField(default=False)
    # The PDF carries scripts, actions or embedded HTML: it is only ever served as a download.
    active_content = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table and index were made when resumes were part of interviews.
        db_table = "interviews_resume"
        ordering = ("-created_at",)
        indexes: ClassVar = [
            models.Index(fields=["user", "-created_at"], name="interviews__user_id_f0b2bf_idx")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"

    @property
    def skills(self) -> list[str]:
        return list(self.profile.get("skills", []))
