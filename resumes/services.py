"""Resumes: upload, checking and reading in a worker, correcting, deleting."""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AccessRecord, User
from accounts.privacy import access_record
from config.errors import Refused
from resumes import documents, tasks
from resumes.models import Resume
from resumes.reading import llm
from resumes.reading.resume import Education, Role, read_resume
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
    """Store the upload, if it can be a PDF resume, and have a worker check and read it.

    Only the checks that cost nothing are made here (documents.check_upload): opening the PDF is
    the worker's, so that no file can hold up the web server.
    """
    if upload.size and upload.size > documents.MAX_BYTES:
        raise documents.too_large(upload.size)
    if Resume.objects.filter(user=user).count() >= MAX_RESUMES:
        raise Refused(
            "too_many_resumes",
            f"You already keep {MAX_RESUMES} resumes. Delete one you no longer use first.",
        )
    data = upload.read(documents.MAX_BYTES + 1)
    documents.check_upload(data)
    resume = Resume(
        user=user,
        organization_id=user.organization_id,
        title=_title(upload.name),
        size=len(data),
    )
    resume.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            resume.save()
            tasks.read_later(resume.pk)
    except BaseException:
        resume.file.delete(save=False)
        raise
    resume.refresh_from_db()  # read already when tasks run eagerly in this thread
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
            document = documents.read(file.read())
    except Refused as refusal:
        _fail(resume.pk, refusal.message)
        return
    except Exception:
        log.exception("Could not read the text of resume %s", resume_id)
        _fail(resume.pk, READ_FAILED)
        return
    markdown = document.markdown
    words = vocabulary()
    read = llm.read_resume(markdown, read_resume(markdown, words), words)
    fields: dict[str, Any] = {
        "markdown": markdown,
        "pages": document.pages,
        "active_content": document.active_content,
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
        if current.roles_edited:
            fields["profile"]["roles"] = current.profile.get("roles", [])
        if current.education_edited:
            fields["profile"]["education"] = current.profile.get("education", [])
        Resume.objects.filter(pk=resume.pk).update(**fields)


def resume_fail(resume_id: uuid.UUID | str) -> None:
    """Record that reading failed for good (the worker's retries are spent)."""
    _fail(resume_id, READ_FAILED)


def _fail(resume_id: uuid.UUID | str, error: str) -> None:
    Resume.objects.filter(pk=resume_id, status=Resume.Status.PARSING).update(
        status=Resume.Status.FAILED, error=error, updated_at=timezone.now()
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


# What a student may correct in the roles and education (the page and the API check these too).
MAX_ROLES = 20
MAX_HIGHLIGHTS = 8
MAX_EDUCATION = 6
NAME_CHARS = 120  # a job title, organisation, institution or qualification
DATES_CHARS = 40
HIGHLIGHT_CHARS = 300
_LABELS = {"title": "job title", "start": "start date", "end": "end date"}


def resume_set_roles(*, resume: Resume, roles: list[dict[str, Any]]) -> Resume:
    """Replace the resume's roles with the student's corrected ones (empty rows dropped)."""
    words = vocabulary()
    cleaned: list[dict[str, Any]] = []
    for number, entry in enumerate(_entries(roles, "roles"), start=1):
        where = f"Role {number}"
        role = Role(
            title=_text(entry, "title", NAME_CHARS, where),
            organisation=_text(entry, "organisation", NAME_CHARS, where),
            start=_text(entry, "start", DATES_CHARS, where),
            end=_text(entry, "end", DATES_CHARS, where),
            highlights=_highlights(entry, where),
        )
        if not (role.title or role.organisation or role.start or role.end or role.highlights):
            continue
        if not role.title:
            raise Refused(
                "role_without_title",
                f"{where} has no job title: add one, or clear the row to remove the role.",
            )
        role.tools = words.find(" ".join([role.title, *role.highlights]))
        cleaned.append(asdict(role))
    if len(cleaned) > MAX_ROLES:
        raise Refused(
            "too_many_roles",
            f"Keep at most {MAX_ROLES} roles (you gave {len(cleaned)}): remove the ones the "
            "interviewer need not ask about.",
        )
    return _profile_correct(resume=resume, part="roles", value=cleaned, flag="roles_edited")


def resume_set_education(*, resume: Resume, education: list[dict[str, Any]]) -> Resume:
    """Replace the resume's education with the student's corrected entries (empty rows dropped)."""
    cleaned: list[dict[str, Any]] = []
    for number, entry in enumerate(_entries(education, "education"), start=1):
        where = f"Education entry {number}"
        school = Education(
            institution=_text(entry, "institution", NAME_CHARS, where),
            qualification=_text(entry, "qualification", NAME_CHARS, where),
            dates=_text(entry, "dates", DATES_CHARS, where),
        )
        if not (school.institution or school.qualification):
            if not school.dates:
                continue
            raise Refused(
                "education_without_name",
                f"{where} has only dates: add the institution or the qualification, or clear "
                "the row to remove it.",
            )
        cleaned.append(asdict(school))
    if len(cleaned) > MAX_EDUCATION:
        raise Refused(
            "too_much_education",
            f"Keep at most {MAX_EDUCATION} education entries (you gave {len(cleaned)}): remove "
            "the oldest.",
        )
    return _profile_correct(resume=resume, part="education", value=cleaned, flag="education_edited")


def _entries(items: object, part: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Refused(f"bad_{part}", f"Give your {part} as a list of entries.")
    return items


def _text(entry: dict[str, Any], key: str, limit: int, where: str) -> str:
    """The entry's value for the key on one line, or a refusal the student can act on."""
    value = entry.get(key) or ""
    label = _LABELS.get(key, key)
    if not isinstance(value, str):
        raise Refused("bad_value", f"{where}: the {label} must be text.")
    value = " ".join(value.split())
    if len(value) > limit:
        raise Refused(
            "too_long",
            f"{where}: the {label} has {len(value)} characters; keep it to {limit}.",
        )
    return value


def _highlights(entry: dict[str, Any], where: str) -> list[str]:
    items = entry.get("highlights") or []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise Refused("bad_value", f"{where}: give the highlights as a list of lines.")
    lines = [line for line in (" ".join(i.split()) for i in items) if line]
    if len(lines) > MAX_HIGHLIGHTS:
        raise Refused(
            "too_many_highlights",
            f"{where} has {len(lines)} highlights; keep the {MAX_HIGHLIGHTS} that matter most.",
        )
    for line in lines:
        if len(line) > HIGHLIGHT_CHARS:
            raise Refused(
                "too_long",
                f"{where}: a highlight has {len(line)} characters; keep each to {HIGHLIGHT_CHARS}.",
            )
    return lines


def _profile_correct(*, resume: Resume, part: str, value: list[Any], flag: str) -> Resume:
    """Store the student's version of one part of a read resume's profile."""
    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume.pk)
        if resume.status != Resume.Status.READY:
            raise Refused("not_ready", "Wait until the resume has been read to correct it.")
        resume.profile = {**resume.profile, part: value}
        setattr(resume, flag, True)
        resume.save(update_fields=["profile", flag, "updated_at"])
    return resume


def resume_retry(*, resume: Resume) -> Resume:
    """Read a resume again after a failure."""
    with transaction.atomic():
        updated = Resume.objects.filter(pk=resume.pk, status=Resume.Status.FAILED).update(
            status=Resume.Status.PARSING, error="", updated_at=timezone.now()
        )
        if updated:
            tasks.read_later(resume.pk)
    resume.refresh_from_db()
    return resume


def resume_delete(*, resume: Resume) -> None:
    """Delete the resume (its file goes once that commits: django-cleanup); interviews set up
    with it keep their copy of the profile."""
    resume.delete()


def resume_read_log(*, viewer: User, resume: Resume) -> None:
    """Log a coach's, admin's or site staff's read of a student's resume (not the student's)."""
    access_record(
        viewer=viewer,
        student=resume.user,
        what=AccessRecord.What.RESUME,
        object_id=resume.pk,
        label=resume.title,
    )
