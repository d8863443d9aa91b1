"""Measure how well the evaluator ranks answers of known quality (see ai.local.ranking)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ai import semantic
from ai.base import AnswerToEvaluate
from ai.llm.engine import OpenAIEngine
from ai.local import ranking
from ai.local.engine import LocalEngine
from ai.text import normalize_text
from questionbank.bank import BANK_DIR

ENGINES = {"local": LocalEngine, "openai": OpenAIEngine}


def bank_questions(directory: Path = BANK_DIR) -> dict[str, ranking.Question]:
    """The starter bank's questions by their folded wording."""
    found = {}
    for path in sorted(directory.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            found[normalize_text(entry["text"])] = ranking.Question(
                text=entry["text"],
                reference=entry["reference_answer"],
                key_points=tuple(entry["key_points"]),
                red_flags=tuple(entry.get("red_flags", [])),
                type=entry["type"],
            )
    return found


class Command(BaseCommand):
    """Score a ranking set and print how often the scores put its answers in the right order."""

    help = (
        "Score answers of known quality (JSON lines of question, kind, answer; kinds strong, "
        "medium, thin, wrong, salad, generic, offtopic) and print the mean per kind, the pair "
        "accuracy, how often a confidently wrong answer scores below a medium one, and the gap "
        "between strong and wrong. Questions are looked up in the starter bank by their wording "
        "unless a line gives reference, key_points and red_flags itself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="JSON-lines ranking files")
        parser.add_argument("--engine", choices=sorted(ENGINES), default="local")
        parser.add_argument(
            "--similarity",
            choices=sorted(semantic.METHODS),
            help="compare texts with this method instead of the configured one (EMBEDDINGS)",
        )
        parser.add_argument(
            "--worst", type=int, default=0, help="also list the N questions ranked worst"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bank = bank_questions()
        answers: list[ranking.RankedAnswer] = []
        for path in options["files"]:
            try:
                answers += ranking.load(path, lambda text: bank.get(normalize_text(text)))
            except ranking.RankingDataError as error:
                raise CommandError(f"{path}: {error}") from error
        engine = ENGINES[options["engine"]]()
        method = semantic.resolve(options["similarity"]) if options["similarity"] else None
        with semantic.using(method or semantic.embedder()):
            scored = [(a, self._score(engine, a)) for a in answers]
        result = ranking.rank(scored)
        self.stdout.write(f"engine = {options['engine']}")
        self.stdout.write(f"questions = {result.questions}, answers = {result.answers}")
        self.stdout.write(
            "mean = " + ", ".join(f"{kind} {score:.2f}" for kind, score in result.means.items())
        )
        self.stdout.write(f"wrong_below_medium = {result.wrong_below_medium:.3f}")
        self.stdout.write(f"strong_minus_wrong = {result.strong_minus_wrong:.2f}")
        if options["worst"]:
            self._worst(scored, options["worst"])
        # The headline figure last, for scripts that read the last line.
        self.stdout.write(f"pair_accuracy = {result.pair_accuracy:.3f} (of {result.pairs} pairs)")

    def _score(self, engine: Any, answer: ranking.RankedAnswer) -> float:
        question = answer.question
        result = engine.evaluate(
            AnswerToEvaluate(
                question=question.text,
                reference=question.reference,
                key_points=question.key_points,
                red_flags=question.red_flags,
                answer=answer.answer,
                question_type=question.type,
            )
        )
        if result.fallback:
            raise CommandError(f"the provider failed ({result.fallback}); no figure")
        return float(result.scores.overall())

    def _worst(self, scored: list[tuple[ranking.RankedAnswer, float]], count: int) -> None:
        by_question: dict[str, list[tuple[ranking.RankedAnswer, float]]] = {}
        for answer, score in scored:
            by_question.setdefault(answer.question.text, []).append((answer, score))
        rows = []
        for text, items in by_question.items():
            result = ranking.rank(items)
            order = " > ".join(f"{a.kind} {s:.1f}" for a, s in sorted(items, key=lambda i: -i[1]))
            rows.append((result.pair_accuracy, text, order))
        for accuracy, text, order in sorted(rows)[:count]:
            self.stdout.write(f"  {accuracy:.2f}  {text[:70]}\n        {order}")
