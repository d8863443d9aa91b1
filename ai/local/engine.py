"""The local engine: the curated bank, rubric scoring and follow-up templates, no network."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from ai import semantic
from ai.base import (
    Advice,
    AdviceRequest,
    AnswerToEvaluate,
    EvaluationResult,
    FollowUpBrief,
    OnDelta,
    QuestionBrief,
    WrittenFollowUp,
    WrittenQuestion,
    WrittenSummary,
)
from ai.local import coach, evaluator, personal
from ai.local.followup import needs_followup, write_followup
from ai.rubric import Scores


class LocalEngine:
    name = "local"

    @property
    def instant(self) -> bool:
        """No network call, unless texts are compared by a provider's embeddings."""
        return not semantic.embedder().remote

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
                # A follow-up's answer carries on from the core question: words the two questions
                # gave away are not evidence of a point made, nor is using them staying on topic.
                question=f"{item.follows}\n{item.question}" if item.follows else item.question,
                reference=item.reference,
                key_points=item.key_points,
                answer=item.answer,
                question_type=item.question_type,
                red_flags=item.red_flags,
                focused=item.model_reference and not item.follows,
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
            mistakes=result.mistakes,
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

    def write_question(self, brief: QuestionBrief, on_delta: OnDelta) -> WrittenQuestion:
        """Return the bank question the picker chose, made about the candidate's resume."""
        return replace(personal.write(brief), engine=self.name)

    def write_followup(self, brief: FollowUpBrief) -> WrittenFollowUp:
        """Return the bank's best-suited unused follow-up prompt, aimed at what was missed."""
        text = write_followup(
            brief.followup_type,
            prompts=brief.prompts,
            used=[asked for asked, _ in brief.conversation[1:]],
            missing=brief.missing,
            gave_up=brief.gave_up,
            earlier=brief.earlier,
        )
        return WrittenFollowUp(brief.followup_type, text, engine=self.name)

    def write_summary(self, report: dict[str, Any], summary: str) -> WrittenSummary:
        """Return the template summary as it is."""
        return WrittenSummary(summary, engine=self.name)

    def advise(self, request: AdviceRequest) -> Advice:
        """Answer from the library's passages (see ai.local.coach)."""
        return coach.advise(request)
