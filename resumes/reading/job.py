# Adverts write ranges with en dashes and quotes with curly apostrophes; the patterns match them.
# ruff: noqa: RUF001
"""What a job advert asks for, as the local engine reads it: its title, level and requirements."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from questionbank.models import Level
from resumes.reading.text import BULLET, TITLE_WORDS, clean_line
from resumes.reading.vocabulary import Vocabulary, unique

JOB_MAX_CHARS = 20_000


@dataclass
class JobProfile:
    title: str = ""
    level: int | None = None
    level_reason: str = ""
    requirements: list[str] = field(default_factory=list)  # what the advert asks for
    desirable: list[str] = field(default_factory=list)  # nice to have

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobProfile:
        names = ("title", "level", "level_reason", "requirements", "desirable")
        return cls(**{k: data[k] for k in names if k in data})

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else ""


# In this order: an explicit seniority wins ("Junior Software Engineer (Graduate Scheme)": junior).
LEVEL_WORDS = (
    (Level.PRINCIPAL, r"principal|distinguished"),
    # A "Staff Nurse" is a registered nurse, not a staff-level one ("Senior Staff Nurse": senior).
    (Level.STAFF, r"staff(?!\s+nurse)|lead|head of|team lead(?:er)?"),
    (Level.SENIOR, r"senior|sr\.?"),
    (Level.JUNIOR, r"junior|jr\.?|early[- ]career"),
    # The bank's first level is "Intern / new graduate": a graduate scheme's level.
    (
        Level.INTERN,
        r"intern(?:ship)?|placement student|industrial placement|work experience|graduate|"
        r"new grad|entry[- ]level|newly qualified|trainee",
    ),
    (Level.MID, r"mid[- ]?level|intermediate"),
)
YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*years?(?:'|’)?\s*(?:of\s+)?"
    r"(?:\w+\s+){0,3}experience",
    re.IGNORECASE,
)
DESIRABLE = re.compile(
    r"nice to have|desirable|bonus|preferred|a plus|would be (?:great|nice)|advantageous",
    re.IGNORECASE,
)
TITLE_LABEL = re.compile(r"^(?:job title|title|position|role)\s*:\s*(.+)$", re.IGNORECASE)


def read_job(text: str, vocabulary: Vocabulary) -> JobProfile:
    """Return the title, level and required skills the local engine reads from a job advert."""
    read = [(clean_line(line), bool(BULLET.match(line))) for line in text.splitlines()]
    read = [(line, is_bullet) for line, is_bullet in read if line]
    job = JobProfile(title=_job_title([line for line, _ in read]))
    job.level, job.level_reason = _job_level(job.title, text)
    required: list[str] = []
    desirable: list[str] = []
    in_desirable = False
    for line, is_bullet in read:
        if is_bullet:
            pass  # an item, never a heading: "- Docker would be a plus"
        elif DESIRABLE.search(line) and len(line.split()) <= 8:
            in_desirable = True  # a heading: "Nice to have"
        elif re.search(r"requirements|essential|you will have|must have|you have", line, re.I):
            in_desirable = False
        terms = vocabulary.find(line)
        (desirable if in_desirable or DESIRABLE.search(line) else required).extend(terms)
    job.requirements = unique(required)
    job.desirable = [t for t in unique(desirable) if t not in job.requirements]
    return job


def _job_title(lines: list[str]) -> str:
    for line in lines[:15]:
        labelled = TITLE_LABEL.match(line)
        if labelled:
            return labelled.group(1).strip()[:120]
    for line in lines[:5]:
        if TITLE_WORDS.search(line) and len(line.split()) <= 10 and not line.endswith("."):
            return line[:120]
    return ""


def _job_level(title: str, text: str) -> tuple[int | None, str]:
    """The level the title names, else the one the years of experience asked suggest."""
    for level, words in LEVEL_WORDS:
        if re.search(rf"\b(?:{words})\b", title, re.IGNORECASE):
            return int(level), f"the title says “{title}”"
    years = [int(m.group(1)) for m in YEARS.finditer(text)]
    if years:
        least = min(years)
        level = (
            Level.JUNIOR
            if least <= 1
            else Level.MID
            if least <= 4
            else Level.SENIOR
            if least <= 7
            else Level.STAFF
        )
        return int(level), f"it asks for {least}+ years of experience"
    for level, words in LEVEL_WORDS:
        if re.search(rf"\b(?:{words})\b", text, re.IGNORECASE):
            return int(level), "the advert's wording"
    return None, ""
