"""Cohort analytics: where a cohort's students stand and what trips them up.

Only finished interviews the students took as members of the centre count. Every figure says how
many students (and answers) it rests on; one resting on fewer than MIN_STUDENTS students is "not
enough data" rather than a number that one student decides. The rows are read in a fixed number
of queries whatever the size of the cohort, then grouped in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils import timezone

from accounts.models import Cohort, User
from interviews.assignments import roster
from interviews.models import Answer, Assignment, Evaluation, Interview, Turn
from interviews.state import State
from reports.models import ScoreTally
from reports.progress import Mastery, mastery

MIN_STUDENTS = 3
WEEKS = 8
ACTIVE_DAYS = 14
SCORE_BUCKETS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))
TOP = 10


@dataclass(frozen=True)
class MissedPoint:
    """A key point the cohort leaves out, and how many students left it out."""

    key_point: str
    question: str
    students: int
    answers: int


@dataclass(frozen=True)
class HardQuestion:
    """A question the cohort answers poorly."""

    question: str
    mean: float
    students: int
    answers: int


@dataclass
class Analytics:
    """Everything the cohort's analytics page and API show."""

    students: list[User] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    # student id -> skill name -> mastery
    heat: dict[int, dict[str, Mastery]] = field(default_factory=dict)
    missed: list[MissedPoint] = field(default_factory=list)
    hard: list[HardQuestion] = field(default_factory=list)
    active: int = 0
    weekly: list[tuple[datetime.date, int]] = field(default_factory=list)
    completion: list[dict[str, Any]] = field(default_factory=list)
    # month -> bucket label -> count of reports
    scores: dict[str, dict[str, int]] = field(default_factory=dict)
    answers: int = 0

    @property
    def enough(self) -> bool:
        return len(self.students) >= MIN_STUDENTS


def cohort_analytics(cohort: Cohort, *, now: datetime.datetime | None = None) -> Analytics:
    """Return the cohort's analytics (see the module docstring)."""
    now = now or timezone.now()
    result = Analytics(students=list(cohort.students.order_by("name", "email")))
    ids = [s.pk for s in result.students]
    finished = Interview.objects.filter(
        user_id__in=ids, organization_id=cohort.organization_id, state=State.FINISHED
    )
    rows = list(
        Evaluation.objects.filter(
            answer__interview__in=finished,
            answer__kind__in=(Answer.Kind.TEXT, Answer.Kind.AUDIO),
        )
        .order_by("answer__interview__completed_at", "answer__turn__position")
        .values(
            "overall",
            "key_points",
            student=F("answer__interview__user_id"),
            skill=F("answer__turn__skill__name"),
            skill_id=F("answer__turn__skill_id"),
            question=F("answer__turn__question__text"),
            kind=F("answer__turn__kind"),
        )
    )
    result.answers = len(rows)
    _heat(result, rows)
    _missed(result, rows)
    _participation(result, finished, cohort, now)
    _scores(result, finished, cohort)
    return result


def _heat(result: Analytics, rows: Sequence[Mapping[str, Any]]) -> None:
    scores: dict[tuple[int, str], list[float]] = defaultdict(list)
    ids: dict[str, int] = {}
    for row in rows:
        if row["skill"]:
            scores[(row["student"], row["skill"])].append(float(row["overall"]))
            ids[row["skill"]] = row["skill_id"]
    result.skills = sorted({skill for _, skill in scores})
    for (student, skill), values in scores.items():
        result.heat.setdefault(student, {})[skill] = mastery(ids[skill], skill, values)


def _missed(result: Analytics, rows: Sequence[Mapping[str, Any]]) -> None:
    missed: dict[tuple[str, str], set[int]] = defaultdict(set)
    missed_answers: dict[tuple[str, str], int] = defaultdict(int)
    by_question: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        if row["kind"] != Turn.Kind.CORE or not row["question"]:
            continue
        by_question[row["question"]].append((row["student"], float(row["overall"])))
        for point in row["key_points"] or ():
            if not point.get("covered"):
                key = (point["key_point"], row["question"])
                missed[key].add(row["student"])
                missed_answers[key] += 1
    result.missed = sorted(
        (
            MissedPoint(point, question, len(students), missed_answers[(point, question)])
            for (point, question), students in missed.items()
        ),
        key=lambda m: (-m.students, -m.answers, m.key_point),
    )[:TOP]
    hard = []
    for question, answers in by_question.items():
        students = {s for s, _ in answers}
        mean = sum(score for _, score in answers) / len(answers)
        hard.append(HardQuestion(question, round(mean, 1), len(students), len(answers)))
    result.hard = sorted(hard, key=lambda h: (h.students < MIN_STUDENTS, h.mean))[:TOP]


