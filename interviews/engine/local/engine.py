"""The local engine: the curated bank, rubric scoring and follow-up templates, no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from interviews.engine.base import AnswerToEvaluate, EvaluationResult
from interviews.engine.local import evaluator
from interviews.engine.local.followup import needs_followup, write_followup
from interviews.engine.rubric import Scores


class LocalEngine:
    name = "local"

    def evaluate(self, item: AnswerToEvaluate) -> EvaluationResult:
        """Return the rubric's verdict on one answer."""
        if item.skipped:
            return EvaluationResult(
                scores=Scores(0, 0, 0, 0, 0),
                key_points=[
                    {"key_point": p, "covered": False, "score": 0.0, "evidence": ""}
                    for p in item.key_points
                ],
                strengths=[],
                missing=list(item.key_points),
                red_flags=["skipped"],
                seniority_signals=[],
                followup_reason="Skipped.",
                engine=self.name,
            )
        result = evaluator.evaluate(
            evaluator.AnswerInput(
                question=item.question,
                reference=item.reference,
                key_points=item.key_points,
                answer=item.answer,
                question_type=item.question_type,
            )
        )
        need = needs_followup(
            result.scores,
            red_flags=result.red_flags,
            missing=result.missing,
            question_type=item.question_type,
        )
        return EvaluationResult(
            scores=result.scores,
            key_points=[asdict(match) for match in result.key_points],
            strengths=result.strengths,
            missing=result.missing,
            red_flags=result.red_flags,
            seniority_signals=result.seniority_signals,
            signals={
                "word_count": result.word_count,
                "hedges": result.hedges,
                "fillers": result.fillers,
                "star": result.star,
                "concrete": result.concrete,
            },
            followup_needed=need.needed,
            followup_type=need.type,
            followup_reason=need.reason,
            engine=self.name,
        )

    def write_followup(
        self,
        followup_type: str,
        *,
        prompts: Sequence[str],
        used: Sequence[str],
        missing: Sequence[str],
    ) -> str:
        """Return the follow-up question to ask."""
        return write_followup(followup_type, prompts=prompts, used=used, missing=missing)
