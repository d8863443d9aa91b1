"""The personal context an interview is set up with: a resume, a job advert, or both."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.models import User
from config.errors import Refused
from questionbank.models import Track
from resumes.models import Resume
from resumes.reading import llm
from resumes.reading.focus import focus_skills
from resumes.reading.job import JOB_MAX_CHARS, JobProfile, read_job
from resumes.reading.resume import ResumeProfile
from resumes.selectors import vocabulary


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
        """The track's skills to cover first (see resumes.reading.focus.focus_skills)."""
        skill_ids = list(track.skills.order_by("pk").values_list("pk", flat=True))
        return focus_skills(skill_ids, vocabulary(), claims=self.claims, needs=self.needs)

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
    key = f"job:{settings.LLM_PROVIDER}:{hash_text(text)}"
    cached = cache.get(key)
    if cached is not None:
        return JobProfile.from_dict(cached)
    words = vocabulary()
    read = llm.read_job(text, read_job(text, words), words)
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
    if len(text) > JOB_MAX_CHARS:
        raise Refused(
            "job_description_too_long",
            f"The job description is {len(text):,} characters; paste at most "
            f"{JOB_MAX_CHARS:,} (the role, its requirements and responsibilities).",
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
