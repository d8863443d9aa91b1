"""Deciding what the interviewer does next: a follow-up, the next core question, or the end.

Reads only: the plan comes from the stored turns and evaluations, so the same plan comes out
however often it is worked out (after a retry, a resume or a redelivered task). Asking what was
decided is interviews.flow.asking's.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import F, Q

from ai.base import FollowUpBrief, QuestionBrief
from ai.local.followup import FollowUpNeed
from ai.local.followup import decide as decide_followup
from ai.local.picker import Candidate, choose, is_repeat
from ai.rubric import question_score
from interviews import coding
from interviews.models import Answer, Evaluation, Interview, Turn
from interviews.selectors import questions_for
from interviews.state import State
from questionbank.models import Level, Question, QuestionSetItem
from resumes.reading.focus import anchors, job_summary, resume_summary
from resumes.reading.job import JobProfile
from resumes.reading.resume import ResumeProfile
from resumes.selectors import vocabulary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What the interviewer does next, worked out from the stored turns and evaluations.

    Nothing is stored while deciding, so the same plan comes out however often it is worked
    out: after a retry, a resume or a redelivered task.
    """

    interview_id: uuid.UUID
    action: str  # "core" | "followup" | "end"
    position: int  # the next turn's position
    group: tuple[Turn, ...] = ()  # the current core question and its follow-ups so far
    followup_type: str = ""
    difficulty: int = 5


@dataclass(frozen=True)
class Step:
    """A decided next question, to be written outside the lock and then asked."""

    plan: Plan
    state: str  # the state the interview waits in meanwhile (asking or deciding)
    candidate: Candidate | None = None  # the bank's question (for a core question)
    question_brief: QuestionBrief | None = None
    followup_brief: FollowUpBrief | None = None
    coding_step: str = ""  # a coding interview's step to ask (its problem is the candidate)


def turns_of(interview: Interview) -> list[Turn]:
    """Return the interview's turns so far, in order, with what deciding reads of them."""
    return list(
        interview.turns.order_by("position").select_related(
            "answer__evaluation", "question", "skill"
        )
    )


def _plan(interview: Interview, turns: list[Turn]) -> Plan:
    position = len(turns) + 1
    group = tuple(t for t in turns if t.number == interview.questions_asked)
    if not group:
        return Plan(interview.pk, "core", position, difficulty=interview.difficulty)
    core, last = group[0], group[-1]
    evaluation = evaluation_of(last)
    need = (
        FollowUpNeed(
            evaluation.followup_needed,
            evaluation.followup_type,
            once=evaluation.gave_up,
        )
        if evaluation
        else FollowUpNeed(False)
    )
    decision = decide_followup(
        need=need,
        question_score=question_score(
            [e.overall for e in map(evaluation_of, group) if e is not None]
        ),
        last_score=evaluation.overall if evaluation else None,
        followups_asked=len(group) - 1,
        core_asked=core.number,
        total=interview.num_questions,
        difficulty=interview.difficulty,
        end_requested=interview.end_requested,
    )
    if decision.action == "followup":
        return Plan(
            interview.pk, "followup", position, group, decision.followup_type, core.difficulty
        )
    if decision.action == "end" or core.number >= interview.num_questions:
        return Plan(interview.pk, "end", position)
    return Plan(interview.pk, "core", position, difficulty=decision.difficulty)


def decide(interview: Interview, *, brief: bool) -> Step:
    """Plan the next step of the locked interview (deciding, or asking its first question).

    `brief`: gather what a writing engine needs for a core question (else the bank's is asked);
    always for an interview about the candidate's resume or a job, which even the local engine
    words for them. A step whose plan is "end" finishes the interview.
    """
    turns = turns_of(interview)
    plan = _plan(interview, turns)
    if plan.action == "end":
        return Step(plan, interview.state)
    if plan.action == "followup":
        return Step(plan, interview.state, followup_brief=_followup_brief(plan, turns))
    candidate = _pick_question(interview, turns)
    if candidate is None:
        if interview.state != State.DECIDING:
            raise RuntimeError(f"Interview {interview.pk} has no question to start with")
        log.warning("Interview %s ran out of questions", interview.pk)
        return Step(replace(plan, action="end"), interview.state)
    if coding.is_coding(interview):
        return Step(plan, interview.state, candidate=candidate, coding_step=coding.next_step(turns))
    personal = bool(interview.resume_profile or interview.job_profile)
    if (brief or personal) and interview.question_set_id is None:
        return Step(
            plan,
            interview.state,
            candidate=candidate,
            question_brief=_question_brief(interview, turns, candidate, plan),
        )
    return Step(plan, interview.state, candidate=candidate)


