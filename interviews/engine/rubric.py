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
# What a score means on each dimension, shared by the local engine's feedback and the LLM prompt.
ANCHORS = {
    "technical": (
        "0-3: wrong or misses the point; 4-6: partly right, key points missing; "
        "7-10: correct and covers the key points"
    ),
    "depth": (
        "0-3: names things without explaining; 4-6: explains how but rarely why; "
        "7-10: reasons, trade-offs and consequences"
    ),
    "experience": (
        "0-3: generic, nothing concrete; 4-6: some specifics; "
        "7-10: first-hand examples with numbers, tools and outcomes"
    ),
    "clarity": (
        "0-3: hard to follow; 4-6: understandable but unstructured; "
        "7-10: well structured (for behavioural questions: situation, task, action, result)"
    ),
    "confidence": (
        "0-3: heavy hedging or gives up; 4-6: some hedging; 7-10: clear, committed statements"
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
