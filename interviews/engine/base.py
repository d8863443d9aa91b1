"""What every AI engine does, whichever implementation (local or provider) does it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from interviews.engine.rubric import Scores


@dataclass(frozen=True)
class AnswerToEvaluate:
    """One answer and what it is judged against."""

    question: str  # what was asked (a follow-up's own wording for a follow-up)
    reference: str  # the core question's reference answer
    key_points: Sequence[str]
    answer: str
    question_type: str
    skipped: bool = False


@dataclass(frozen=True)
class EvaluationResult:
    scores: Scores
    key_points: list[dict[str, Any]]
    strengths: list[str]
    missing: list[str]
    red_flags: list[str]
    seniority_signals: list[str]
    signals: dict[str, Any] = field(default_factory=dict)
    followup_needed: bool = False
    followup_type: str = ""
    followup_reason: str = ""
    engine: str = "local"


class Engine(Protocol):
    name: str

    def evaluate(self, item: AnswerToEvaluate) -> EvaluationResult:
        """Return the rubric's verdict on one answer."""
        ...

    def write_followup(
        self,
        followup_type: str,
        *,
        prompts: Sequence[str],
        used: Sequence[str],
        missing: Sequence[str],
    ) -> str:
        """Return the follow-up question to ask."""
        ...
