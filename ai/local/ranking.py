"""How well an evaluator ranks answers of known quality to the same question.

A ranking set holds, for each of many questions, answers of the seven kinds below, written for it.
An honest evaluator scores them in a known order: a strong answer above a medium one, a medium
above a thin one, and both above a confidently wrong one, a buzzword salad, an off-topic answer and
a generic one pasted into every question.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

KINDS = ("strong", "medium", "thin", "wrong", "salad", "generic", "offtopic")
# (better, worse): the orderings a score must respect within one question.
PAIRS = (
    ("strong", "medium"),
    ("medium", "thin"),
    *((better, worse) for better in ("strong", "medium") for worse in KINDS[3:]),
)


class RankingDataError(ValueError):
    """A ranking file that cannot be used, with the line at fault in the message."""


@dataclass(frozen=True)
class Question:
    """A question as an evaluator judges answers to it."""

    text: str
    reference: str
    key_points: tuple[str, ...]
    red_flags: tuple[str, ...]
    type: str


@dataclass(frozen=True)
class RankedAnswer:
    question: Question
    kind: str
    answer: str
    line: int


@dataclass(frozen=True)
class Ranking:
    """What the scores of a ranking set show."""

    questions: int
    answers: int
    means: dict[str, float]  # mean overall per kind, 0-10
    pair_accuracy: float  # the share of PAIRS in the right order (ties count half)
    pairs: int
    wrong_below_medium: float  # the share of questions where wrong scored below medium
    strong_minus_wrong: float


def load(path: Path, lookup: Callable[[str], Question | None]) -> list[RankedAnswer]:
    """Read a JSON-lines ranking file: `question`, `kind`, `answer`, and optionally the question's
    `reference`, `key_points`, `red_flags` and `type`; otherwise `lookup` finds the question."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RankingDataError(f"cannot read {path}: {error}") from error
    answers = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise RankingDataError(f"line {number}: not valid JSON") from None
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) for k in ("question", "kind", "answer")
        ):
            raise RankingDataError(f"line {number}: needs text fields question, kind and answer")
        if row["kind"] not in KINDS:
            raise RankingDataError(f"line {number}: kind must be one of {', '.join(KINDS)}")
        question = _question(row) if "reference" in row else lookup(row["question"])
        if question is None:
            raise RankingDataError(f"line {number}: no such question in the bank")
        answers.append(RankedAnswer(question, row["kind"], row["answer"], number))
    if not answers:
        raise RankingDataError("no answers in the file")
    return answers


def _question(row: Mapping[str, object]) -> Question:
    def texts(name: str) -> tuple[str, ...]:
        value = row.get(name, [])
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    return Question(
        text=str(row["question"]),
        reference=str(row["reference"]),
        key_points=texts("key_points"),
        red_flags=texts("red_flags"),
        type=str(row.get("type", "technical")),
    )


def rank(scored: Sequence[tuple[RankedAnswer, float]]) -> Ranking:
    """Summarise the scores (overall, 0-10) of a ranking set."""
    by_question: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for answer, score in scored:
        by_question[answer.question.text][answer.kind].append(score)
    right, pairs, wrong_below, compared = 0.0, 0, 0, 0
    for kinds in by_question.values():
        mean = {kind: statistics.fmean(scores) for kind, scores in kinds.items()}
        for better, worse in PAIRS:
            if better in mean and worse in mean:
                pairs += 1
                right += 1.0 if mean[better] > mean[worse] else 0.5 * (mean[better] == mean[worse])
        if "wrong" in mean and "medium" in mean:
            compared += 1
            wrong_below += mean["wrong"] < mean["medium"]
    means = {
        kind: round(statistics.fmean(s for a, s in scored if a.kind == kind), 2)
        for kind in KINDS
        if any(a.kind == kind for a, _ in scored)
    }
    return Ranking(
        questions=len(by_question),
        answers=len(scored),
        means=means,
        pair_accuracy=right / pairs if pairs else 0.0,
        pairs=pairs,
        wrong_below_medium=wrong_below / compared if compared else 0.0,
        strong_minus_wrong=round(means.get("strong", 0.0) - means.get("wrong", 0.0), 2),
    )
