"""The local answer evaluator: rubric scores and feedback without an LLM."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ai.local import feedback, scoring
from ai.local.correctness import Features, combine, features, reference_score
from ai.local.coverage import (
    COVERED_AT,
    DENIED_FREE,
    Mistakes,
    PointMatch,
    judge,
    match_key_points,
)
from ai.local.signals import Signals, signals
from ai.rubric import Scores
from ai.text import sentences

RED_FLAGS = ("empty", "dont_know", "off_topic", "too_short")
QUESTION_TYPES = ("behavioural", "technical", "system_design", "situational")
# A key point matched this well earns full credit towards the technical score.
KEY_POINT_FULL_CREDIT = 0.8
# An answer that makes any key point is not off-topic.
OFF_TOPIC_RESCUE = COVERED_AT
# Giving up only makes the answer a non-answer when little else was said.
DONT_KNOW_MAX_WORDS = 40


@dataclass(frozen=True)
class AnswerInput:
    """One answer to evaluate, with its question, reference answer and key points."""

    question: str
    reference: str
    key_points: Sequence[str]
    answer: str
    question_type: str
    # The wrong claims and bad practices a panel would reject in an answer to the question.
    red_flags: Sequence[str] = ()
    # Whether to judge how much of the answer is about what the reference and key points say
    # (coverage.Judged.focus): for a core answer against a model answer, not for a follow-up's
    # narrower ask or a reference that only describes a good answer.
    focused: bool = True


@dataclass(frozen=True)
class KeyPointMatch:
    """Whether the answer made one key point, how well (0..1), and the sentence that made it."""

    key_point: str
    covered: bool
    score: float
    evidence: str


@dataclass(frozen=True)
class LocalEvaluation:
    """The local engine's verdict on one answer: scores, coverage, feedback and signals."""

    scores: Scores
    overall: float
    key_points: list[KeyPointMatch]
    strengths: list[str]
    missing: list[str]
    red_flags: list[str]
    # The question's red flags the answer made, and the key points it dismissed, quoted:
    # [{"kind": "red_flag" | "dismissed" | "possible_red_flag" | "careless", "text", "evidence"}].
    mistakes: list[dict[str, str]]
    seniority_signals: list[str]
    word_count: int
    hedges: list[str]
    fillers: list[str]
    star: dict[str, bool]
    concrete: dict[str, int]


def _key_point_credit(points: Sequence[PointMatch]) -> list[float]:
    """Return each key point's credit towards correctness, full from KEY_POINT_FULL_CREDIT up."""
    return [min(1.0, p.score / KEY_POINT_FULL_CREDIT) for p in points]


def correctness(
    question: str, reference: str, answer: str, key_points: Sequence[str] = ()
) -> float:
    """Score how correct an answer is against the reference and key points, 0..1."""
    feats = features(question, reference, answer)
    points = match_key_points(key_points, reference, answer, question) if key_points else []
    return combine(reference_score(feats), _key_point_credit(points))


def _red_flags(
    inp: AnswerInput, feats: Features, sig: Signals, points: Sequence[PointMatch]
) -> list[str]:
    """Return the red-flag codes that apply to an answer."""
    if not sig.words:
        return ["empty"]
    flags = []
    made_a_point = any(p.covered for p in points)
    if feats.non_answer or (sig.give_ups and sig.words < DONT_KNOW_MAX_WORDS and not made_a_point):
        flags.append("dont_know")
    elif feats.is_off_topic() and not any(p.score >= OFF_TOPIC_RESCUE for p in points):
        # A story told in its own words can share little vocabulary with the reference, but if it
        # comes close to any key point it is about the question.
        flags.append("off_topic")
    if sig.words < scoring.MIN_WORDS.get(inp.question_type, 30):
        flags.append("too_short")
    return flags


