"""The worker steps of an interview: evaluate the answer, decide and ask, or finish; and fail.

Each step is idempotent: it checks the state under the row lock and does nothing when the work
is already done, so a redelivered task is harmless. Slow work (the engine) runs between two
short transactions, never while the row is locked.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from interviews.engine import get_engine
from interviews.engine.base import AnswerToEvaluate, EvaluationResult
from interviews.engine.local.followup import FollowUpNeed, decide
from interviews.engine.local.picker import Candidate, choose, is_repeat
from interviews.engine.rubric import question_score
from interviews.errors import NotFound
from interviews.events import emit
from interviews.models import Answer, Interview, Turn
from interviews.services import change, locked, move, open_turn, queryset_for_type
from interviews.state import WORKER_STATES, State
from questionbank.models import Question, QuestionSetItem
from reports.models import Evaluation

log = logging.getLogger(__name__)


# --- Evaluating ----------------------------------------------------------------------------------


def _to_evaluate(answer: Answer) -> AnswerToEvaluate:
    question = answer.turn.question
    return AnswerToEvaluate(
        question=answer.turn.text,
        reference=question.reference_answer if question else "",
        key_points=[p.text for p in question.key_points.all()] if question else [],
        answer=answer.text,
        question_type=question.type if question else "technical",
        skipped=answer.kind == Answer.Kind.SKIPPED,
    )


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
    }


def evaluate_answers(interview_id: uuid.UUID | str) -> None:
    """Evaluate every answer of the interview that has no evaluation yet, then decide.

    Deciding runs in the same task, straight after: a second trip through the queue would add
    its wait to every answer's latency. It is idempotent, so a retry of this task is safe.
    """
    with locked(interview_id) as interview:
        if interview.state == State.PROCESSING:
            move(interview, State.EVALUATING)
        elif interview.state != State.EVALUATING:
            return
        pending = list(
            Answer.objects.filter(interview=interview, evaluation__isnull=True).select_related(
                "turn__question"
            )
        )
        items = [(answer, _to_evaluate(answer)) for answer in pending]

    engine = get_engine()
    results = [(answer, engine.evaluate(item)) for answer, item in items]

    with locked(interview_id) as interview:
        if interview.state != State.EVALUATING:
            return
        for answer, result in results:
            _, created = Evaluation.objects.get_or_create(
                answer=answer, defaults=_evaluation_fields(result)
            )
            if created:
                emit(interview, "evaluated", turn=answer.turn.position)
        _decide_and_ask(interview)


# --- Deciding and asking -------------------------------------------------------------------------


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
        audio_url=None,
    )
    move(interview, State.LISTENING)
    return turn


def _pick_question(interview: Interview) -> Candidate | None:
    """Return the next core question: the set's next, or the bank's best fit."""
    asked = list(
        interview.turns.filter(kind=Turn.Kind.CORE).values_list("question_id", "text", "skill_id")
    )
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
    chosen = choose(
        candidates,
        level=interview.level,
        difficulty=interview.difficulty,
        skill_order=list(interview.skills.order_by("pk").values_list("pk", flat=True)),
        asked_ids=asked_ids,
        asked_texts=asked_texts,
        asked_skills=[skill for _, _, skill in asked if skill],
        seen_before=seen_before,
        seed=str(interview.pk),
    )
    return chosen


def _ask_core(interview: Interview, *, position: int) -> None:
    question = _pick_question(interview)
    if question is None:
        log.warning("Interview %s ran out of questions", interview.pk)
        _complete(interview)
        return
    change(interview, questions_asked=interview.questions_asked + 1)
    _ask(
        interview,
        position=position,
        number=interview.questions_asked,
        kind=Turn.Kind.CORE,
        question_id=question.id,
        skill_id=question.skill_id,
        skill_name=question.skill_name,
        text=question.text,
        difficulty=question.difficulty,
    )


def _evaluation_of(turn: Turn) -> Evaluation | None:
    answer = getattr(turn, "answer", None)
    return getattr(answer, "evaluation", None) if answer is not None else None


def _complete(interview: Interview) -> None:
    from interviews import tasks

    if interview.state != State.DECIDING:
        move(interview, State.DECIDING)
    move(interview, State.COMPLETE, completed_at=timezone.now())
    emit(interview, "completed", report_url=reverse("report", args=[interview.pk]))
    tasks.generate_report.delay_on_commit(str(interview.pk))


def advance_interview(interview_id: uuid.UUID | str) -> None:
    """Ask the first question, or decide after evaluated answers: follow up, next, or end."""
    from interviews import tasks

    with locked(interview_id) as interview:
        if interview.state == State.ASKING and open_turn(interview) is None:
            # Positions run 1, 2, 3… so the next one follows the number of turns.
            _ask_core(interview, position=interview.turns.count() + 1)
        elif interview.state == State.EVALUATING:
            if interview.answers.filter(evaluation__isnull=True).exists():
                tasks.evaluate_answers.delay_on_commit(str(interview.pk))
            else:
                _decide_and_ask(interview)


def _decide_and_ask(interview: Interview) -> None:
    """Decide on the locked, evaluated interview: a follow-up, the next question, or the end."""
    move(interview, State.DECIDING)
    # The current core question and its follow-ups, in order.
    group = list(
        interview.turns.filter(number=interview.questions_asked)
        .order_by("position")
        .select_related("answer__evaluation", "question", "skill")
    )
    if not group:
        _complete(interview)
        return
    core, last = group[0], group[-1]
    evaluation = _evaluation_of(last)
    need = (
        FollowUpNeed(evaluation.followup_needed, evaluation.followup_type)
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
    if decision.action == "followup" and core.question is not None:
        text = get_engine().write_followup(
            decision.followup_type,
            prompts=[p.text for p in core.question.follow_ups.all()],
            used=[t.text for t in group[1:]],
            missing=[p["key_point"] for p in evaluation.key_points if not p["covered"]]
            if evaluation
            else [],
        )
        _ask(
            interview,
            position=last.position + 1,
            number=core.number,
            kind=Turn.Kind.FOLLOWUP,
            followup_type=decision.followup_type,
            question=core.question,
            skill=core.skill,
            skill_name=core.skill.name if core.skill else "",
            text=text,
            difficulty=core.difficulty,
        )
    elif decision.action == "end" or core.number >= interview.num_questions:
        _complete(interview)
    else:
        change(interview, difficulty=decision.difficulty)
        _ask_core(interview, position=last.position + 1)


# --- Failing -------------------------------------------------------------------------------------

FAILURE_MESSAGE = (
    "Something went wrong on our side while {step}. Your answers are saved. "
    "Press Resume to try again."
)
STEP_WORDS = {
    State.ASKING: "choosing your next question",
    State.PROCESSING: "receiving your answer",
    State.EVALUATING: "considering your answer",
    State.DECIDING: "choosing your next question",
    State.GENERATING_REPORT: "writing your report",
}


def interview_fail(interview_id: uuid.UUID | str) -> None:
    """Stop the interview in `error` after a step failed for good; the answers stay."""
    try:
        with locked(interview_id) as interview:
            step = State(interview.state)
            if step not in WORKER_STATES | {State.ASKING}:
                return
            message = FAILURE_MESSAGE.format(step=STEP_WORDS[step])
            move(interview, State.ERROR, resume_to=step, error_message=message)
            emit(interview, "error", code="step_failed", message=message)
    except NotFound:
        log.warning("Interview %s vanished before its failure was recorded", interview_id)
