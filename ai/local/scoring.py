"""The five rubric dimensions, each 0-10, from the answer's features and signals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ai.local.correctness import Features
from ai.local.coverage import PointMatch
from ai.local.signals import Signals
from ai.rubric import Scores

STORY_TYPES = ("behavioural", "situational")
# Below these word counts an answer is too short to show depth or structure.
MIN_WORDS = {"behavioural": 40, "situational": 40, "technical": 25, "system_design": 30}
# What a flagged answer can score at most, on every dimension.
CAP_DONT_KNOW = 1.0
CAP_OFF_TOPIC = 1.5
CAP_TOO_SHORT = {"depth": 4.0, "experience": 5.0, "clarity": 5.0, "confidence": 7.0}


@dataclass(frozen=True)
class Evidence:
    """Everything the dimension scores are computed from."""

    feats: Features
    sig: Signals
    points: Sequence[PointMatch]
    correctness: float
    question_type: str


def _ratio(value: float, full: float) -> float:
    """Return value / full, capped at 1."""
    return min(1.0, value / full) if full > 0 else 0.0


def technical(ev: Evidence) -> float:
    """Score technical correctness from the reference and key-point correctness."""
    return 10 * ev.correctness


def depth(ev: Evidence) -> float:
    """Score depth from reasons and trade-offs, how much is explained and the key points made."""
    reasons = _ratio(len(set(ev.sig.reasons)), 3)
    explained = _ratio(ev.feats.content_words, 60)
    if ev.points:
        coverage = sum(min(1.0, p.score / 0.8) for p in ev.points) / len(ev.points)
    else:
        coverage = ev.feats.recall
    return 10 * (0.4 * reasons + 0.2 * explained + 0.4 * coverage)


def experience(ev: Evidence) -> float:
    """Score practical experience from first-hand actions, numbers, named tools, time and place."""
    sig = ev.sig
    # "I'd check the logs" shows know-how but not first-hand experience, so it counts for half.
    actions = _ratio(sig.first_person_actions + 0.5 * sig.hypothetical_actions, 4)
    return 10 * (
        0.35 * actions
        + 0.25 * _ratio(sig.numbers, 3)
        + 0.25 * _ratio(len(sig.named_tools), 2)
        + 0.15 * _ratio(sig.time_place, 1)
    )


def _sentence_shape(sig: Signals) -> float:
    """Return 1 for sentences of a comfortable spoken length, less for fragments or run-ons."""
    if not sig.sentences or not sig.words:
        return 0.0
    mean = sig.words / len(sig.sentences)
    if mean < 8:
        return mean / 8
    if mean > 25:
        return max(0.0, 1 - (mean - 25) / 25)
    return 1.0


def clarity(ev: Evidence) -> float:
    """Score clarity from sentence shape, connectives, STAR shape for stories, minus fillers."""
    sig = ev.sig
    shape = _sentence_shape(sig)
    connectives = _ratio(len(set(sig.connectives)), 3)
    if ev.question_type in STORY_TYPES:
        star = sum(sig.star.values()) / len(sig.star)
        score = 0.3 * shape + 0.3 * connectives + 0.4 * star
    else:
        score = 0.5 * shape + 0.5 * connectives
    # A few words cannot show structure, however tidy they are.
    score *= _ratio(sig.words, 40) ** 0.5
    return 10 * score - min(4.0, 0.8 * sig.rate(len(sig.fillers)))


def confidence(ev: Evidence) -> float:
    """Score confidence: full marks less hedging and fillers per 100 words and giving up."""
    sig = ev.sig
    penalty = 1.5 * sig.rate(len(sig.hedges)) + 0.5 * sig.rate(len(sig.fillers))
    return 10 - penalty - 3 * len(sig.give_ups)


def score(ev: Evidence, red_flags: Sequence[str]) -> Scores:
    """Compute all five dimensions, apply the caps of any red flags, and round."""
    values = {
        "technical": technical(ev),
        "depth": depth(ev),
        "experience": experience(ev),
        "clarity": clarity(ev),
        "confidence": confidence(ev),
    }
    if "empty" in red_flags:
        values = dict.fromkeys(values, 0.0)
    cap = 10.0
    if "dont_know" in red_flags:
        cap = CAP_DONT_KNOW
    elif "off_topic" in red_flags:
        cap = CAP_OFF_TOPIC
    for name, value in values.items():
        limit = cap
        if "too_short" in red_flags:
            limit = min(limit, CAP_TOO_SHORT.get(name, 10.0))
        values[name] = round(min(limit, max(0.0, value)), 1)
    return Scores(**values)
