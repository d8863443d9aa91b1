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
# Each mistake (a red flag made, a key point dismissed) keeps this share of what is right, depth
# and practical experience: a panel rejects a wrong practice however fluently it is told.
MISTAKE_KEEPS = {"technical": 0.45, "depth": 0.55, "experience": 0.7}
# With a mistake, correctness is at most this (of 10): the answer is not right.
CAP_WITH_MISTAKE = 4.0
# The share of function words in a list of terms strung together, and in prose (see `prose`).
LIST_SHARE, PROSE_SHARE = 0.25, 0.38
# Each phrase that waves away care, rules or other people counts as this much of a mistake.
DISMISSIVE_WEIGHT = 0.5
# An answer whose sentences come, on average, this close to what good practice says (a key
# point, a sentence of the reference) is about the substance; below it, what it gets right is
# diluted by what it says instead: correctness, depth and practical experience shrink with it.
# A story of one's own shares fewer words with the model story than an explanation does with the
# model answer (the situation, people and numbers are the candidate's): strong stories come to
# about 0.24 on average, strong explanations to 0.40, so a story's bar is lower in proportion.
FOCUS_FULL = {"behavioural": 0.2, "situational": 0.3, "technical": 0.3, "system_design": 0.3}
FOCUSED = ("technical", "depth", "experience")
# Confidence starts here, in the middle, and moves with what the answer shows.
NEUTRAL_CONFIDENCE = 5.0
# What committed specifics (first-hand actions, numbers, reasons) can add to it at most.
CONFIDENCE_GAIN = 3.5


@dataclass(frozen=True)
class Evidence:
    """Everything the dimension scores are computed from."""

    feats: Features
    sig: Signals
    points: Sequence[PointMatch]
    correctness: float
    question_type: str
    # How many mistakes the answer makes (red flags, what it denies of the reference).
    mistakes: float = 0.0
    # How close its sentences come to good practice, on average (see coverage.Judged.focus).
    focus: float = 1.0


def _ratio(value: float, full: float) -> float:
    """Return value / full, capped at 1."""
    return min(1.0, value / full) if full > 0 else 0.0


def technical(ev: Evidence) -> float:
    """Score technical correctness from the reference and key-point correctness."""
    return 10 * ev.correctness


def prose(sig: Signals) -> float:
    """Return 1 for sentences, 0 for a list of terms strung together (no reasoning can be in it)."""
    return min(1.0, max(0.0, (sig.function_share - LIST_SHARE) / (PROSE_SHARE - LIST_SHARE)))


def depth(ev: Evidence) -> float:
    """Score depth from reasons and trade-offs, how much is explained and the key points made;
    a list of buzzwords explains nothing, however many of the question's terms it holds."""
    reasons = _ratio(len(set(ev.sig.reasons)), 3)
    explained = _ratio(ev.feats.content_words, 60)
    if ev.points:
        coverage = sum(min(1.0, p.score / 0.8) for p in ev.points) / len(ev.points)
    else:
        coverage = ev.feats.recall
    return 10 * (0.4 * reasons + 0.2 * explained + 0.4 * coverage) * prose(ev.sig)


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
    """Score confidence from neutral: up for committed specifics (actions, numbers, reasons),
    down for hedging, fillers and giving up."""
    sig = ev.sig
    committed = (
        _ratio(sig.first_person_actions + sig.hypothetical_actions, 4)
        + _ratio(sig.numbers + len(sig.named_tools), 4)
        + _ratio(len(set(sig.reasons)), 3)
    ) / 3
    gain = CONFIDENCE_GAIN * committed * _ratio(sig.words, 60) ** 0.5
    penalty = 1.5 * sig.rate(len(sig.hedges)) + 0.5 * sig.rate(len(sig.fillers))
    return NEUTRAL_CONFIDENCE + gain - penalty - 3 * len(sig.give_ups)


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
    for name in FOCUSED:
        values[name] *= _ratio(ev.focus, FOCUS_FULL.get(ev.question_type, 0.3))
    for name, keeps in MISTAKE_KEEPS.items():
        values[name] *= keeps**ev.mistakes
    if ev.mistakes >= 1:
        values["technical"] = min(values["technical"], CAP_WITH_MISTAKE)
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
