"""The provider engine: an LLM behind any OpenAI-compatible endpoint, the local engine beneath it.

Every step first has the local engine's answer ready (it is fast), then asks the provider; any
failure (timeout, 429 or 5xx after the client's retries, a refusal, a reply that is not valid
JSON against the schema) keeps the local answer and records why, so the interview carries on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from string import Template
from typing import Any

from django.conf import settings

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
from ai.llm import calls
from ai.llm.calls import FAILURES, fenced, fenced_list, why
from ai.llm.schemas import (
    AdviceOut,
    EvaluationOut,
    FollowUpOut,
    InvalidOutput,
    QuestionOut,
    SummaryOut,
)
from ai.local import coach
from ai.local.engine import LocalEngine
from ai.local.picker import is_repeat
from ai.retrieval import Passage
from ai.rubric import ANCHORS, LABELS, Scores

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).parent / "prompts"
# Drafts of a core question that repeat one already asked before the bank's question is used.
QUESTION_ATTEMPTS = 3


def prompt(name: str) -> Template:
    """A system prompt from prompts/<name>.md, with $placeholders."""
    return calls.prompt(PROMPTS / f"{name}.md")


def _anchors() -> str:
    return "\n".join(
        f"- {name} ({LABELS[name]}): 0-3 {low}; 4-6 {mid}; 7-10 {high}."
        for name, (low, mid, high) in ANCHORS.items()
    )


class OpenAIEngine:
    """Questions, follow-ups, evaluations and the report narrative written by an LLM."""

    name = "openai"
    instant = False

    def __init__(self) -> None:
        self.local = LocalEngine()

    # --- Engine ------------------------------------------------------------------------------

    def evaluate(self, item: AnswerToEvaluate) -> EvaluationResult:
        """Return the LLM's verdict, with the local engine's measurements and as its fallback."""
        local = self.local.evaluate(item)
        if item.skipped:
            return local
        user = "\n\n".join(
            [
                *([fenced("follows_up_on", item.follows)] if item.follows else []),
                fenced("question", item.question),
                fenced("question_type", item.question_type),
                fenced("reference_answer", item.reference or "(none)"),
                fenced_list("key_points", item.key_points),
                fenced_list("red_flags", item.red_flags),
                fenced("candidate_answer", item.answer),
            ]
        )
        system = prompt("evaluate").substitute(anchors=_anchors())
        try:
            out = calls.complete(EvaluationOut, model=settings.LLM_MODEL, system=system, user=user)
            if len(out.key_points) != len(item.key_points):
                raise InvalidOutput(
                    f"{len(out.key_points)} key points judged, {len(item.key_points)} given"
                )
            if len(out.red_flag_verdicts) != len(item.red_flags):
                raise InvalidOutput(
                    f"{len(out.red_flag_verdicts)} red flags judged, {len(item.red_flags)} given"
                )
        except FAILURES as error:
            log.warning("Evaluation fell back to the local engine: %s", why(error))
            return replace(local, fallback=why(error))
        scores = Scores(out.technical, out.depth, out.experience, out.clarity, out.confidence)
        return EvaluationResult(
            scores=scores,
            key_points=[
                {
                    "key_point": given,
                    "covered": verdict.covered,
                    "score": 1.0 if verdict.covered else 0.0,
                    "evidence": verdict.evidence,
                }
                for given, verdict in zip(item.key_points, out.key_points, strict=True)
            ],
            strengths=list(out.strengths),
            missing=list(out.missing),
            red_flags=list(out.red_flags),
            mistakes=[
                {"kind": "red_flag", "text": given, "evidence": verdict.evidence}
                for given, verdict in zip(item.red_flags, out.red_flag_verdicts, strict=True)
                if verdict.made
            ],
            seniority_signals=list(out.seniority_signals),
            signals=local.signals,
            followup_needed=out.followup_needed and bool(out.followup_type),
            followup_type=out.followup_type if out.followup_needed else "",
            followup_reason=out.followup_reason,
            engine=self.name,
        )

    def write_question(self, brief: QuestionBrief, on_delta: OnDelta) -> WrittenQuestion:
        """Write a question for this candidate; the bank's after three repeats or a failure."""
        system = prompt("question").substitute(
            level=brief.level,
            role=brief.role,
            interview_type=brief.interview_type,
            skill=brief.skill,
            difficulty=brief.difficulty,
        )
        asked = [text for _, text in brief.asked]
        sections = [
            fenced("bank_question", brief.bank_question),
            fenced_list("skills_covered", brief.skills_covered),
            fenced_list("skills_still_to_cover", brief.skills_to_cover),
            fenced("candidate_so_far", brief.trend),
            fenced_list("asked_questions", [f"({kind}) {text}" for kind, text in brief.asked]),
        ]
        if brief.resume:
            sections.append(fenced("resume", brief.resume))
        if brief.job_description:
            sections.append(fenced("job_description", brief.job_description))
        user = "\n\n".join(sections)
        reason = ""
        for _ in range(QUESTION_ATTEMPTS):
            try:
                out = calls.stream(
                    QuestionOut,
                    model=settings.LLM_MODEL,
                    system=system,
                    user=user,
                    on_delta=on_delta,
                )
            except FAILURES as error:
                reason = why(error)
                break
            if not is_repeat(out.question, asked):
                on_delta(out.question)
                return WrittenQuestion(
                    out.question,
                    out.reference_answer,
                    tuple(out.key_points),
                    tuple(out.red_flags),
                    engine=self.name,
                )
            reason = "the provider only wrote questions already asked"
            user += "\n\n" + fenced("rejected_draft_repeats_an_asked_question", out.question)
        log.warning("Question fell back to the bank: %s", reason)
        return replace(self.local.write_question(brief, on_delta), fallback=reason)

    def write_followup(self, brief: FollowUpBrief) -> WrittenFollowUp:
        """Write the follow-up a human would ask; the bank's prompt on a failure."""
        system = prompt("followup").substitute(
            followup_type=brief.followup_type, reason=brief.reason or "the answer was thin"
        )
        conversation = "\n\n".join(
            f"Interviewer: {asked}\nCandidate: {answer}" for asked, answer in brief.conversation
        )
        user = "\n\n".join(
            [
                fenced("core_question", brief.question),
                fenced("conversation", conversation),
                fenced_list("missed_points", brief.missing),
            ]
        )
        try:
            out = calls.complete(
                FollowUpOut, model=settings.LLM_FAST_MODEL, system=system, user=user
            )
        except FAILURES as error:
            log.warning("Follow-up fell back to the local engine: %s", why(error))
            local = self.local.write_followup(brief)
            return WrittenFollowUp(
                local.followup_type, local.text, engine=local.engine, fallback=why(error)
            )
        return WrittenFollowUp(out.followup_type, out.question, engine=self.name)

    def write_summary(self, report: dict[str, Any], summary: str) -> WrittenSummary:
        """Write the report's narrative from the built report; the template's on a failure."""
        user = fenced("report", json.dumps(report, ensure_ascii=False, indent=1))
        try:
            out = calls.complete(
                SummaryOut, model=settings.LLM_MODEL, system=prompt("summary").template, user=user
            )
        except FAILURES as error:
            log.warning("Report summary fell back to the template: %s", why(error))
            return WrittenSummary(summary, engine=self.local.name, fallback=why(error))
        return WrittenSummary(out.summary, engine=self.name)

    def advise(self, request: AdviceRequest) -> Advice:
        """Answer with the fast model, grounded on the passages retrieval found; the local
        coach's answer when the call fails or the reply cites what it was not given."""
        grounding = coach.ground(request)
        offered = {hit.passage.key: hit.passage for hit in grounding.hits[:6]}
        material = "\n\n".join(_material(passage) for passage in offered.values())
        conversation = "\n".join(f"{role}: {text}" for role, text in request.history[-6:])
        user = "\n\n".join(
            [
                fenced("material", material or "(nothing found)"),
                fenced("conversation", conversation or "(none)"),
                fenced("student_message", request.message),
            ]
        )
        try:
            out = calls.complete(
                AdviceOut,
                model=settings.LLM_FAST_MODEL,
                system=prompt("advice").template,
                user=user,
            )
            unknown = [key for key in out.sources if key not in offered]
            if unknown:
                raise InvalidOutput(f"cited material it was not given: {unknown[0]}")
            if out.kind == "answer" and not out.sources:
                raise InvalidOutput("an answer without a source")
        except FAILURES as error:
            log.warning("Advice fell back to the local coach: %s", why(error))
            return replace(self.local.advise(request), fallback=why(error))
        sources = tuple(dict.fromkeys(out.sources)) if out.kind == "answer" else ()
        practice = next((offered[key].practice for key in sources if offered[key].practice), None)
        return Advice(coach.fit([out.reply]), out.kind, sources, practice, engine=self.name)


def _material(passage: Passage) -> str:
    lines = [f"[{passage.key}] {passage.kind}: {passage.title}"]
    if passage.text:
        lines.append(passage.text)
    lines += [f"Covers: {point}" for point in passage.points]
    lines += [f"Rejected: {flag}" for flag in passage.avoid]
    return "\n".join(lines)
