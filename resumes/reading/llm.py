"""Resumes and job adverts read by the LLM (the fast model, a strict JSON schema), when it is on.

The local reading comes first and stays: the model's reading replaces it only when the call
succeeds, with the skills in the bank's names and any the vocabulary found that it left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Generic, TypeVar

from django.conf import settings
from pydantic import Field, StringConstraints

from ai.llm import calls
from ai.llm.calls import FAILURES, fenced, why
from ai.llm.schemas import Phrase, Strict, Text
from questionbank.models import Level
from resumes.reading.job import JobProfile
from resumes.reading.resume import ResumeProfile
from resumes.reading.vocabulary import Vocabulary, unique

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).parent / "prompts"
# A resume's Markdown beyond this is not sent (ten dense pages are about 40,000 characters).
RESUME_MAX_CHARS = 40_000

P = TypeVar("P")


@dataclass(frozen=True)
class Read(Generic[P]):
    """A profile read from a resume or a job advert, and who read it."""

    profile: P
    engine: str = "local"
    fallback: str = ""


Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class RoleOut(Strict):
    title: Phrase
    organisation: Short
    start: Short
    end: Short
    highlights: Annotated[list[Phrase], Field(max_length=8)]
    tools: Annotated[list[Term], Field(max_length=20)]


class ProjectOut(Strict):
    name: Phrase
    description: Text
    tools: Annotated[list[Term], Field(max_length=20)]


class EducationOut(Strict):
    institution: Short
    qualification: Short
    dates: Short


class ResumeOut(Strict):
    name: Short
    headline: Short
    education: Annotated[list[EducationOut], Field(max_length=6)]
    roles: Annotated[list[RoleOut], Field(max_length=15)]
    projects: Annotated[list[ProjectOut], Field(max_length=10)]
    skills: Annotated[list[Term], Field(max_length=60)]


class JobOut(Strict):
    title: Short
    level: Annotated[int, Field(ge=1, le=6)] | None
    level_reason: Short
    requirements: Annotated[list[Term], Field(max_length=40)]
    desirable: Annotated[list[Term], Field(max_length=40)]


def _enabled() -> bool:
    return settings.LLM_PROVIDER == "openai"


def read_resume(markdown: str, local: ResumeProfile, vocabulary: Vocabulary) -> Read[ResumeProfile]:
    """Read the resume with the fast model; the local reading without one or on a failure."""
    if not _enabled():
        return Read(local)
    try:
        out = calls.complete(
            ResumeOut,
            model=settings.LLM_FAST_MODEL,
            system=calls.prompt(PROMPTS / "resume.md").template,
            user=fenced("resume", markdown[:RESUME_MAX_CHARS]),
        )
    except FAILURES as error:
        log.warning("Resume reading fell back to the local engine: %s", why(error))
        return Read(local, fallback=why(error))
    profile = ResumeProfile.from_dict(out.model_dump())
    # The bank's names for the skills, and any the vocabulary found that the model left out.
    profile.skills = unique([*map(vocabulary.canonical, profile.skills), *local.skills])
    for role in profile.roles:
        role.tools = [vocabulary.canonical(t) for t in role.tools]
    for project in profile.projects:
        project.tools = [vocabulary.canonical(t) for t in project.tools]
    return Read(profile, engine="openai")


def read_job(text: str, local: JobProfile, vocabulary: Vocabulary) -> Read[JobProfile]:
    """Read a job advert with the fast model; the local reading without one or on a failure."""
    if not _enabled():
        return Read(local)
    levels = ", ".join(f"{int(level)} = {level.label}" for level in Level)
    try:
        out = calls.complete(
            JobOut,
            model=settings.LLM_FAST_MODEL,
            system=calls.prompt(PROMPTS / "job.md").substitute(levels=levels),
            user=fenced("job_advert", text),
        )
    except FAILURES as error:
        log.warning("Job reading fell back to the local engine: %s", why(error))
        return Read(local, fallback=why(error))
    job = JobProfile(
        title=out.title,
        level=out.level,
        level_reason=out.level_reason,
        requirements=unique(map(vocabulary.canonical, out.requirements)),
        desirable=unique(map(vocabulary.canonical, out.desirable)),
    )
    return Read(job, engine="openai")
