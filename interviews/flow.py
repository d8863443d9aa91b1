"""The worker steps of an interview: evaluate the answer, decide and ask, or finish; and fail.

Each step is idempotent: it checks the state under the row lock and does nothing when the work
is already done, so a redelivered task is harmless. Slow work (the engine) runs between two
short transactions, never while the row is locked.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from interviews import resumes, speech, voice
from interviews.engine import get_engine
from interviews.engine.base import (
    AnswerToEvaluate,
    Engine,
    EvaluationResult,
    FollowUpBrief,
    QuestionBrief,
    WrittenQuestion,
)
from interviews.engine.local.followup import FollowUpNeed, decide
from interviews.engine.local.picker import Candidate, choose, is_repeat
from interviews.engine.rubric import question_score
from interviews.errors import NotFound
from interviews.events import emit, push
from interviews.models import Answer, Interview, Turn
from interviews.profiles import JobProfile, ResumeProfile, anchors, job_summary, resume_summary
from interviews.services import change, locked, move, open_turn, queryset_for_type
from interviews.state import WORKER_STATES, State
from questionbank.models import Level, Question, QuestionSetItem
from reports.models import Evaluation

log = logging.getLogger(__name__)


# --- Evaluating ----------------------------------------------------------------------------------


def _to_evaluate(answer: Answer, cores: dict[int, str]) -> AnswerToEvaluate:
    turn, question = answer.turn, answer.turn.question
    # A question the LLM wrote carries its own reference and key points.
    if turn.reference or turn.key_points:
        reference, key_points = turn.reference, list(turn.key_points)
    elif question is not None:
        reference = question.reference_answer
        key_points = [p.text for p in question.key_points.all()]
    else:
        reference, key_points = "", []
    return AnswerToEvaluate(
        question=turn.text,
        reference=reference,
        key_points=key_points,
        answer=answer.text,
        question_type=question.type if question else "technical",
        skipped=answer.kind == Answer.Kind.SKIPPED,
        follows=cores.get(turn.number, "") if turn.kind == Turn.Kind.FOLLOWUP else "",
    )


def _to_evaluate_all(interview: Interview, answers: list[Answer]) -> list[AnswerToEvaluate]:
    """What each answer is judged against; a follow-up's with the core question it follows."""
    numbers = {a.turn.number for a in answers if a.turn.kind == Turn.Kind.FOLLOWUP}
    # No query when there is no follow-up: Django answers an empty `__in` itself.
    cores = interview.turns.filter(kind=Turn.Kind.CORE, number__in=numbers)
    texts = dict(cores.values_list("number", "text"))
    return [_to_evaluate(answer, texts) for answer in answers]


def _evaluation_fields(result: EvaluationResult) -> dict[str, object]:
    scores = result.scores
    return {
        **scores.as_dict(),
        "overall": scores.overall(),
        "key_points": result.key_points,
        "strengths": result.strengths,
        "missing": result.missing,
        "red_flags": result.red_flags,
        "seniority_signals": result.seniority_signals,
        "signals": result.signals,
        "followup_needed": result.followup_needed,
        "followup_type": result.followup_type,
        "followup_reason": result.followup_reason[:300],
        "engine": result.engine,
        "fallback": result.fallback[:200],
    }


def evaluate_answers(interview_id: uuid.UUID | str) -> None:
    """Evaluate every answer of the interview that has no evaluation yet, then decide and ask.

    Deciding and asking run in the same task, straight after: another trip through the queue
    would add its wait to every answer's latency. Each part is idempotent, so a retry is safe.
    An instant engine does the whole step in one transaction (it takes milliseconds, and every
    transaction is several round trips to the database); a spoken answer, or an engine that
    calls a provider, is heard and evaluated between two.
    """
    engine = get_engine()
    with locked(interview_id) as interview:
        if interview.state == State.PROCESSING:
            move(interview, State.EVALUATING)
        elif interview.state != State.EVALUATING:
            return
        pending = list(
            Answer.objects.filter(interview=interview, evaluation__isnull=True)
            .select_related("turn__question")
            .prefetch_related("turn__question__key_points")
        )
        if engine.instant and not voice.to_hear(pending):
            items = _to_evaluate_all(interview, pending)
            _store_evaluations(
                interview, [(a, engine.evaluate(i)) for a, i in zip(pending, items, strict=True)]
            )
            _decide_and_maybe_ask(interview, engine)
            return

    # A spoken answer is transcribed and measured first: the evaluation reads its transcript.
    if not voice.hear(interview_id, pending):
        return
    items = _to_evaluate_all(interview, pending)
    results = [(answer, engine.evaluate(item)) for answer, item in zip(pending, items, strict=True)]

    with locked(interview_id) as interview:
        if interview.state != State.EVALUATING:
            return
        # A task redelivered meanwhile may have evaluated these and the student answered again.
        done = set(
            Evaluation.objects.filter(answer__in=pending).values_list("answer_id", flat=True)
        )
        _store_evaluations(interview, [(a, r) for a, r in results if a.pk not in done])
        step = _decide_and_maybe_ask(interview, engine)
    if step is not None:
        _write_and_ask(interview_id, step, engine)


