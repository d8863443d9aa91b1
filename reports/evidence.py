"""Which of the resume's claims the answers backed up, and which of the job's needs they showed.

A claim ("PostgreSQL") or a requirement is put to the test by the questions on the bank skills it
evidences, and by any question that names it. It is backed up (or shown) when one of those
questions scored well, not backed up when they were answered weakly, and untested when none was
asked. The answer's own words about it are quoted when it names the claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ai.rubric import question_score
from ai.text import sentences
from reports.builder import GOOD_ANSWER, TurnRecord
from resumes.reading.vocabulary import Vocabulary

MAX_LISTED = 15
QUOTE_CHARS = 160


@dataclass(frozen=True)
class Question:
    number: int
    skill_id: int | None
    texts: str  # the question and its follow-ups
    answers: str
    score: float | None  # None: not answered with an evaluation


def _questions(records: Sequence[TurnRecord]) -> list[Question]:
    groups: dict[int, list[TurnRecord]] = {}
    for record in records:
        groups.setdefault(record.number, []).append(record)
    questions = []
    for number, group in groups.items():
        overalls = [r.evaluation["overall"] for r in group if r.evaluation]
        questions.append(
            Question(
                number=number,
                skill_id=group[0].skill_id,
                texts=" ".join(r.text for r in group),
                answers=" ".join(r.answer or "" for r in group if not r.skipped),
                score=question_score(overalls) if overalls else None,
            )
        )
    return questions


def _verdicts(
    terms: Sequence[str],
    questions: list[Question],
    vocabulary: Vocabulary,
    track_skills: Sequence[int],
    labels: tuple[str, str, str],
) -> list[dict[str, Any]]:
    """For each term put to the test or belonging to the track: its status and the evidence."""
    good, weak, untested = labels
    found: list[dict[str, Any]] = []
    for term in terms:
        skills = set(vocabulary.skills_of([term], track_skills))
        named = re.compile(rf"(?<![\w+#]){re.escape(term)}(?![\w+#])", re.IGNORECASE)
        tested = [
            q
            for q in questions
            if q.score is not None and (q.skill_id in skills or named.search(q.texts))
        ]
        if not tested and not skills:
            continue  # neither asked about nor part of this track: not this interview's business
        if not tested:
            found.append({"name": term, "status": untested, "question": None, "score": None})
            continue
        best = max(tested, key=lambda q: q.score or 0.0)
        assert best.score is not None
        found.append(
            {
                "name": term,
                "status": good if best.score >= GOOD_ANSWER else weak,
                "question": best.number,
                "score": round(best.score, 1),
                "quote": _quote(named, best.answers),
            }
        )
    order = {good: 0, weak: 1, untested: 2}
    return sorted(found, key=lambda f: order[f["status"]])[:MAX_LISTED]


def _quote(named: re.Pattern[str], answer: str) -> str:
    """The sentence of the answer that names the term; a long one is cut around the term."""
    found = next(((s, m) for s in sentences(answer) if (m := named.search(s))), None)
    if found is None:
        return ""
    sentence, match = found
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    start = sentence.rfind(" ", 0, max(0, match.start() - QUOTE_CHARS // 3)) + 1
    window = sentence[start : start + QUOTE_CHARS - 2]
    if start + len(window) < len(sentence):
        window = window.rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + window


def evidence(
    records: Sequence[TurnRecord],
    *,
    claims: Sequence[str],
    requirements: Sequence[str],
    vocabulary: Vocabulary,
    track_skills: Sequence[int],
) -> dict[str, list[dict[str, Any]]]:
    """The report's claims (backed, not_backed, untested) and requirements (shown, not_shown,
    not_asked); empty lists without a resume or a job advert."""
    questions = _questions(records)
    return {
        "claims": _verdicts(
            claims, questions, vocabulary, track_skills, ("backed", "not_backed", "untested")
        ),
        "requirements": _verdicts(
            requirements, questions, vocabulary, track_skills, ("shown", "not_shown", "not_asked")
        ),
    }
