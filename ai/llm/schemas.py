"""What the model must return, as pydantic models: the JSON schemas sent and the validators.

A reply that is not JSON, misses a field, or has a value out of range raises `InvalidOutput`,
and the caller falls back to the local engine for that step.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Score = Annotated[float, Field(ge=0, le=10)]


QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=10, max_length=600)
]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=40, max_length=3000)]
FollowUpType = Literal["probe", "clarify", "example", "challenge"]
RedFlag = Literal["off_topic", "dont_know", "empty", "too_short", "inaccurate", "contradictory"]


class InvalidOutput(ValueError):
    """The model's reply could not be used; the message says why, in a few words."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyPointVerdict(Strict):
    key_point: Phrase
    covered: bool
    evidence: Text


class RedFlagVerdict(Strict):
    red_flag: Phrase
    made: bool
    evidence: Text


class EvaluationOut(Strict):
    technical: Score
    depth: Score
    experience: Score
    clarity: Score
    confidence: Score
    key_points: list[KeyPointVerdict]
    # The question's red flags, in the order given: whether the answer makes each, quoted.
    red_flag_verdicts: list[RedFlagVerdict]
    strengths: list[Phrase]
    missing: list[Phrase]
    red_flags: list[RedFlag]
    seniority_signals: list[Phrase]
    followup_needed: bool
    followup_type: FollowUpType | Literal[""]
    followup_reason: Text


class QuestionOut(Strict):
    # First, so that it is written (and streamed to the student) first.
    question: QuestionText
    reference_answer: LongText
    key_points: Annotated[list[Phrase], Field(min_length=3, max_length=6)]
    red_flags: Annotated[list[Phrase], Field(min_length=2, max_length=5)]


class FollowUpOut(Strict):
    followup_type: FollowUpType
    question: QuestionText


class SummaryOut(Strict):
    summary: LongText


class AdviceOut(Strict):
    reply: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1200)]
    kind: Literal["answer", "unknown", "off_topic"]
    sources: list[Annotated[str, StringConstraints(max_length=80)]]


Out = TypeVar("Out", bound=Strict)


def response_format(model: type[Strict]) -> dict[str, Any]:
    """The `response_format` that asks for JSON matching the model's schema."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": model.__name__.removesuffix("Out").lower(),
            "strict": True,
            "schema": model.model_json_schema(),
        },
    }


def parse(model: type[Out], content: str | None) -> Out:
    """Validate the model's reply, or raise InvalidOutput saying what was wrong with it."""
    if not content or not content.strip():
        raise InvalidOutput("empty reply")
    try:
        data = json.loads(content)
    except ValueError as error:
        raise InvalidOutput("reply was not JSON") from error
    if not isinstance(data, dict):
        raise InvalidOutput("reply was not a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "reply"
        raise InvalidOutput(f"{where}: {first['msg']}") from error