def _store_evaluations(
    interview: Interview, results: list[tuple[Answer, EvaluationResult]]
) -> None:
    """Store the evaluations of answers that have none on the locked (evaluating) interview,
    and move on to deciding."""
    Evaluation.objects.bulk_create(
        Evaluation(answer=answer, **_evaluation_fields(result)) for answer, result in results
    )
    for answer, _ in results:
        emit(interview, "evaluated", turn=answer.turn.position)
    move(interview, State.DECIDING)


def advance_interview(interview_id: uuid.UUID | str) -> None:
    """Move a waiting interview on: ask the first question, or decide and ask the next."""
    from interviews import tasks

    with locked(interview_id) as interview:
        if interview.state == State.EVALUATING:
            if interview.answers.filter(evaluation__isnull=True).exists():
                tasks.evaluate_answers.delay_on_commit(str(interview.pk))
                return
            move(interview, State.DECIDING)
        elif interview.state == State.ASKING:
            if open_turn(interview) is not None:
                return
        elif interview.state != State.DECIDING:
            return
        engine = get_engine()
        step = _decide_and_maybe_ask(interview, engine)
    if step is not None:
        _write_and_ask(interview_id, step, engine)


# --- Deciding ------------------------------------------------------------------------------------


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


def _turns(interview: Interview) -> list[Turn]:
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
    evaluation = _evaluation_of(last)
    need = (
        FollowUpNeed(
            evaluation.followup_needed,
            evaluation.followup_type,
            once=evaluation.gave_up,
        )
        if evaluation
        else FollowUpNeed(False)
    )
    decision = decide(
        need=need,
        question_score=question_score(
            [e.overall for e in map(_evaluation_of, group) if e is not None]
        ),
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


def _decide_and_maybe_ask(interview: Interview, engine: Engine) -> Step | None:
    """Decide on the locked interview; an instant engine's question is asked at once.

    Returns the step still to write (outside the lock) and ask, for an engine that takes time.
    """
    step = _decide(interview, brief=not engine.instant)
    if step is None or not engine.instant:
        return step
    _ask_written(interview, step, _write(step, engine))
    return None


def _decide(interview: Interview, *, brief: bool) -> Step | None:
    """On the locked interview (deciding, or asking its first question): finish, or plan a step.

    `brief`: gather what a writing engine needs for a core question (else the bank's is asked);
    always for an interview about the candidate's resume or a job, which even the local engine
    words for them.
    """
    turns = _turns(interview)
    plan = _plan(interview, turns)
    if plan.action == "end":
        _complete(interview)
        return None
    if plan.action == "followup":
        return Step(plan, interview.state, followup_brief=_followup_brief(plan))
    candidate = _pick_question(interview, turns)
    if candidate is None:
        if interview.state != State.DECIDING:
            raise RuntimeError(f"Interview {interview.pk} has no question to start with")
        log.warning("Interview %s ran out of questions", interview.pk)
        _complete(interview)
        return None
    personal = bool(interview.resume_profile or interview.job_profile)
    if (brief or personal) and interview.question_set_id is None:
        return Step(
            plan,
            interview.state,
            candidate=candidate,
            question_brief=_question_brief(interview, turns, candidate, plan),
        )
    return Step(plan, interview.state, candidate=candidate)


# --- Asking --------------------------------------------------------------------------------------


def _write_and_ask(interview_id: uuid.UUID | str, step: Step, engine: Engine) -> None:
    """Write the decided question outside the lock (a provider takes seconds), then ask it.

    The question is dropped if the interview moved on meanwhile (another task asked first, or
    the student paused); if the student ended the interview meanwhile, it finishes instead.
    """
    fields = _write(step, engine)
    with locked(interview_id) as interview:
        if interview.state != step.state or interview.turns.count() + 1 != step.plan.position:
            return
        if interview.end_requested and interview.state == State.DECIDING:
            _complete(interview)
            return
        _ask_written(interview, step, fields)


def _write(step: Step, engine: Engine) -> dict[str, Any]:
    """The next turn's fields, its text written by the engine."""
    plan = step.plan

    def on_delta(text: str) -> None:
        """Show the question as the provider writes it (not logged: the `question` is)."""
        message = {"type": "question.delta", "seq": None, "turn": plan.position, "text": text}
        push(plan.interview_id, [message])

    if step.followup_brief is not None:
        followup = engine.write_followup(step.followup_brief)
        core = plan.group[0]
        return {
            "kind": Turn.Kind.FOLLOWUP,
            "number": core.number,
            "followup_type": followup.followup_type,
            "question": core.question,
            "skill": core.skill,
            "skill_name": core.skill.name if core.skill else "",
            "text": followup.text,
            "difficulty": core.difficulty,
            "reference": core.reference,
            "key_points": core.key_points,
            "engine": followup.engine,
            "fallback": followup.fallback[:200],
        }
    candidate = step.candidate
    assert candidate is not None
    written = (
        engine.write_question(step.question_brief, on_delta)
        if step.question_brief is not None
        else WrittenQuestion(candidate.text, engine=engine.name)  # the bank's or the set's
    )
    return {
        "kind": Turn.Kind.CORE,
        "question_id": candidate.id,
        "skill_id": candidate.skill_id,
        "skill_name": candidate.skill_name,
        "text": written.text,
        "difficulty": candidate.difficulty,
        "reference": written.reference,
        "key_points": list(written.key_points),
        "engine": written.engine,
        "fallback": written.fallback[:200],
    }


def _ask_written(interview: Interview, step: Step, fields: dict[str, Any]) -> None:
    """Ask the written turn on the locked interview."""
    if fields["kind"] == Turn.Kind.CORE:
        change(
            interview,
            questions_asked=interview.questions_asked + 1,
            difficulty=step.plan.difficulty,
        )
        fields = {**fields, "number": interview.questions_asked}
    _ask(interview, position=step.plan.position, **fields)


def _ask(interview: Interview, *, skill_name: str, **turn_fields: Any) -> Turn:
    """Create the turn, tell the room, and wait for the answer."""
    if interview.state != State.ASKING:
        move(interview, State.ASKING)
    turn = Turn.objects.create(interview=interview, **turn_fields)
    emit(
        interview,
        "question",
        turn=turn.position,
        text=turn.text,
        kind=turn.kind,
        followup_type=turn.followup_type,
        skill=skill_name,
        number=turn.number,
        total=interview.num_questions,
        audio_url=speech.audio_url(turn),
    )
    move(interview, State.LISTENING)
    return turn


def _pick_question(interview: Interview, turns: list[Turn]) -> Candidate | None:
    """Return the next core question: the set's next, or the bank's best fit."""
    asked = [(t.question_id, t.text, t.skill_id) for t in turns if t.kind == Turn.Kind.CORE]
    asked_ids = {qid for qid, _, _ in asked if qid}
    asked_texts = [text for _, text, _ in asked]
    if interview.question_set_id is not None:
        items = QuestionSetItem.objects.filter(
            question_set_id=interview.question_set_id,
            question__status=Question.Status.PUBLISHED,
        ).select_related("question__skill")
        for item in items.order_by("position", "pk"):
            q = item.question
            if q.pk not in asked_ids and not is_repeat(q.text, asked_texts):
                return Candidate(
                    q.pk, q.text, q.skill_id, q.difficulty, q.level_min, q.level_max, q.skill.name
                )
        return None
    pool = queryset_for_type(
        interview.interview_type, interview.track_id, interview.organization_id
    )
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
        words = resumes.vocabulary()
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
    scores = [e.overall for e in map(_evaluation_of, turns) if e is not None]
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
    bank = Question.objects.prefetch_related("key_points").get(pk=candidate.id)
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
            "claimed": resumes.vocabulary().terms_for(candidate.skill_id, profile.skills),
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
        question_type=bank.type,
        **personal,
    )


