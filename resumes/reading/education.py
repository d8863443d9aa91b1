# Resumes write dates and separators with en and em dashes; the patterns here match them.
# ruff: noqa: RUF001, RUF003
"""How the local engine reads a resume's education: each school, its qualification and its dates."""

from __future__ import annotations

import re

from resumes.reading.entries import date_range, is_country, is_place
from resumes.reading.profile import Education
from resumes.reading.text import BULLET, clean_line

DEGREE_WORDS = re.compile(
    r"\b(?:b\.?sc|m\.?sc|b\.?a|m\.?a|b\.?eng|m\.?eng|ph\.?d|mba|bachelor|master|doctor|"
    r"diploma|degree|pgce|a[- ]levels?|gcses?|hnd|certificate|licen[cs]e|associate of|bs|ms)\b",
    re.IGNORECASE,
)
INSTITUTION_WORDS = re.compile(
    r"universit|college|school|institut|academy|polytechnic|politécnic|politecnic|escuela|"
    r"hochschule|école|ecole|campus|coláiste|colaiste|lycée|gymnas",
    re.IGNORECASE,
)
GLUED_SCHOOL = re.compile(
    r"(?<=[a-z)])(?=(?:Universit|College|School|Institut|Academy|Escuela|Hochschule|Coláiste))"
)
# Separators of an education line's parts, outside brackets: "Leaving Certificate (Biology,
# Chemistry)" is one part.
OUTSIDE_BRACKETS = re.compile(r"\s*[,|–—]\s*(?![^()]*\))|\s+-\s+")


def _degree_and_school(part: str) -> list[str]:
    """A part naming both, as "PGCE University of Bristol" or "BA (Hons) Oxford Brookes
    University", split in two; "in Adult Nursing" without its "in"."""
    part = re.sub(r"^(?:in|of)\s+", "", part.strip())
    degree = DEGREE_WORDS.search(part)
    if degree is None or not INSTITUTION_WORDS.search(part):
        return [part] if part else []
    end = degree.end()
    bracket = re.match(r"\s*\([^)]*\)", part[end:])  # "(Hons)"
    end += bracket.end() if bracket else 0
    before, after = part[:end].strip(), part[end:].strip()
    if degree.start() == 0 and after and INSTITUTION_WORDS.search(after):
        return [before, after]
    return [part]


def read_education(lines: list[str]) -> list[Education]:
    entries: list[Education] = []
    for line in lines:
        text, start, end = date_range(clean_line(line))
        # A degree run into its school across a narrow column: "DiplomaEscuela de Hostelería".
        text = GLUED_SCHOOL.sub(" ", text)
        dates = f"{start} – {end}" if end else start
        if BULLET.match(line) and not INSTITUTION_WORDS.search(text):
            continue  # a note under the entry: "- First-class honours; dissertation on …"
        parts = [p for part in OUTSIDE_BRACKETS.split(text) for p in _degree_and_school(part)]
        institution = next((p for p in parts if INSTITUTION_WORDS.search(p)), "")
        qualification = next((p for p in parts if DEGREE_WORDS.search(p)), "")
        subject = next((p for p in parts if p not in (institution, qualification)), "")
        if (
            qualification
            and 0 < len(subject.split()) <= 6
            and len(qualification.split()) <= 3
            and not is_place(subject)
            and not is_country(subject)
        ):
            qualification = f"{qualification} {subject}"  # "BSc (Hons)", "Mathematics"
        if not institution and not qualification:
            if dates and entries and not entries[-1].dates:
                entries[-1].dates = dates  # "2023–2024, Distinction" under the entry
            continue
        if institution and entries and not entries[-1].institution:
            entries[-1].institution = institution
        elif qualification and entries and not entries[-1].qualification:
            entries[-1].qualification = qualification
        elif institution or qualification:
            entries.append(Education(institution, qualification, dates))
            continue
        else:
            continue
        if dates and not entries[-1].dates:
            entries[-1].dates = dates
    return entries[:6]
