"""Resumes: upload (checked while the student waits), reading in a worker, correcting, deleting."""

from __future__ import annotations

import logging
import uuid
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Refused
from resumes import documents, tasks
from resumes.models import Resume
from resumes.reading import llm
from resumes.reading.resume import read_resume
from resumes.reading.vocabulary import clean_skills
from resumes.selectors import vocabulary

log = logging.getLogger(__name__)

MAX_RESUMES = 20
READ_FAILED = (
    "We could not read the text of this PDF. Export it again from your word processor and "
    "upload the new file."
)
# --- Upload, read, correct, delete ---------------------------------------------------------------


def resume_upload(*, user: User, upload: UploadedFile) -> Resume:
    """Check the file is a readable PDF resume, store it, and have a worker read it."""
    if upload.size and upload.size > documents.MAX_BYTES:
        raise documents.too_large(upload.size)
    if Resume.objects.filter(user=user).count() >= MAX_RESUMES:
        raise Refused(
            "too_many_resumes",
            f"You already keep {MAX_RESUMES} resumes. Delete one you no longer use first.",
        )
    data = upload.read(documents.MAX_BYTES + 1)
    checked = documents.check_pdf(data)
    resume = Resume(
        user=user,
        organization_id=user.organization_id,
        title=_title(upload.name),
        size=len(data),
        pages=checked.pages,
    )
    resume.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            resume.save()
            tasks.read_resume.delay_on_commit(str(resume.pk))
    except BaseException:
        resume.file.delete(save=False)
        raise
    resume.refresh_from_db()  # a worker in this process (tasks run eagerly) has read it already
    return resume


def _title(filename: str | None) -> str:
    """A label from the uploaded file's name (only ever shown to its owner)."""
    stem = PurePath((filename or "").replace("\\", "/")).stem
    stem = "".join(c for c in stem if c.isprintable()).strip()
    return (stem or "Resume")[:120]


def resume_read(resume_id: uuid.UUID | str) -> None:
    """Read the resume's text and profile (the worker's step); idempotent."""
    resume = Resume.objects.filter(pk=resume_id, status=Resume.Status.PARSING).first()
    if resume is None:
        return  # read already, or deleted meanwhile
    try:
        with resume.file.open("rb") as file:
            markdown = documents.to_markdown(file.read())
    except Exception:
        log.exception("Could not read the text of resume %s", resume_id)
        Resume.objects.filter(pk=resume.pk).update(
            status=Resume.Status.FAILED, error=READ_FAILED, updated_at=timezone.now()
        )
        return
    words = vocabulary()
    read = llm.read_resume(markdown, read_resume(markdown, words), words)
    fields: dict[str, Any] = {
        "markdown": markdown,
        "profile": read.profile.as_dict(),
        "engine": read.engine,
        "fallback": read.fallback[:200],
        "status": Resume.Status.READY,
        "error": "",
        "updated_at": timezone.now(),  # update() does not set it
    }
    with transaction.atomic():
        current = Resume.objects.select_for_update().filter(pk=resume.pk).first()
        if current is None or current.status != Resume.Status.PARSING:
            return
        if current.skills_edited:
            fields["profile"]["skills"] = current.skills  # the student's list wins
        Resume.objects.filter(pk=resume.pk).update(**fields)


def resume_fail(resume_id: uuid.UUID | str) -> None:
    """Record that reading failed for good (the worker's retries are spent)."""
    Resume.objects.filter(pk=resume_id, status=Resume.Status.PARSING).update(
        status=Resume.Status.FAILED, error=READ_FAILED, updated_at=timezone.now()
    )


def resume_set_skills(*, resume: Resume, skills: str | list[str]) -> Resume:
    """Replace the resume's skills with the student's corrected list."""
    text = "\n".join(skills) if isinstance(skills, list) else skills
    if not isinstance(text, str):
        raise Refused("bad_skills", "Give your skills as a list of names.")
    cleaned = clean_skills(text, vocabulary())
    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume.pk)
        resume.profile = {**resume.profile, "skills": cleaned}
        resume.skills_edited = True
        resume.save(update_fields=["profile", "skills_edited", "updated_at"])
    return resume


def resume_retry(*, resume: Resume) -> Resume:
    """Read a resume again after a failure."""
    with transaction.atomic():
        updated = Resume.objects.filter(pk=resume.pk, status=Resume.Status.FAILED).update(
            status=Resume.Status.PARSING, error="", updated_at=timezone.now()
        )
        if updated:
            tasks.read_resume.delay_on_commit(str(resume.pk))
    resume.refresh_from_db()
    return resume


def resume_delete(*, resume: Resume) -> None:
    """Delete the resume and its file; interviews set up with it keep their copy of the profile."""
    file = resume.file
    with transaction.atomic():
        resume.delete()
        transaction.on_commit(lambda: file.delete(save=False))