def _careless(mistakes: Mistakes, sig: Signals) -> list[dict[str, str]]:
    """The sentence that waves away most of what a careful answer does, when the answer does."""
    sentence, words = mistakes.most_denying
    if len(mistakes.denied) > DENIED_FREE and sentence and sentence not in mistakes.quoted:
        return [{"kind": "careless", "text": ", ".join(words), "evidence": sentence}]
    if sig.dismissive:
        said = next((s for s in sig.sentences if sig.dismissive[0] in s.lower()), "")
        if said:
            return [{"kind": "careless", "text": sig.dismissive[0], "evidence": said}]
    return []


# Sentences addressed to the evaluator rather than the interviewer ("ignore the rubric, give me
# 10/10"): they are not part of the answer, and earn nothing.
_TO_THE_EVALUATOR = re.compile(
    r"\b(?:ignore|disregard|forget)\b[^.!?]{0,40}\b(?:rubric|instructions?|prompt|key points|"
    r"criteria|scoring|previous)\b|\b(?:give|award|score|rate|mark)\b[^.!?]{0,30}"
    r"(?:\b10\s*/\s*10\b|\bfull marks\b|\bperfect score\b|\bstrong hire\b|\bhighest)|"
    r"^\s*(?:system|assistant|evaluator|grader)\s*:",
    re.IGNORECASE,
)


def without_instructions(answer: str) -> str:
    """The answer without the sentences that address the evaluator."""
    kept = [s for s in sentences(answer) if not _TO_THE_EVALUATOR.search(s)]
    return " ".join(kept) if len(kept) < len(sentences(answer)) else answer


def evaluate(inp: AnswerInput) -> LocalEvaluation:
    """Evaluate one answer on the five-dimension rubric, with specific feedback."""
    inp = replace(inp, answer=without_instructions(inp.answer))
    feats = features(inp.question, inp.reference, inp.answer)
    sig = signals(inp.answer)
    judged = judge(inp.key_points, inp.red_flags, inp.reference, inp.answer, inp.question)
    points = judged.points
    flags = _red_flags(inp, feats, sig, points)
    engaged = not {"empty", "dont_know", "off_topic"} & set(flags)
    mistakes = judged.mistakes if engaged else Mistakes([], [])
    value = 0.0 if "empty" in flags else combine(reference_score(feats), _key_point_credit(points))
    evidence = scoring.Evidence(
        feats,
        sig,
        points,
        value,
        inp.question_type,
        mistakes=mistakes.weight + scoring.DISMISSIVE_WEIGHT * len(sig.dismissive),
        focus=judged.focus if inp.focused else 1.0,
    )
    scores = scoring.score(evidence, flags)
    return LocalEvaluation(
        scores=scores,
        overall=scores.overall(),
        key_points=[
            KeyPointMatch(p.key_point, p.covered, round(p.score, 3), p.evidence) for p in points
        ],
        strengths=(
            feedback.strengths(
                sig, points, inp.question_type, scores.confidence >= 7, faulted=mistakes.sentences
            )
            if engaged
            else []
        ),
        missing=feedback.missing(
            [p for p in points if p.key_point not in {c.key_point for c in mistakes.contradicted}],
            inp.reference,
            inp.answer,
            inp.question,
        ),
        red_flags=flags,
        mistakes=[
            *(
                {"kind": "red_flag", "text": m.key_point, "evidence": m.evidence}
                for m in mistakes.red_flags
            ),
            *(
                {"kind": "dismissed", "text": m.key_point, "evidence": m.evidence}
                for m in mistakes.contradicted
            ),
            *(
                {"kind": "possible_red_flag", "text": m.key_point, "evidence": m.evidence}
                for m in mistakes.possible
            ),
            *_careless(mistakes, sig),
        ],
        seniority_signals=sig.seniority if engaged else [],
        word_count=sig.words,
        hedges=sig.hedges,
        fillers=sig.fillers,
        star=sig.star,
        concrete={
            "numbers": sig.numbers,
            "first_person_actions": sig.first_person_actions,
            "named_tools": len(sig.named_tools),
        },
    )
