"""Resumes: upload (checked while the student waits), reading in a worker, correcting, deleting;
and the personal context an interview is set up with (a resume, a job advert, or both)."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews import documents, profiles
from interviews.engine import get_engine
from interviews.errors import Refused
from interviews.models import Interview, Resume
from interviews.profiles import JobProfile, ResumeProfile, Vocabulary
from questionbank.models import Track

log = logging.getLogger(__name__)

MAX_RESUMES = 20
READ_FAILED = (
    "We could not read the text of this PDF. Export it again from your word processor and "
    "upload the new file."
)
# The vocabulary is rebuilt this often (seconds), so a curator's new keywords are used soon.
VOCABULARY_TTL = 300
_vocabulary: tuple[float, Vocabulary] | None = None
_vocabulary_lock = threading.Lock()


def vocabulary() -> Vocabulary:
    """The bank's vocabulary, built once a few minutes per process."""
    global _vocabulary
    with _vocabulary_lock:
        if _vocabulary is None or time.monotonic() - _vocabulary[0] > VOCABULARY_TTL:
            _vocabulary = (time.monotonic(), Vocabulary.from_bank())
        return _vocabulary[1]


def vocabulary_reset() -> None:
    global _vocabulary
    with _vocabulary_lock:
        _vocabulary = None


# --- Upload, read, correct, delete ---------------------------------------------------------------


def resume_upload(*, user: User, upload: UploadedFile) -> Resume:
    """Check the file is a readable PDF resume, store it, and have a worker read it."""
    from interviews import tasks

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
    local = profiles.read_resume(markdown, words)
    read = get_engine().read_resume(markdown, local, words)
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
    cleaned = profiles.clean_skills(text, vocabulary())
    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume.pk)
        resume.profile = {**resume.profile, "skills": cleaned}
        resume.skills_edited = True
        resume.save(update_fields=["profile", "skills_edited", "updated_at"])
    return resume


def resume_retry(*, resume: Resume) -> Resume:
    """Read a resume again after a failure."""
    from interviews import tasks

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


# --- An interview's personal context -------------------------------------------------------------


@dataclass(frozen=True)
class Personal:
    """What an interview is personalised with, read and ready to store on it."""

    resume: Resume | None = None
    resume_profile: ResumeProfile | None = None
    job_description: str = ""
    job_profile: JobProfile | None = None

    @property
    def claims(self) -> list[str]:
        return self.resume_profile.skills if self.resume_profile else []

    @property
    def needs(self) -> list[str]:
        return self.job_profile.requirements if self.job_profile else []

    def focus(self, track: Track) -> list[int]:
        """The track's skills to cover first (see profiles.focus_skills)."""
        skill_ids = list(track.skills.order_by("pk").values_list("pk", flat=True))
        return profiles.focus_skills(skill_ids, vocabulary(), claims=self.claims, needs=self.needs)

    def focus_explained(self, track: Track) -> list[FocusSkill]:
        """The focus, each skill with the job's needs and the resume's claims behind it."""
        return explain_focus(track, self.focus(track), claims=self.claims, needs=self.needs)


@dataclass(frozen=True)
class FocusSkill:
    id: int
    name: str
    needed: list[str]  # what the job asks for that this skill covers
    claimed: list[str]  # what the resume claims that it covers


def explain_focus(
    track: Track, focus: list[int], *, claims: list[str], needs: list[str]
) -> list[FocusSkill]:
    words = vocabulary()
    names = dict(track.skills.values_list("pk", "name"))
    return [
        FocusSkill(
            skill_id,
            names[skill_id],
            needed=words.terms_for(skill_id, needs),
            claimed=words.terms_for(skill_id, claims),
        )
        for skill_id in focus
        if skill_id in names
    ]


def job_read(text: str) -> JobProfile:
    """Read a job advert (the engine's reading, kept an hour so setup does not read it twice)."""
    text = job_text_clean(text)
    if not text:
        return JobProfile()
    key = f"job:{get_engine().name}:{hash_text(text)}"
    cached = cache.get(key)
    if cached is not None:
        return JobProfile.from_dict(cached)
    words = vocabulary()
    read = get_engine().read_job(text, profiles.read_job(text, words), words)
    if not read.fallback:  # a provider that failed is asked again next time
        cache.set(key, read.profile.as_dict(), 3600)
    return read.profile


def job_text_clean(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise Refused(
            "bad_job_description", "The job description must be text.", field="job_description"
        )
    text = text.strip()
    if len(text) > profiles.JOB_MAX_CHARS:
        raise Refused(
            "job_description_too_long",
            f"The job description is {len(text):,} characters; paste at most "
            f"{profiles.JOB_MAX_CHARS:,} (the role, its requirements and responsibilities).",
            field="job_description",
        )
    return text


def hash_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def personal_context(
    *, user: User, resume_id: object = None, job_description: object = None
) -> Personal:
    """Check and read the resume and job advert chosen at setup."""
    resume = None
    if resume_id not in (None, ""):
        try:
            resume = Resume.objects.get(pk=str(resume_id), user=user)
        except (Resume.DoesNotExist, ValidationError, ValueError) as error:
            raise Refused(
                "resume_not_found", "That resume does not exist.", field="resume"
            ) from error
        if resume.status != Resume.Status.READY:
            raise Refused(
                "resume_not_ready",
                "That resume is still being read (or could not be read); choose another or "
                "wait a moment.",
                field="resume",
            )
    text = job_text_clean(job_description)
    return Personal(
        resume=resume,
        resume_profile=ResumeProfile.from_dict(resume.profile) if resume else None,
        job_description=text,
        job_profile=job_read(text) if text else None,
    )


@dataclass(frozen=True)
class InterviewPersonal:
    """What an interview was personalised with, as the room and the report show it."""

    resume_title: str
    job: JobProfile | None
    focus: list[FocusSkill]


def interview_personal(interview: Interview) -> InterviewPersonal | None:
    if not interview.resume_profile and not interview.job_profile:
        return None
    claims = interview.resume_profile.get("skills", [])
    job = JobProfile.from_dict(interview.job_profile) if interview.job_profile else None
    focus = explain_focus(
        interview.track, interview.focus, claims=claims, needs=job.requirements if job else []
    )
    title = interview.resume.title if interview.resume else ""
    if interview.resume_profile and not title:
        title = "a resume since deleted"  # the interview keeps its copy of the profile
    return InterviewPersonal(resume_title=title, job=job, focus=focus)
