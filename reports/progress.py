"""A student's progress across interviews: scores over time, mastery per skill, what to study.

Only finished interviews count (those with a report the student may read: feedback a coach still
holds is left out). The arithmetic is pure (plain values in, plain values out); `progress_of`
reads the rows once and hands them to it.

Mastery of a skill is an estimate of the score (0-10) the student's answers to that skill's
questions earn, with its uncertainty:

- the estimate shrinks the mean of the answers towards the middle of the scale as if there were
  PRIOR_ANSWERS more answers scoring PRIOR_SCORE, so one good answer is not mastery;
- the likely range shown is 1.96 standard errors either side, with the spread of the answers
  floored at SPREAD_FLOOR (a few answers that happen to agree are not certainty);
- the level needs at least MIN_ANSWERS answers and is read from a cautious score, the estimate
  less 0.84 standard errors (what the student scores at least four times in five): "Strong" from
  6.5 (strong answers score about 7.5 to 8 with the local engine), "Solid" from 5, "Developing"
  from 3.5, else "Needs work". Inconsistent answers widen the range and lower the level.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet

from accounts.models import User
from ai.rubric import LABELS
from interviews.models import Answer, Evaluation, Interview, Turn
from interviews.state import State
from questionbank.models import Skill

PRIOR_SCORE, PRIOR_ANSWERS = 5.0, 2
SPREAD_FLOOR = 1.5
MIN_ANSWERS = 3
LEVELS = ((6.5, "Strong"), (5.0, "Solid"), (3.5, "Developing"), (-math.inf, "Needs work"))
RANGE_Z, LEVEL_Z = 1.96, 0.84
# A change smaller than this over the last interviews is "steady".
TREND_STEP = 0.5
TREND_WINDOW = 4
# A key point missed in this many answers, in at least two interviews, is a habit.
MISSED_AT = 2
REPORTED_STATES = (State.FINISHED,)


@dataclass(frozen=True)
class Point:
    """One interview's score on a skill or dimension."""

    interview: str
    at: datetime
    score: float


@dataclass(frozen=True)
class Mastery:
    """How well a student's answers on one skill go, and how sure that is."""

    skill_id: int
    name: str
    answers: int
    estimate: float
    margin: float
    level: str

    @property
    def low(self) -> float:
        return max(0.0, self.estimate - self.margin)

    @property
    def high(self) -> float:
        return min(10.0, self.estimate + self.margin)


@dataclass(frozen=True)
class Missed:
    """A key point the student keeps leaving out, with an answer that left it out."""

    key_point: str
    answers: int
    interviews: int
    question: str
    quote: str


@dataclass
class Progress:
    """Everything the progress page and `GET /api/v1/progress/` show."""

    interviews: int = 0
    skills: dict[str, list[Point]] = field(default_factory=dict)
    dimensions: dict[str, list[Point]] = field(default_factory=dict)
    trends: list[str] = field(default_factory=list)
    mastery: list[Mastery] = field(default_factory=list)
    missed: list[Missed] = field(default_factory=list)


def mastery(skill_id: int, name: str, scores: Sequence[float]) -> Mastery:
    """Estimate mastery of a skill from its answers' scores (see the module docstring)."""
    n = len(scores)
    estimate = (sum(scores) + PRIOR_SCORE * PRIOR_ANSWERS) / (n + PRIOR_ANSWERS)
    mean = sum(scores) / n if n else PRIOR_SCORE
    spread = math.sqrt(sum((s - mean) ** 2 for s in scores) / n) if n else 0.0
    error = max(spread, SPREAD_FLOOR) / math.sqrt(n + PRIOR_ANSWERS)
    if n < MIN_ANSWERS:
        level = "Too few answers to tell"
    else:
        level = next(label for bar, label in LEVELS if estimate - LEVEL_Z * error >= bar)
    margin = RANGE_Z * error
    return Mastery(skill_id, name, n, round(estimate, 1), round(margin, 1), level)


def trend(name: str, points: Sequence[Point]) -> str | None:
    """Describe the change over the last interviews in words, or None with fewer than two."""
    recent = list(points)[-TREND_WINDOW:]
    if len(recent) < 2:
        return None
    first, last = recent[0].score, recent[-1].score
    span = f"over your last {len(recent)} interviews"
    if last - first >= TREND_STEP:
        return f"{name}: up from {first:.1f} to {last:.1f} {span}"
    if first - last >= TREND_STEP:
        return f"{name}: down from {first:.1f} to {last:.1f} {span}"
    return f"{name}: steady around {sum(p.score for p in recent) / len(recent):.1f} {span}"