def _followup_brief(plan: Plan) -> FollowUpBrief:
    core, last = plan.group[0], plan.group[-1]
    evaluation = _evaluation_of(last)
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
    )


def _evaluation_of(turn: Turn) -> Evaluation | None:
    answer = getattr(turn, "answer", None)
    return getattr(answer, "evaluation", None) if answer is not None else None


def _complete(interview: Interview) -> None:
    from interviews import tasks

    move(interview, State.COMPLETE, completed_at=timezone.now())
    emit(interview, "completed", report_url=reverse("report", args=[interview.pk]))
    tasks.generate_report.delay_on_commit(str(interview.pk))


# --- Failing -------------------------------------------------------------------------------------

FAILURE_MESSAGE = (
    "Something went wrong on our side while {step}. Your answers are saved. "
    "Press Resume to try again."
)
STEP_WORDS = {
    State.ASKING: "choosing your next question",
    State.PROCESSING: "considering your answer",
    State.EVALUATING: "considering your answer",
    State.DECIDING: "choosing your next question",
    State.GENERATING_REPORT: "writing your report",
}


def interview_fail(interview_id: uuid.UUID | str, error: BaseException | None = None) -> None:
    """Stop the interview in `error` after a step failed for good; the answers stay."""
    try:
        with locked(interview_id) as interview:
            step = State(interview.state)
            if step not in WORKER_STATES | {State.ASKING}:
                return
            if isinstance(error, voice.NotTranscribed):
                message = f"{error} Press Resume to try again."
            else:
                message = FAILURE_MESSAGE.format(step=STEP_WORDS[step])
            move(interview, State.ERROR, resume_to=step, error_message=message)
            emit(interview, "error", code="step_failed", message=message)
    except NotFound:
        log.warning("Interview %s vanished before its failure was recorded", interview_id)
