"""The question bank's vocabulary: the names of skills and tools a resume or an advert may use.

Every bank skill's keywords ("PostgreSQL|Postgres") are recognised anywhere in a text, so that
"Postgres" on a resume and "PostgreSQL" in an advert are one claim, and that claim maps onto the
bank skills it evidences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from questionbank.models import Skill

# A resume lists at most this many skills.
MAX_SKILLS = 60


@dataclass(frozen=True)
class Vocabulary:
    """The bank's keywords: each name a resume or advert may use, its display name and skills."""

    names: dict[str, str]  # a lower-case name or alias -> the display name
    skills: dict[str, frozenset[int]]  # the display name -> the bank skills it evidences
    pattern: re.Pattern[str] | None

    @classmethod
    def build(cls, skills: Iterable[tuple[int, Sequence[str]]]) -> Vocabulary:
        """Build from (skill id, keywords) pairs."""
        names: dict[str, str] = {}
        owners: dict[str, set[int]] = {}
        for skill_id, keywords in skills:
            for keyword in keywords:
                aliases = [a.strip() for a in keyword.split("|") if len(a.strip()) >= 2]
                if not aliases:
                    continue
                display = names.setdefault(aliases[0].lower(), aliases[0])
                for alias in aliases:
                    names.setdefault(alias.lower(), display)
                owners.setdefault(display, set()).add(skill_id)
        # Longest first, so that "Spring Boot" wins over "Spring"; not inside a longer word.
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = (
            re.compile(rf"(?<![\w+#/])(?:{alternatives})(?![\w+#])", re.IGNORECASE)
            if names
            else None
        )
        return cls(names, {k: frozenset(v) for k, v in owners.items()}, pattern)

    @classmethod
    def from_bank(cls) -> Vocabulary:
        return cls.build(Skill.objects.values_list("pk", "keywords"))

    def find(self, text: str) -> list[str]:
        """Return the display names of the terms in the text, in order of first mention."""
        if self.pattern is None:
            return []
        found = (self.names[m.group(0).lower()] for m in self.pattern.finditer(flat(text)))
        return list(dict.fromkeys(found))

    def canonical(self, item: str) -> str:
        """Return the vocabulary's name for an item, or the item as written."""
        return self.names.get(item.strip().lower(), item.strip())

    def skills_of(self, terms: Iterable[str], among: Iterable[int]) -> list[int]:
        """Return the skills (of those given, in their order) that any of the terms evidences."""
        evidenced = set().union(*(self.skills.get(self.canonical(t), ()) for t in terms))
        return [skill for skill in among if skill in evidenced]

    def terms_for(self, skill_id: int, terms: Iterable[str]) -> list[str]:
        """Return the terms that evidence the skill."""
        return [t for t in terms if skill_id in self.skills.get(self.canonical(t), ())]


# Web and email addresses: "github.com/praman" names no skill (not even Git).
ADDRESS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/\S*")
# A repository's popularity is no claim either: "2.4k GitHub stars" says nothing of using Git.
STARS = re.compile(r"\b(?:GitHub|GitLab)\s+stars\b|\bstars\s+on\s+(?:GitHub|GitLab)\b", re.I)


def flat(text: str) -> str:
    """The text on one line, without emphasis marks, addresses or repository stars."""
    text = ADDRESS.sub(" ", text.replace("**", "").replace("__", ""))
    text = STARS.sub(" ", text)
    return " ".join(text.split())


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.lower() not in seen:
            seen[item.lower()] = item
    return list(seen.values())


def clean_skills(text: str, vocabulary: Vocabulary) -> list[str]:
    """Return the skills a student typed (one a line, or separated by commas), tidied."""
    items = (i.strip(" .") for i in re.split(r"[\n,;]+", text))
    return unique(vocabulary.canonical(i)[:60] for i in items if i.strip(" ."))[:MAX_SKILLS]