def missed_points(rows: Iterable[dict[str, Any]]) -> list[Missed]:
    """Return the key points missed in MISSED_AT answers or more across two interviews or more,
    most often missed first; rows hold key_points (an evaluation's), interview, question, answer."""
    counts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for point in row["key_points"] or ():
            if not point.get("covered"):
                counts[point["key_point"]].append(row)
    found = []
    for key_point, where in counts.items():
        interviews = {r["interview"] for r in where}
        if len(where) >= MISSED_AT and len(interviews) >= 2:
            latest = where[-1]
            found.append(
                Missed(
                    key_point,
                    len(where),
                    len(interviews),
                    latest["question"],
                    _quote(latest["answer"]),
                )
            )
    return sorted(found, key=lambda m: (-m.answers, m.key_point))


def _quote(text: str, words: int = 30) -> str:
    said = text.split()
    return " ".join(said[:words]) + ("…" if len(said) > words else "")


def _finished(user: User) -> QuerySet[Interview]:
    return Interview.objects.filter(
        user=user, state__in=REPORTED_STATES, feedback_held=False, report__isnull=False
    )


def progress_of(user: User) -> Progress:
    """Return the student's progress over their finished interviews, oldest first."""
    result = Progress()
    reports = list(
        _finished(user)
        .order_by("completed_at", "created_at")
        .values("pk", "completed_at", "created_at", "report__skills", "report__dimensions")
    )
    result.interviews = len(reports)
    for row in reports:
        at = row["completed_at"] or row["created_at"]
        for skill in row["report__skills"] or ():
            result.skills.setdefault(skill["name"], []).append(
                Point(str(row["pk"]), at, float(skill["score"]))
            )
        for name, label in LABELS.items():
            if name in (row["report__dimensions"] or {}):
                result.dimensions.setdefault(label, []).append(
                    Point(str(row["pk"]), at, float(row["report__dimensions"][name]))
                )
    for name, points in sorted(result.skills.items()):
        described = trend(name, points)
        if described:
            result.trends.append(described)
    answers = (
        Evaluation.objects.filter(
            answer__interview__in=_finished(user),
            answer__kind__in=(Answer.Kind.TEXT, Answer.Kind.AUDIO),
            answer__turn__skill__isnull=False,
        )
        .order_by("answer__interview__completed_at", "answer__turn__position")
        .values(
            "overall",
            "key_points",
            skill=F("answer__turn__skill_id"),
            interview=F("answer__interview_id"),
            question=F("answer__turn__text"),
            kind=F("answer__turn__kind"),
            answer_text=F("answer__text"),
        )
    )
    by_skill: dict[int, list[float]] = defaultdict(list)
    core_rows = []
    for said in answers:
        by_skill[said["skill"]].append(float(said["overall"]))
        if said["kind"] == Turn.Kind.CORE:
            core_rows.append({**said, "answer": said["answer_text"]})
    names = dict(Skill.objects.filter(pk__in=list(by_skill)).values_list("pk", "name"))
    result.mastery = sorted(
        (mastery(skill, names.get(skill, "?"), scores) for skill, scores in by_skill.items()),
        key=lambda m: (m.estimate, m.name),
    )
    result.missed = missed_points(core_rows)
    return result


def study_plan(progress: Progress, limit: int = 3) -> list[Mastery]:
    """Return the weakest skills to practise next (lowest estimate first)."""
    return progress.mastery[:limit]


def as_data(progress: Progress) -> dict[str, Any]:
    """Return the progress as the API's JSON."""

    def series(points: dict[str, list[Point]]) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "points": [
                    {"interview": p.interview, "at": p.at.isoformat(), "score": p.score}
                    for p in values
                ],
            }
            for name, values in points.items()
        ]

    return {
        "interviews": progress.interviews,
        "skills": series(progress.skills),
        "dimensions": series(progress.dimensions),
        "trends": progress.trends,
        "mastery": [
            {
                "skill": m.skill_id,
                "name": m.name,
                "answers": m.answers,
                "estimate": m.estimate,
                "low": m.low,
                "high": m.high,
                "level": m.level,
            }
            for m in progress.mastery
        ],
        "missed_key_points": [
            {
                "key_point": m.key_point,
                "answers": m.answers,
                "interviews": m.interviews,
                "question": m.question,
                "quote": m.quote,
            }
            for m in progress.missed
        ],
    }
