"""Aggregate an interview's evaluations into a report: pure values in, pure values out."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from ai.rubric import ANCHORS, LABELS, WEIGHTS, question_score
from voice import delivery

VERDICTS = ((80, "strong_hire"), (65, "hire"), (50, "borderline"), (0, "needs_improvement"))
WEAK_SKILL = 6.0  # a skill scored below this (0-10) goes on the study roadmap
GOOD_ANSWER = 6.0
MAX_STRENGTHS, MAX_IMPROVEMENTS = 5, 6
HEDGES_WORTH_MENTIONING = 4  # across the whole interview


@dataclass(frozen=True)
class TurnRecord:
    """One asked question with its answer and evaluation, as the builder needs it."""

    position: int
    number: int
    kind: str
    followup_type: str
    text: str
    skill_id: int | None
    skill_name: str
    answer: str | None  # None: never answered (the interview ended first)
    skipped: bool
    evaluation: dict[str, Any] | None = None
    spoken: bool = False
    transcript_source: str = "typed"
    delivery: dict[str, Any] | None = None  # a spoken answer's, as interviews.delivery measures
    step: str = ""  # a coding interview's step
    code: dict[str, Any] | None = None  # the Implement step's code and its checked results
    problem: dict[str, Any] | None = None  # the coding problem, with its first step


@dataclass
class ReportData:
    overall: int
    dimensions: dict[str, float]
    skills: list[dict[str, Any]]
    strengths: list[dict[str, str]]
    improvements: list[dict[str, str]]
    verdict: str
    summary: str
    weak_skill_ids: list[int]
    questions: list[dict[str, Any]] = field(default_factory=list)
    # How the spoken answers sounded, across the interview; empty when none was spoken.
    delivery: dict[str, Any] = field(default_factory=dict)


def verdict_for(overall: int) -> str:
    """Return the readiness verdict for an overall score 0-100."""
    return next(code for floor, code in VERDICTS if overall >= floor)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _evaluation(turn: TurnRecord) -> dict[str, Any]:
    assert turn.evaluation is not None
    return turn.evaluation


def build(turns: Sequence[TurnRecord], *, track: str, level: str, total: int) -> ReportData:
    """Return the report of an interview from its turns."""
    answered = [t for t in turns if t.answer is not None and t.evaluation is not None]
    groups: dict[int, list[TurnRecord]] = defaultdict(list)
    for turn in answered:
        groups[turn.number].append(turn)
    # A core question's score, with its follow-ups.
    scores = {
        number: question_score([_evaluation(t)["overall"] for t in group])
        for number, group in groups.items()
    }
    overall = round(10 * mean(scores.values())) if scores else 0
    dimensions = _dimensions(answered)
    skills = _skills(groups, scores)
    covered = {number: _covered(group) for number, group in groups.items()}
    return ReportData(
        overall=overall,
        dimensions=dimensions,
        skills=skills,
        strengths=_strengths(answered),
        improvements=_improvements(answered, dimensions, covered),
        verdict=verdict_for(overall),
        summary=_summary(
            answered=len(groups),
            skipped=sum(1 for t in answered if t.skipped and t.kind == "core"),
            total=total,
            track=track,
            level=level,
            overall=overall,
            dimensions=dimensions,
        ),
        weak_skill_ids=[s["skill_id"] for s in skills if s["score"] < WEAK_SKILL],
        questions=[
            _question_entry(t, covered.get(t.number, set()), scores.get(t.number)) for t in turns
        ],
        delivery=delivery.overall([t.delivery for t in answered if t.delivery]),
    )


def _dimensions(answered: list[TurnRecord]) -> dict[str, float]:
    """Each rubric dimension's mean over the answers."""
    return {
        name: round(mean(_evaluation(t)[name] for t in answered), 1) if answered else 0.0
        for name in WEIGHTS
    }


def _skills(groups: dict[int, list[TurnRecord]], scores: dict[int, float]) -> list[dict[str, Any]]:
    """Each skill's mean score over its core questions, by name."""
    by_skill: dict[int, list[float]] = defaultdict(list)
    skill_names: dict[int, str] = {}
    for number, group in groups.items():
        core = group[0]
        if core.skill_id is not None:
            by_skill[core.skill_id].append(scores[number])
            skill_names[core.skill_id] = core.skill_name
    return sorted(
        (
            {
                "skill_id": skill_id,
                "name": skill_names[skill_id],
                "score": round(mean(values), 1),
                "questions": len(values),
            }
            for skill_id, values in by_skill.items()
        ),
        key=lambda s: str(s["name"]),
    )


def _strengths(answered: list[TurnRecord]) -> list[dict[str, str]]:
    """What the best answers did well, each said once."""
    strengths: list[dict[str, str]] = []
    for turn in sorted(answered, key=lambda t: -_evaluation(t)["overall"]):
        if _evaluation(turn)["overall"] < GOOD_ANSWER:
            break
        for text in _evaluation(turn)["strengths"][:2]:
            if len(strengths) < MAX_STRENGTHS and all(s["text"] != text for s in strengths):
                strengths.append({"text": text, "question": _short(turn.text)})
    return strengths


def _covered(group: Sequence[TurnRecord]) -> set[str]:
    """The key points made by any answer to a core question or its follow-ups."""
    return {
        point["key_point"]
        for turn in group
        for point in (turn.evaluation or {}).get("key_points", [])
        if point.get("covered")
    }


def _still_missing(evaluation: dict[str, Any], covered: set[str]) -> list[str]:
    """The evaluation's missed points, less those another answer to the question made."""
    missing = list(evaluation.get("missing", []))
    uncovered = [p["key_point"] for p in evaluation.get("key_points", []) if not p.get("covered")]
    if len(uncovered) != len(missing):
        return missing  # not one line per key point (a provider's own words): left as written
    return [line for line, point in zip(missing, uncovered, strict=True) if point not in covered]


