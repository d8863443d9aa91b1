"""Calibration against human grades: reading graded answers, statistics, fitting, cross-checks."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ai.local.correctness import Features, features, reference_score

__all__ = [
    "CalibrationDataError",
    "GradedAnswer",
    "Metrics",
    "features",
    "fit_weights",
    "leave_one_question_out",
    "load_graded",
    "metrics",
    "score_all",
]

MAX_GRADE = 5.0
REQUIRED_FIELDS = ("question", "reference", "answer", "grade")


class CalibrationDataError(ValueError):
    """A calibration file that cannot be read, with the line at fault in the message."""


@dataclass(frozen=True)
class GradedAnswer:
    """One human-graded answer: the question, its reference, the answer and a 0-5 grade."""

    question: str
    reference: str
    answer: str
    grade: float
    line: int


@dataclass(frozen=True)
class Metrics:
    """How well scores on the 0-5 scale agree with human grades."""

    n: int
    pearson: float
    spearman: float
    rmse: float


def load_graded(path: Path) -> list[GradedAnswer]:
    """Read a JSON-lines file of graded answers, failing with the number of the first bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CalibrationDataError(f"cannot read {path}: {exc}") from exc
    items: list[GradedAnswer] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        items.append(_parse_line(raw, number))
    if len(items) < 3:
        raise CalibrationDataError(f"{path} holds {len(items)} graded answers; at least 3 needed")
    return items


def _parse_line(raw: str, number: int) -> GradedAnswer:
    """Parse and check one line of a calibration file."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CalibrationDataError(f"line {number}: not valid JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise CalibrationDataError(f"line {number}: expected a JSON object")
    for field in REQUIRED_FIELDS:
        if field not in row:
            raise CalibrationDataError(f"line {number}: missing field '{field}'")
    for field in REQUIRED_FIELDS[:3]:
        if not isinstance(row[field], str):
            raise CalibrationDataError(f"line {number}: field '{field}' must be a string")
    grade = row["grade"]
    if isinstance(grade, bool) or not isinstance(grade, int | float) or math.isnan(grade):
        raise CalibrationDataError(f"line {number}: grade must be a number")
    if not 0 <= grade <= MAX_GRADE:
        raise CalibrationDataError(f"line {number}: grade {grade} is outside 0-{MAX_GRADE:g}")
    return GradedAnswer(row["question"], row["reference"], row["answer"], float(grade), number)


def metrics(predicted: Sequence[float], grades: Sequence[float]) -> Metrics:
    """Compare predictions with grades: Pearson r, Spearman rho and RMSE."""
    return Metrics(
        n=len(grades),
        pearson=_correlation(predicted, grades),
        spearman=_correlation(_ranks(predicted), _ranks(grades)),
        rmse=math.sqrt(
            statistics.fmean((p - g) ** 2 for p, g in zip(predicted, grades, strict=True))
        ),
    )


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return Pearson's r, or 0 when either side is constant."""
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return 0.0


def _ranks(values: Sequence[float]) -> list[float]:
    """Return the ranks of the values, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def least_squares(rows: Sequence[Sequence[float]], targets: Sequence[float]) -> list[float]:
    """Solve ordinary least squares by the normal equations; the rows include a constant column."""
    k = len(rows[0])
    # A whisper of ridge keeps the system solvable when a feature is constant in a fold.
    matrix = [
        [sum(r[i] * r[j] for r in rows) + (1e-9 if i == j else 0.0) for j in range(k)]
        + [sum(r[i] * t for r, t in zip(rows, targets, strict=True))]
        for i in range(k)
    ]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        for r in range(k):
            if r != col:
                factor = matrix[r][col] / matrix[col][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[col], strict=True)]
    return [matrix[i][k] / matrix[i][i] for i in range(k)]


def fit_weights(feats: Sequence[Features], grades: Sequence[float]) -> tuple[float, ...]:
    """Fit the feature weights to grades, leaving out non-answers (they score 0 regardless)."""
    pairs = [(f, g) for f, g in zip(feats, grades, strict=True) if not f.non_answer]
    return tuple(least_squares([f.vector() for f, _ in pairs], [g for _, g in pairs]))


def leave_one_question_out(items: Sequence[GradedAnswer]) -> list[float]:
    """Score each question's answers with weights fitted on all the other questions (0-5 scale)."""
    feats = [features(i.question, i.reference, i.answer) for i in items]
    grades = [i.grade for i in items]
    predicted = [0.0] * len(items)
    for question in dict.fromkeys(i.question for i in items):
        train = [k for k, i in enumerate(items) if i.question != question]
        weights = fit_weights([feats[k] for k in train], [grades[k] for k in train])
        for k, item in enumerate(items):
            if item.question == question:
                predicted[k] = MAX_GRADE * reference_score(feats[k], weights)
    return predicted


def score_all(
    items: Sequence[GradedAnswer], scorer: Callable[[str, str, str], float]
) -> list[float]:
    """Score every answer with a 0..1 scorer and map the scores onto the 0-5 grade scale."""
    return [MAX_GRADE * scorer(i.question, i.reference, i.answer) for i in items]
