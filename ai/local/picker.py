"""Choose the next core question from the curated bank."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ai import semantic
from ai.text import normalize_text

# How much each mismatch costs when ranking candidates (lower is better).
OFF_LEVEL_COST = 4.0  # per level outside the question's range
OTHER_SKILL_COST = 3.0  # not the skill whose turn it is
SEEN_BEFORE_COST = 2.5  # met in one of the student's earlier interviews
CLAIMED_BONUS = 1.5  # about a tool or method the candidate's resume claims


@dataclass(frozen=True)
class Candidate:
    """A bank question as the picker sees it."""

    id: int
    text: str
    skill_id: int
    difficulty: int
    level_min: int
    level_max: int
    skill_name: str = ""


def is_repeat(text: str, asked: Sequence[str]) -> bool:
    """Return whether the text is a question already asked, however it was worded."""
    key = normalize_text(text)
    if any(key == normalize_text(other) for other in asked):
        return True
    match = semantic.best_match(text, asked)
    return match.score >= match.method.repeat_at


def skill_in_turn(skill_order: Sequence[int], asked_skills: Sequence[int]) -> int | None:
    """Return the requested skill asked least so far, the earlier in the list on a tie."""
    if not skill_order:
        return None
    counts = Counter(asked_skills)
    return min(skill_order, key=lambda s: (counts[s], skill_order.index(s)))


def choose(
    candidates: Sequence[Candidate],
    *,
    level: int,
    difficulty: int,
    skill_order: Sequence[int],
    asked_ids: set[int],
    asked_texts: Sequence[str],
    asked_skills: Sequence[int],
    seen_before: set[int],
    seed: str,
    claimed: frozenset[int] = frozenset(),
) -> Candidate | None:
    """Return the best next question, or None when every candidate was asked already.

    `claimed`: the candidates about something the candidate's resume claims, preferred.
    """
    target_skill = skill_in_turn(skill_order, asked_skills)

    def cost(c: Candidate) -> tuple[float, str]:
        off_level = max(0, c.level_min - level, level - c.level_max)
        value = (
            OFF_LEVEL_COST * off_level
            + (OTHER_SKILL_COST if target_skill is not None and c.skill_id != target_skill else 0)
            + abs(c.difficulty - difficulty)
            + (SEEN_BEFORE_COST if c.id in seen_before else 0)
            - (CLAIMED_BONUS if c.id in claimed else 0)
        )
        # A stable tie-break per interview, so two students do not get the same sequence.
        jitter = hashlib.sha1(f"{seed}:{c.id}".encode()).hexdigest()
        return value, jitter

    # Rank first, then compare wording from the best down: usually only the first is checked.
    ranked = sorted((c for c in candidates if c.id not in asked_ids), key=cost)
    return next((c for c in ranked if not is_repeat(c.text, asked_texts)), None)
