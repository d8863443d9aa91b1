# Resumes write ranges with en and em dashes; the patterns here match them.
# ruff: noqa: RUF001
"""What an interview about a candidate covers and asks about: the skills to cover first, the roles
and projects of theirs to ask about, and short summaries of the resume and advert for a model."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ai.base import Anchor
from resumes.reading.job import JobProfile
from resumes.reading.resume import ResumeProfile
from resumes.reading.vocabulary import Vocabulary


def focus_skills(
    track_skills: Sequence[int],
    vocabulary: Vocabulary,
    *,
    claims: Sequence[str] = (),
    needs: Sequence[str] = (),
) -> list[int]:
    """The skills to cover, in order: where the job's needs and the resume's claims meet, then
    the job's needs the resume does not show. Without an advert the track's skills are the needs;
    without either, no focus (every skill, as usual)."""
    if not claims and not needs:
        return []
    needed = vocabulary.skills_of(needs, track_skills) or list(track_skills)
    claimed = set(vocabulary.skills_of(claims, track_skills))
    return [s for s in needed if s in claimed] + [s for s in needed if s not in claimed]


DEED = re.compile(
    r"^(?:led|built|designed|migrated|launched|created|developed|implemented|organi[sz]ed|"
    r"managed|ran|introduced|improved|reduced|redesigned|automated|delivered|coordinated|"
    r"taught|planned|mentored|wrote|analy[sz]ed|negotiated|grew|increased|set up|founded|"
    r"established|rebuilt|refactored|scaled|shipped|trained|supervised|cut|won|raised|"
    r"streamlined|modelled|modeled|researched|ran|prepared|handled|resolved|optimi[sz]ed)\b",
    re.IGNORECASE,
)
MAX_DEED_CHARS = 140


def anchors(profile: ResumeProfile) -> list[Anchor]:
    """Roles and projects to ask about, those with a deed (a story to tell) first."""
    found = []
    for role in profile.roles:
        where = f" at {role.organisation}" if role.organisation else ""
        deed = next((d for d in map(_deed, role.highlights) if d), "")
        found.append(Anchor(f"your time as {role.title}{where}", deed, where))
    for project in profile.projects:
        name = project.name if "project" in project.name.lower() else f"{project.name} project"
        found.append(Anchor(f"your {name}", _deed(project.description), f" in your {name}"))
    return sorted(found, key=lambda a: not a.deed)


def _deed(text: str) -> str:
    """ "Led the migration of X to Y." -> "led the migration of X to Y"; "" if no action."""
    text = text.strip().rstrip(".")
    if not DEED.match(text):
        return ""
    text = re.split(r";|\s+[-–—]\s+", text)[0]
    if len(text) > MAX_DEED_CHARS:
        text = text[:MAX_DEED_CHARS].rsplit(" ", 1)[0].rstrip(",")
    return text[:1].lower() + text[1:]


def resume_summary(profile: ResumeProfile) -> str:
    """The profile as short text for a writing model."""
    lines = [f"Headline: {profile.headline}"] if profile.headline else []
    for role in profile.roles:
        dates = " – ".join(d for d in (role.start, role.end) if d)
        lines.append(f"Role: {role.title}, {role.organisation} ({dates})")
        lines.extend(f"  - {h}" for h in role.highlights)
    for project in profile.projects:
        lines.append(f"Project: {project.name}: {project.description}")
    for school in profile.education:
        lines.append(f"Education: {school.qualification}, {school.institution} {school.dates}")
    if profile.skills:
        lines.append("Claims: " + ", ".join(profile.skills))
    return "\n".join(lines)


def job_summary(job: JobProfile, text: str) -> str:
    """The advert as read, and its text (shortened), for a writing model."""
    head = [
        f"Title: {job.title or '(not given)'}; level: {job.level_label or '(not given)'}",
        "Requires: " + (", ".join(job.requirements) or "(none recognised)"),
    ]
    if job.desirable:
        head.append("Desirable: " + ", ".join(job.desirable))
    return "\n".join(head) + "\n\n" + text[:6000]
