"""The pieces every reader of resume and advert Markdown shares: a line's clean text, its bullet
and the words of job titles."""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*(?:[-*•▪◦●·‣]|\d+[.)])\s+")
TITLE_WORDS = re.compile(
    r"\b(?:intern|internship|engineer|developer|programmer|analyst|scientist|assistant|"
    r"associate|manager|lead|head|director|officer|consultant|coordinator|specialist|"
    r"researcher|nurse|teacher|tutor|trainee|apprentice|student|volunteer|representative|"
    r"executive|designer|architect|administrator|technician|placement|fellow|president|"
    r"captain|founder|co-founder|owner|advisor|adviser|accountant|auditor|banker|trader|"
    r"practitioner|midwife|carer|support worker|sales|marketing|supervisor|treasurer|"
    r"aider|leader|chef|receptionist|agent|clerk|planner|buyer|editor|writer|"
    r"lecturer|instructor|coach|therapist|pharmacist|physician|doctor|surgeon|paramedic|"
    r"operator|inspector|surveyor|controller|secretary|mentor|ambassador)"
    # Singular only: "John Lewis & Partners", "Smith Associates" name organisations.
    r"\b",
    re.IGNORECASE,
)


MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")


def clean_markdown(text: str) -> str:
    """Markdown links as their text only: "[FlashInfer](https://github.com/…)" is "FlashInfer"."""
    return MARKDOWN_LINK.sub(r"\1", text)


def clean_line(line: str) -> str:
    """A line without Markdown marks, bullets and extra spaces."""
    line = BULLET.sub("", clean_markdown(line))
    line = re.sub(r"^#+\s*", "", line)
    line = re.sub(r"</?[a-z]+>", "", line)  # <u>, <br>
    line = line.replace("**", "").replace("__", "").replace("`", "")
    line = re.sub(r"(?<!\w)[_*](\S.*?\S|\S)[_*](?!\w)", r"\1", line)  # _italic_ / *italic*
    return " ".join(line.split()).strip(" |:")