def _pick_question(interview: Interview, turns: list[Turn]) -> Candidate | None:
    """Return the next core question: the set's next, or the bank's best fit."""
    asked = [(t.question_id, t.text, t.skill_id) for t in turns if t.kind == Turn.Kind.CORE]
    asked_ids = {qid for qid, _, _ in asked if qid}
    asked_texts = [text for _, text, _ in asked]
    first = next((t for t in turns if t.kind == Turn.Kind.CORE), None)
    if coding.is_coding(interview) and first is not None:
        # Every step is about the problem the first one asked.
        q = first.question
        if q is None:
            return None
        return Candidate(
            q.pk, q.text, q.skill_id, q.difficulty, q.level_min, q.level_max, q.skill.name
        )
    if interview.question_set_id is not None:
        # Only the set's published questions of the interview's track that its student may see
        # (a set edited since, or curated in the admin, is not trusted to hold only those).
        items = QuestionSetItem.objects.filter(
            Q(question__owner__isnull=True) | Q(question__owner_id=interview.organization_id),
            question_set_id=interview.question_set_id,
            question__status=Question.Status.PUBLISHED,
            question__track_id=interview.track_id,
        ).select_related("question__skill")
        for item in items.order_by("position", "pk"):
            q = item.question
            if q.pk not in asked_ids and not is_repeat(q.text, asked_texts):
                return Candidate(
                    q.pk, q.text, q.skill_id, q.difficulty, q.level_min, q.level_max, q.skill.name
                )
        return None
    pool = questions_for(interview.interview_type, interview.track_id, interview.organization_id)
    candidates = [
        Candidate(**row)
        for row in pool.values(
            "id",
            "text",
            "skill_id",
            "difficulty",
            "level_min",
            "level_max",
            skill_name=F("skill__name"),
        )
    ]
    seen_before = set(
        Turn.objects.filter(interview__user_id=interview.user_id, question__isnull=False)
        .exclude(interview=interview)
        .values_list("question_id", flat=True)
    )
    skills = list(interview.skills.order_by("pk").values_list("pk", flat=True))
    claims = interview.resume_profile.get("skills", [])
    claimed: frozenset[int] = frozenset()
    if claims:
        words = vocabulary()
        claimed_names = {words.canonical(c).lower() for c in claims}
        claimed = frozenset(
            c.id for c in candidates if any(t.lower() in claimed_names for t in words.find(c.text))
        )
    return choose(
        candidates,
        level=interview.level,
        difficulty=interview.difficulty,
        # A personalised interview covers its focus first, in order.
        skill_order=[s for s in interview.focus if s in skills]
        + [s for s in skills if s not in interview.focus],
        asked_ids=asked_ids,
        asked_texts=asked_texts,
        asked_skills=[skill for _, _, skill in asked if skill],
        seen_before=seen_before,
        seed=str(interview.pk),
        claimed=claimed,
    )


def _trend(turns: list[Turn]) -> str:
    scores = [e.overall for e in map(evaluation_of, turns) if e is not None]
    if not scores:
        return "No answers yet."
    recent = ", ".join(f"{score:.1f}" for score in scores[-4:])
    direction = (
        "improving"
        if len(scores) > 1 and scores[-1] > scores[0] + 1
        else "slipping"
        if len(scores) > 1 and scores[-1] < scores[0] - 1
        else "steady"
    )
    return f"Recent answer scores out of 10 (oldest first): {recent}; {direction}."


def _question_brief(
    interview: Interview, turns: list[Turn], candidate: Candidate, plan: Plan
) -> QuestionBrief:
    covered = sorted({t.skill.name for t in turns if t.skill})
    chosen = list(interview.skills.order_by("pk").values_list("name", flat=True))
    bank = Question.objects.prefetch_related("key_points", "red_flags").get(pk=candidate.id)
    personal: dict[str, Any] = {}
    if interview.resume_profile:
        profile = ResumeProfile.from_dict(interview.resume_profile)
        behavioural_asked = sum(
            1
            for t in turns
            if t.kind == Turn.Kind.CORE and t.question and t.question.type == "behavioural"
        )
        places = anchors(profile)
        personal |= {
            "resume": resume_summary(profile),
            "claimed": vocabulary().terms_for(candidate.skill_id, profile.skills),
            "anchor": places[behavioural_asked] if behavioural_asked < len(places) else None,
        }
    if interview.job_profile:
        job = JobProfile.from_dict(interview.job_profile)
        personal["job_description"] = job_summary(job, interview.job_description)
    return QuestionBrief(
        role=interview.track.name,
        level=Level(interview.level).label.lower(),
        interview_type=interview.get_interview_type_display().lower(),
        skill=candidate.skill_name,
        skills_covered=covered,
        skills_to_cover=[name for name in chosen if name not in covered],
        difficulty=plan.difficulty,
        trend=_trend(turns),
        asked=[(t.kind, t.text) for t in turns],
        bank_question=bank.text,
        bank_reference=bank.reference_answer,
        bank_key_points=[p.text for p in bank.key_points.all()],
        bank_red_flags=[p.text for p in bank.red_flags.all()],
        question_type=bank.type,
        **personal,
    )


def _followup_brief(plan: Plan, turns: list[Turn]) -> FollowUpBrief:
    core, last = plan.group[0], plan.group[-1]
    evaluation = evaluation_of(last)
    conversation = []
    for turn in plan.group:
        answer = getattr(turn, "answer", None)
        conversation.append(
            (
                turn.text,
                "(skipped)"
                if answer is None or answer.kind == Answer.Kind.SKIPPED
                else answer.text,
            )
        )
    return FollowUpBrief(
        followup_type=plan.followup_type,
        reason=evaluation.followup_reason if evaluation else "",
        question=core.text,
        conversation=conversation,
        missing=[p["key_point"] for p in evaluation.key_points if not p["covered"]]
        if evaluation
        else [],
        # The bank's prompts fit the bank's question, not one written for this candidate.
        prompts=[p.text for p in core.question.follow_ups.all()]
        if core.question and not core.reference
        else [],
        gave_up=bool(evaluation and evaluation.gave_up),
        earlier=[t.text for t in turns if t.kind == Turn.Kind.FOLLOWUP],
    )


def evaluation_of(turn: Turn) -> Evaluation | None:
    answer = getattr(turn, "answer", None)
    return getattr(answer, "evaluation", None) if answer is not None else None
