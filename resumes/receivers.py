"""A student's export gets their resumes: each file as uploaded and what was read from it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.text import get_valid_filename

from accounts.models import User
from accounts.privacy import Entry, as_json
from accounts.signals import personal_data
from resumes.models import Resume


@receiver(personal_data)
def export_resumes(sender: Any, user: User, **kwargs: Any) -> list[Entry]:
    entries: list[Entry] = []
    for resume in Resume.objects.filter(user=user).order_by("created_at"):
        folder = f"resumes/{str(resume.pk)[:8]}/"
        reading = {
            "title": resume.title,
            "uploaded": resume.created_at,
            "status": resume.get_status_display(),
            "pages": resume.pages,
            "profile": resume.profile,
            "text": resume.markdown,
        }
        entries.append((f"{folder}reading.json", as_json(reading)))
        if resume.file:
            name = get_valid_filename(resume.title) or "resume"
            name = name if name.lower().endswith(".pdf") else f"{name}.pdf"
            entries.append((folder + name, resume.file))
    return entries