MISTAKE_WORDS = {
    "red_flag": "A panel would reject this: {text}.",
    "dismissed": "You dismissed what a strong answer does: {text}.",
    "careless": "You waved away what a careful answer does ({text}).",
    "possible_red_flag": "A panel may read this as a mistake: {text}.",
}


def _mistakes(answered: list[TurnRecord]) -> list[dict[str, str]]:
    """Each mistake an answer made (a red flag, a dismissed step), quoting it."""
    found = []
    for turn in answered:
        for mistake in _evaluation(turn).get("mistakes", []):
            words = MISTAKE_WORDS.get(mistake.get("kind", ""), MISTAKE_WORDS["red_flag"])
            text = words.format(text=mistake["text"][:1].lower() + mistake["text"][1:])
            said = mistake.get("evidence", "")
            quoted = f' You said: "{_short(said, 160)}"' if said else ""
            found.append({"text": text + quoted, "question": _short(turn.text)})
    return found


def _improvements(
    answered: list[TurnRecord], dimensions: dict[str, float], covered: dict[int, set[str]]
) -> list[dict[str, str]]:
    """The mistakes made, the weakest dimensions, the key points no answer to a question made,
    and hedging."""
    improvements: list[dict[str, str]] = _mistakes(answered)[:MAX_IMPROVEMENTS]
    weak_dimensions = 0
    for name, score in sorted(dimensions.items(), key=lambda item: item[1]):
        if score < GOOD_ANSWER and weak_dimensions < 2:
            weak_dimensions += 1
            improvements.append(
                {
                    "text": f"{LABELS[name]}: {score}/10. What good looks like: "
                    f"{ANCHORS[name][2]}.",
                    "question": "",
                }
            )
    for turn in sorted(answered, key=lambda t: _evaluation(t)["overall"]):
        if turn.skipped:
            continue
        for missed in _still_missing(_evaluation(turn), covered.get(turn.number, set()))[:2]:
            # A follow-up is judged on the same key points: say each missed one once.
            listed = any(item["text"] == missed for item in improvements)
            if len(improvements) < MAX_IMPROVEMENTS and not listed:
                improvements.append({"text": missed, "question": _short(turn.text)})
    hedges = Counter(
        h.lower() for t in answered for h in _evaluation(t).get("signals", {}).get("hedges", [])
    )
    # Hedging advice comes on top of the key points: it concerns every answer, not one.
    if sum(hedges.values()) >= HEDGES_WORTH_MENTIONING:
        common = ", ".join(f"“{h}”" for h, _ in hedges.most_common(3))
        improvements.append(
            {
                "text": f"You hedged {sum(hedges.values())} times ({common}). State your answer "
                "first, then qualify it once.",
                "question": "",
            }
        )
    return improvements


def _summary(
    *,
    answered: int,
    skipped: int,
    total: int,
    track: str,
    level: str,
    overall: int,
    dimensions: dict[str, float],
) -> str:
    if not answered:
        return (
            "You ended the interview before answering a question, so there is nothing to score yet."
        )
    best = max(dimensions, key=lambda name: dimensions[name])
    worst = min(dimensions, key=lambda name: dimensions[name])
    parts = [
        f"You took {answered} of {total} questions in a {level} {track} interview"
        + (f", skipping {skipped}" if skipped else "")
        + f", and scored {overall}/100."
    ]
    if dimensions[best] - dimensions[worst] >= 1:
        parts.append(
            f"Your strongest side was {LABELS[best].lower()} ({dimensions[best]}/10); "
            f"work next on {LABELS[worst].lower()} ({dimensions[worst]}/10)."
        )
    return " ".join(parts)


def _question_entry(
    turn: TurnRecord, covered: set[str], question_score: float | None
) -> dict[str, Any]:
    """One asked turn for the report; a core question carries its score with its follow-ups
    (the score the rest of the report quotes for "question N")."""
    evaluation = turn.evaluation or {}
    return {
        "position": turn.position,
        "number": turn.number,
        "kind": turn.kind,
        "followup_type": turn.followup_type,
        "text": turn.text,
        "skill": turn.skill_name,
        "answer": turn.answer,
        "skipped": turn.skipped,
        "spoken": turn.spoken,
        "transcript_source": turn.transcript_source,
        "delivery": turn.delivery or None,
        "scores": {name: evaluation[name] for name in (*WEIGHTS, "overall")}
        if evaluation
        else None,
        "strengths": evaluation.get("strengths", []),
        "missing": _still_missing(evaluation, covered) if evaluation else [],
        "red_flags": evaluation.get("red_flags", []),
        "mistakes": evaluation.get("mistakes", []),
        "question_score": round(question_score, 1)
        if question_score is not None and turn.kind == "core"
        else None,
        "step": turn.step,
        "problem": turn.problem,
        "code": _code(turn.code) if turn.code else None,
    }


def _code(code: dict[str, Any]) -> dict[str, Any]:
    """The code and how it did on each test; a hidden test's output stays unshown."""
    tests = [
        {
            "id": result["id"],
            "number": result["id"] + 1,
            "hidden": result["hidden"],
            "passed": result["passed"],
            "error": result["error"],
            "ms": result["ms"],
            "output": None if result["hidden"] else result["output"],
        }
        for result in code["results"]
    ]
    return {
        "language": code["language"],
        "source": code["source"],
        "passed": sum(1 for t in tests if t["passed"]),
        "total": len(tests),
        "hidden_failed": [t["number"] for t in tests if t["hidden"] and not t["passed"]],
        "tests": tests,
    }
