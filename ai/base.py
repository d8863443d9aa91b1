"""What every AI engine does, whichever implementation (local or provider) does it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ai.retrieval import Library
from ai.rubric import Scores


@dataclass(frozen=True)
class AnswerToEvaluate:
    """One answer and what it is judged against."""

    question: str  # what was asked (a follow-up's own wording for a follow-up)
    reference: str  # the core question's reference answer
    key_points: Sequence[str]
    answer: str
    question_type: str
    skipped: bool = False
    follows: str = ""  # for a follow-up, the core question it follows up on
    # The wrong claims and bad practices a panel would reject in an answer to the question.
    red_flags: Sequence[str] = ()
    # Whether the reference is a model answer to this very question (a bank question's), rather
    # than a description of one (a question written for the candidate from their resume).
    model_reference: bool = True


@dataclass(frozen=True)
class EvaluationResult:
    scores: Scores
    key_points: list[dict[str, Any]]
    strengths: list[str]
    missing: list[str]
    red_flags: list[str]
    seniority_signals: list[str]
    signals: dict[str, Any] = field(default_factory=dict)
    # The question's red flags the answer made and the key points it dismissed, each quoted:
    # [{"kind": "red_flag" | "dismissed" | "possible_red_flag" | "careless", "text", "evidence"}].
    mistakes: list[dict[str, str]] = field(default_factory=list)
    followup_needed: bool = False
    followup_type: str = ""
    followup_reason: str = ""
    engine: str = "local"
    # Why the provider did not evaluate it, when the local engine stepped in.
    fallback: str = ""


@dataclass(frozen=True)
class QuestionBrief:
    """Everything an interviewer knows when writing the next core question."""

    role: str  # the track
    level: str  # "junior", "senior", ...
    interview_type: str
    skill: str  # the skill whose turn it is
    skills_covered: Sequence[str]
    skills_to_cover: Sequence[str]
    difficulty: int  # 1-10, where the interview stands now
    trend: str  # how the candidate is doing so far, in words
    asked: Sequence[tuple[str, str]]  # every question asked so far: (kind, text)
    # The bank question chosen for this turn: the topic and difficulty to aim at, and what is
    # asked when no question can be written.
    bank_question: str
    bank_reference: str
    bank_key_points: Sequence[str]
    bank_red_flags: Sequence[str] = ()
    # The question's kind in the bank: technical, behavioural or system_design.
    question_type: str = "technical"
    # From the candidate's resume and the job advert, when the interview has them: a summary of
    # each for a writing model, the resume's claims this skill covers, and a role or project of
    # theirs to ask about (see ai.local.personal).
    resume: str = ""
    job_description: str = ""
    claimed: Sequence[str] = ()
    anchor: Anchor | None = None


@dataclass(frozen=True)
class Anchor:
    """Something on the candidate's resume a question can be about."""

    label: str  # "your time as Backend Engineering Intern at Acme Payments"
    # Something they did there, in their words, when it makes a story: "led the migration of ..."
    deed: str = ""
    where: str = ""  # "at Acme Payments", "in the Rehearse project"


@dataclass(frozen=True)
class WrittenQuestion:
    text: str
    reference: str = ""  # empty: the bank question's
    key_points: Sequence[str] = ()
    red_flags: Sequence[str] = ()
    engine: str = "local"
    fallback: str = ""


@dataclass(frozen=True)
class FollowUpBrief:
    """The current question's conversation and the evaluation of its last answer."""

    followup_type: str  # the kind the rubric suggests: probe, clarify, example or challenge
    reason: str  # the evaluation's reason for following up
    question: str  # the core question
    conversation: Sequence[tuple[str, str]]  # (what the interviewer asked, what was answered)
    missing: Sequence[str]  # key points not made yet
    prompts: Sequence[str]  # the bank's follow-up prompts for this question
    gave_up: bool = False  # the last answer was "I don't know" (or as good as)
    # Every follow-up asked earlier in the interview, so that their openings vary.
    earlier: Sequence[str] = ()


@dataclass(frozen=True)
class WrittenFollowUp:
    followup_type: str
    text: str
    engine: str = "local"
    fallback: str = ""


@dataclass(frozen=True)
class WrittenSummary:
    text: str
    engine: str = "local"
    fallback: str = ""


@dataclass(frozen=True)
class AdviceRequest:
    """A student's message to the chat coach, the conversation so far and what to answer from."""

    message: str
    # The earlier messages, oldest first, as ("student" | "coach", text).
    history: Sequence[tuple[str, str]]
    library: Library


@dataclass(frozen=True)
class Advice:
    text: str  # at most ADVICE_WORDS words
    kind: str  # answer | unknown (nothing in the material) | off_topic (refused)
    sources: tuple[str, ...] = ()  # the passages it quotes (Passage.key)
    practice: tuple[str, str] | None = None  # (track, skill) to practise it in
    engine: str = "local"
    fallback: str = ""


ADVICE_WORDS = 120


# Receives the question text written so far, while a provider streams it.
OnDelta = Callable[[str], None]


class Engine(Protocol):
    name: str

    # Evaluates and writes without a network call (in milliseconds), so the flow evaluates,
    # decides and asks in one transaction.
    @property
    def instant(self) -> bool: ...

    def evaluate(self, item: AnswerToEvaluate) -> EvaluationResult:
        """Return the rubric's verdict on one answer."""
        ...

    def write_question(self, brief: QuestionBrief, on_delta: OnDelta) -> WrittenQuestion:
        """Return the next core question (the bank's, or one written for this candidate)."""
        ...

    def write_followup(self, brief: FollowUpBrief) -> WrittenFollowUp:
        """Return the follow-up question to ask."""
        ...

    def write_summary(self, report: dict[str, Any], summary: str) -> WrittenSummary:
        """Return the report's narrative, given the built report and its template summary."""
        ...

    def advise(self, request: AdviceRequest) -> Advice:
        """Answer a student's question about interviewing from the library's material."""
        ...
