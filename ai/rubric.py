"""The five-dimension rubric: names, weights, anchors, and the weighted overall score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

WEIGHTS = {
    "technical": 0.30,
    "depth": 0.25,
    "experience": 0.20,
    "clarity": 0.15,
    "confidence": 0.10,
}
LABELS = {
    "technical": "Technical correctness",
    "depth": "Depth of understanding",
    "experience": "Practical experience",
    "clarity": "Communication clarity",
    "confidence": "Confidence",
}
# What a score means on each dimension: (0-3, 4-6, 7-10).
ANCHORS: dict[str, tuple[str, str, str]] = {
    "technical": (
        "wrong or misses the point",
        "partly right, key points missing",
        "correct and covers the key points",
    ),
    "depth": (
        "names things without explaining",
        "explains how but rarely why",
        "reasons, trade-offs and consequences",
    ),
    "experience": (
        "generic, nothing concrete",
        "some specifics",
        "first-hand examples with numbers, tools and outcomes",
    ),
    "clarity": (
        "hard to follow",
        "understandable but unstructured",
        "well structured (for behavioural questions: situation, task, action, result)",
    ),
    "confidence": (
        "heavy hedging or gives up",
        "some hedging",
        "clear, committed statements",
    ),
}


@dataclass(frozen=True)
class Scores:
    """One answer's scores, each 0-10."""

    technical: float
    depth: float
    experience: float
    clarity: float
    confidence: float

    def overall(self) -> float:
        """Return the weighted overall score, 0-10."""
        return round(sum(getattr(self, name) * weight for name, weight in WEIGHTS.items()), 2)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def question_score(overalls: Sequence[float]) -> float:
    """Return a core question's score from its answer's overall and its follow-ups' overalls."""
    if not overalls:
        return 0.0
    core, followups = overalls[0], overalls[1:]
    return core if not followups else 0.6 * core + 0.4 * sum(followups) / len(followups)
