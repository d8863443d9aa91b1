"""Measure an answer evaluator's technical-correctness score against human grades."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ai import semantic
from ai.base import AnswerToEvaluate
from ai.llm.engine import OpenAIEngine
from ai.local import calibration
from ai.local.calibration import CalibrationDataError, GradedAnswer
from ai.local.evaluator import correctness


@dataclass(frozen=True)
class CalibrationEngine:
    """An evaluator as calibration sees it: a 0..1 correctness scorer, optionally refittable."""

    score: Callable[[str, str, str], float]
    # Leave-one-question-out predictions on the 0-5 scale; None for engines with nothing fitted.
    cross_validate: Callable[[Sequence[GradedAnswer]], list[float]] | None = None
    # The weights fitted on the file, named, as text; None for engines with nothing fitted.
    fit: Callable[[Sequence[GradedAnswer]], str] | None = None


def _local_fit(items: Sequence[GradedAnswer]) -> str:
    """Fit the local engine's weights on the file and format them as the constants are written."""
    feats = [calibration.features(i.question, i.reference, i.answer) for i in items]
    weights = calibration.fit_weights(feats, [i.grade for i in items])
    names = ("intercept", "recall", "topicality", "length", "meaning")[: len(weights)]
    return f"({', '.join(names)}) = ({', '.join(f'{w:.2f}' for w in weights)})"


def _similarity(name: str | None) -> semantic.Method:
    """Return the similarity method named (else the configured one), failing if it is unusable."""
    try:
        method = semantic.resolve(name) if name else semantic.embedder()
    except ImproperlyConfigured as error:
        raise CommandError(str(error)) from error
    if method.embed is not None:
        # Comparisons that fell back to lexical would not measure this method.
        try:
            method.embed(["ping"])
        except openai.OpenAIError as error:
            raise CommandError(f"{method.name} embeddings are unavailable: {error}") from error
    return method


# Engines by name; an engine that calls a hosted model registers itself here the same way.
def _openai_correctness(question: str, reference: str, answer: str) -> float:
    """The provider's technical-correctness score, 0..1; a fallback stops the run."""
    result = OpenAIEngine().evaluate(
        AnswerToEvaluate(
            question=question,
            reference=reference,
            key_points=(),
            answer=answer,
            question_type="technical",
        )
    )
    if result.fallback:
        # Scoring that answer locally would mix two engines' figures under one name.
        raise CommandError(f"the provider failed ({result.fallback}); no figure for openai")
    return result.scores.technical / 10


ENGINES: dict[str, CalibrationEngine] = {
    "local": CalibrationEngine(
        score=correctness,
        cross_validate=calibration.leave_one_question_out,
        fit=_local_fit,
    ),
    # Uses OPENAI_API_KEY, OPENAI_BASE_URL and LLM_MODEL, whatever LLM_PROVIDER says.
    "openai": CalibrationEngine(score=_openai_correctness),
}


class Command(BaseCommand):
    """Report how well an engine's correctness score agrees with human grades."""

    help = (
        "Score graded answers (JSON lines of question, reference, answer, grade 0-5) with an "
        "evaluator's technical correctness and report n, Spearman rho, RMSE and Pearson r."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the file argument and the --engine, --similarity, --cv and --fit options."""
        parser.add_argument("file", type=Path, help="JSON-lines file of graded answers")
        parser.add_argument("--engine", choices=sorted(ENGINES), default="local")
        parser.add_argument(
            "--similarity",
            choices=sorted(semantic.METHODS),
            help="compare texts with this method instead of the configured one (EMBEDDINGS)",
        )
        parser.add_argument(
            "--cv",
            action="store_true",
            help="also report r with weights refitted leaving each question out in turn",
        )
        parser.add_argument(
            "--fit", action="store_true", help="also print the weights fitted on this file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Score the file with the chosen engine and print the agreement figures, r last."""
        path: Path = options["file"]
        engine = ENGINES[options["engine"]]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            items = calibration.load_graded(path)
        except CalibrationDataError as error:
            raise CommandError(f"{path}: {error}") from error
        if options["engine"] == "openai" and not (
            settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL
        ):
            raise CommandError("Set OPENAI_API_KEY (or OPENAI_BASE_URL) to calibrate openai.")
        method = _similarity(options["similarity"])
        self.stdout.write(f"engine = {options['engine']}")
        self.stdout.write(f"similarity = {method.name}")
        with semantic.using(method):
            self._report(items, engine, cv=options["cv"], fit=options["fit"])

    def _report(
        self, items: Sequence[GradedAnswer], engine: CalibrationEngine, *, cv: bool, fit: bool
    ) -> None:
        """Print the agreement figures of the engine's scores with the grades, r last."""
        grades = [i.grade for i in items]
        result = calibration.metrics(calibration.score_all(items, engine.score), grades)
        self.stdout.write(f"n = {result.n}")
        self.stdout.write(f"rho = {result.spearman:.3f}")
        self.stdout.write(f"rmse = {result.rmse:.3f}")
        if fit:
            if engine.fit is None:
                self.stdout.write("fitted weights = none (this engine has no fitted parameters)")
            else:
                self.stdout.write(f"fitted weights {engine.fit(items)}")
        if cv:
            if engine.cross_validate is None:
                self.stdout.write("cv_r = r (this engine has no fitted parameters)")
            else:
                held_out = calibration.metrics(engine.cross_validate(items), grades)
                questions = len({i.question for i in items})
                self.stdout.write(f"cv_folds = {questions} (leave one question out)")
                self.stdout.write(f"cv_rho = {held_out.spearman:.3f}")
                self.stdout.write(f"cv_rmse = {held_out.rmse:.3f}")
                self.stdout.write(f"cv_r = {held_out.pearson:.3f}")
        # The headline figure goes last, on its own line, for scripts that read the last line.
        self.stdout.write(f"r = {result.pearson:.3f}")
