"""The provider engine: an LLM behind any OpenAI-compatible endpoint, the local engine beneath it.

Every step first has the local engine's answer ready (it is fast), then asks the provider; any
failure (timeout, 429 or 5xx after the client's retries, a refusal, a reply that is not valid
JSON against the schema) keeps the local answer and records why, so the interview carries on.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

import openai
from django.conf import settings

from interviews.engine.base import (
    AnswerToEvaluate,
    EvaluationResult,
    FollowUpBrief,
    OnDelta,
    QuestionBrief,
    Read,
    WrittenFollowUp,
    WrittenQuestion,
    WrittenSummary,
)
from interviews.engine.llm.schemas import (
    EvaluationOut,
    FollowUpOut,
    InvalidOutput,
    JobOut,
    Out,
    QuestionOut,
    ResumeOut,
    SummaryOut,
    parse,
    response_format,
)
from interviews.engine.llm.streaming import partial_string
from interviews.engine.local.engine import LocalEngine
from interviews.engine.local.picker import is_repeat
from interviews.engine.providers import llm_client
from interviews.engine.rubric import ANCHORS, LABELS, Scores
from interviews.profiles import JobProfile, ResumeProfile, Vocabulary, unique
from questionbank.models import Level

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).parent / "prompts"
# Drafts of a core question that repeat one already asked before the bank's question is used.
QUESTION_ATTEMPTS = 3
# Stream updates at most this often (seconds): a word or two at a time reads naturally.
DELTA_EVERY = 0.08
# Stands in for "<" inside fenced data, so that nothing in it can open or close a tag.
ANGLE = "\u2039"
# A resume's Markdown beyond this is not sent (ten dense pages are about 40,000 characters).
RESUME_MAX_CHARS = 40_000


@cache
def prompt(name: str) -> Template:
    """A system prompt from prompts/<name>.md, with $placeholders."""
    return Template((PROMPTS / f"{name}.md").read_text(encoding="utf-8"))


def fenced(tag: str, text: str) -> str:
    """The text as data inside <tag>…</tag>, unable to close the tag itself."""
    return f"<{tag}>\n{text.replace('<', ANGLE)}\n</{tag}>"


def fenced_list(tag: str, items: Sequence[str]) -> str:
    return fenced(tag, "\n".join(f"- {item}" for item in items) or "(none)")


def _anchors() -> str:
    return "\n".join(
        f"- {name} ({LABELS[name]}): 0-3 {low}; 4-6 {mid}; 7-10 {high}."
        for name, (low, mid, high) in ANCHORS.items()
    )


def why(error: Exception) -> str:
    """A short reason a provider step failed, for the record and the report."""
    if isinstance(error, InvalidOutput):
        return f"unusable reply ({error})"
    if isinstance(error, openai.APITimeoutError):
        return "the provider timed out"
    if isinstance(error, openai.RateLimitError):
        return "the provider's rate limit (HTTP 429)"
    if isinstance(error, openai.APIStatusError):
        return f"the provider answered HTTP {error.status_code}"
    if isinstance(error, openai.APIConnectionError):
        return "could not reach the provider"
    return f"provider error ({type(error).__name__})"


class Refused(InvalidOutput):
    """The model declined to answer."""


class OpenAIEngine:
    """Questions, follow-ups, evaluations and the report narrative written by an LLM."""

    name = "openai"
    instant = False

    def __init__(self) -> None:
        self.local = LocalEngine()

    # --- Calls -------------------------------------------------------------------------------

    def _request(self, schema: type[Out], model: str, system: str, user: str) -> dict[str, Any]:
        return {
            "model": model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "response_format": response_format(schema),
        }

    def _complete(self, schema: type[Out], model: str, system: str, user: str) -> Out:
        request = self._request(schema, model, system, user)
        response = llm_client().chat.completions.create(**request, temperature=0.3)
        if not response.choices:
            raise InvalidOutput("no choices in the reply")
        message = response.choices[0].message
        if getattr(message, "refusal", None):
            raise Refused("the model declined")
        return parse(schema, message.content)

    def _stream(
        self, schema: type[Out], model: str, system: str, user: str, on_delta: OnDelta
    ) -> Out:
        """Like `_complete`, streaming the reply's first field to `on_delta` as it is written."""
        request = self._request(schema, model, system, user)
        stream = llm_client().chat.completions.create(**request, temperature=0.7, stream=True)
        parts: list[str] = []
        shown, last = "", 0.0
        for chunk in stream:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if getattr(delta, "refusal", None):
                raise Refused("the model declined")
            if delta.content:
                parts.append(delta.content)
                text = partial_string("".join(parts), "question")
                now = time.monotonic()
                if text and text != shown and now - last >= DELTA_EVERY:
                    on_delta(text)
                    shown, last = text, now
        return parse(schema, "".join(parts))

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
                fenced("candidate_answer", item.answer),
            ]
        )
        system = prompt("evaluate").substitute(anchors=_anchors())
        try:
            out = self._complete(EvaluationOut, settings.LLM_MODEL, system, user)
            if len(out.key_points) != len(item.key_points):
                raise InvalidOutput(
                    f"{len(out.key_points)} key points judged, {len(item.key_points)} given"
                )
        except (openai.OpenAIError, InvalidOutput) as error:
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
                out = self._stream(QuestionOut, settings.LLM_MODEL, system, user, on_delta)
            except (openai.OpenAIError, InvalidOutput) as error:
                reason = why(error)
                break
            if not is_repeat(out.question, asked):
                on_delta(out.question)
                return WrittenQuestion(
                    out.question, out.reference_answer, tuple(out.key_points), engine=self.name
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
            out = self._complete(FollowUpOut, settings.LLM_FAST_MODEL, system, user)
        except (openai.OpenAIError, InvalidOutput) as error:
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
            out = self._complete(SummaryOut, settings.LLM_MODEL, prompt("summary").template, user)
        except (openai.OpenAIError, InvalidOutput) as error:
            log.warning("Report summary fell back to the template: %s", why(error))
            return WrittenSummary(summary, engine=self.local.name, fallback=why(error))
        return WrittenSummary(out.summary, engine=self.name)

    def read_resume(
        self, markdown: str, local: ResumeProfile, vocabulary: Vocabulary
    ) -> Read[ResumeProfile]:
        """Read the resume with the fast model; the local reading on a failure."""
        user = fenced("resume", markdown[:RESUME_MAX_CHARS])
        try:
            out = self._complete(
                ResumeOut, settings.LLM_FAST_MODEL, prompt("resume").template, user
            )
        except (openai.OpenAIError, InvalidOutput) as error:
            log.warning("Resume reading fell back to the local engine: %s", why(error))
            return Read(local, engine=self.local.name, fallback=why(error))
        profile = ResumeProfile.from_dict(out.model_dump())
        # The bank's names for the skills, and any the vocabulary found that the model left out.
        profile.skills = unique([*map(vocabulary.canonical, profile.skills), *local.skills])
        for role in profile.roles:
            role.tools = [vocabulary.canonical(t) for t in role.tools]
        for project in profile.projects:
            project.tools = [vocabulary.canonical(t) for t in project.tools]
        return Read(profile, engine=self.name)

    def read_job(self, text: str, local: JobProfile, vocabulary: Vocabulary) -> Read[JobProfile]:
        """Read a job advert with the fast model; the local reading on a failure."""
        levels = ", ".join(f"{int(level)} = {level.label}" for level in Level)
        system = prompt("job").substitute(levels=levels)
        try:
            out = self._complete(
                JobOut, settings.LLM_FAST_MODEL, system, fenced("job_advert", text)
            )
        except (openai.OpenAIError, InvalidOutput) as error:
            log.warning("Job reading fell back to the local engine: %s", why(error))
            return Read(local, engine=self.local.name, fallback=why(error))
        job = JobProfile(
            title=out.title,
            level=out.level,
            level_reason=out.level_reason,
            requirements=unique(map(vocabulary.canonical, out.requirements)),
            desirable=unique(map(vocabulary.canonical, out.desirable)),
        )
        return Read(job, engine=self.name)