def _participation(
    result: Analytics, finished: Any, cohort: Cohort, now: datetime.datetime
) -> None:
    done = list(finished.values_list("user_id", "completed_at"))
    since = now - datetime.timedelta(days=ACTIVE_DAYS)
    result.active = len({user for user, at in done if at and at >= since})
    monday = (now - datetime.timedelta(days=now.weekday())).date()
    weeks = [monday - datetime.timedelta(weeks=n) for n in reversed(range(WEEKS))]
    counts = dict.fromkeys(weeks, 0)
    for _, at in done:
        if at:
            day = timezone.localtime(at).date()
            week = day - datetime.timedelta(days=day.weekday())
            if week in counts:
                counts[week] += 1
    result.weekly = list(counts.items())
    for assignment in Assignment.objects.filter(cohort=cohort).order_by("-due_at")[:5]:
        rows = roster(assignment)
        result.completion.append(
            {
                "assignment": assignment,
                "assigned": len(rows),
                "done": sum(r.status == "done" for r in rows),
                "late": sum(r.status == "late" and r.attempts > 0 for r in rows),
            }
        )


def _scores(result: Analytics, finished: Any, cohort: Cohort) -> None:
    counts: list[tuple[str, str, int]] = [
        (_month(at), _band(overall), 1)
        for at, overall in finished.filter(report__isnull=False).values_list(
            "completed_at", "report__overall"
        )
        if at is not None
    ]
    counts += ScoreTally.objects.filter(cohort=cohort).values_list("month", "band", "count")
    for month, band, count in counts:
        bands = result.scores.setdefault(month, {_label(b): 0 for b in SCORE_BUCKETS})
        bands[band] += count
    result.scores = dict(sorted(result.scores.items()))


def tally_scores(interview_ids: Sequence[Any]) -> None:
    """Count the finished interviews about to be deleted in their cohorts' score bands."""
    finished = Interview.objects.filter(
        pk__in=interview_ids,
        state=State.FINISHED,
        report__isnull=False,
        organization__isnull=False,
    ).values_list("user_id", "organization_id", "completed_at", "report__overall")
    for user_id, organization_id, at, overall in finished:
        if at is None:
            continue
        cohorts = Cohort.objects.filter(organization_id=organization_id, students=user_id)
        for cohort_id in cohorts.values_list("pk", flat=True):
            tally, _ = ScoreTally.objects.get_or_create(
                cohort_id=cohort_id, month=_month(at), band=_band(overall)
            )
            ScoreTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


def _month(at: datetime.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m")


def _band(overall: int) -> str:
    return _label(next(b for b in SCORE_BUCKETS if b[0] <= overall < b[1]))


def _label(bucket: tuple[int, int]) -> str:
    low, high = bucket  # the upper bound is exclusive: (80, 101) is 80-100
    return f"{low}-{high - 1}"


def table(analytics: Analytics, name: str) -> tuple[list[str], list[list[Any]]]:
    """Return one of the page's tables as a header and rows, for CSV and the API."""
    if name == "heatmap":
        header = ["student", "email", *analytics.skills]
        rows = [
            [
                s.name,
                s.email,
                *(
                    "" if (m := analytics.heat.get(s.pk, {}).get(skill)) is None else m.estimate
                    for skill in analytics.skills
                ),
            ]
            for s in analytics.students
        ]
        return header, rows
    if name == "missed":
        return ["key point", "question", "students", "answers"], [
            [m.key_point, m.question, m.students, m.answers] for m in analytics.missed
        ]
    if name == "questions":
        return ["question", "mean score", "students", "answers"], [
            [h.question, h.mean, h.students, h.answers] for h in analytics.hard
        ]
    if name == "participation":
        return ["week starting", "finished interviews"], [
            [week.isoformat(), count] for week, count in analytics.weekly
        ]
    if name == "scores":
        labels = [_label(b) for b in SCORE_BUCKETS]
        return ["month", *labels], [
            [month, *(counts[label] for label in labels)]
            for month, counts in analytics.scores.items()
        ]
    raise KeyError(name)


TABLES = ("heatmap", "missed", "questions", "participation", "scores")
