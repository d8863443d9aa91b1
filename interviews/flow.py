"""The worker steps of an interview: evaluate the answer, decide and ask, or finish; and fail.

Each step is idempotent: it checks the state under the row lock and does nothing when the work
is already done, so a redelivered task is harmless. Slow work (the engine) runs between two
short transactions, never while the row is locked.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
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
from interviews.services import lock, move, open_turn, queryset_for_type
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
    with transaction.atomic():
        interview = lock(interview_id)
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

    with transaction.atomic():
        interview = lock(interview_id)
        if interview.state != State.EVALUATING:
            return
        for answer, result in results:
            _, created = Evaluation.objects.get_or_create(
                answer=answer, defaults=_evaluation_fields(result)
            )
            if created:
                emit(interview, "evaluated", turn=answer.turn.position)
    advance_interview(interview_id)


# --- Deciding and asking -------------------------------------------------------------------------


def _ask(interview: Interview, **turn_fields: object) -> Turn:
    """Create the turn, tell the room, and wait for the answer."""
    if interview.state != State.ASKING:
        move(interview, State.ASKING)
    last = interview.turns.order_by("-position").first()
    turn = Turn.objects.create(
        interview=interview, position=(last.position if last else 0) + 1, **turn_fields
    )
    emit(
        interview,
        "question",
        turn=turn.position,
        text=turn.text,
        kind=turn.kind,
        followup_type=turn.followup_type,
        skill=turn.skill.name if turn.skill else "",
        number=turn.number,
        total=interview.num_questions,
        audio_url=None,
    )
    move(interview, State.LISTENING)
    return turn


def _pick_question(interview: Interview) -> Question | None:
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
            question = item.question
            if question.pk not in asked_ids and not is_repeat(question.text, asked_texts):
                return question
        return None
    pool = queryset_for_type(interview.interview_type, interview.track, interview.organization_id)
    candidates = [
        Candidate(**row)
        for row in pool.values("id", "text", "skill_id", "difficulty", "level_min", "level_max")
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
    return Question.objects.select_related("skill").get(pk=chosen.id) if chosen else None


def _ask_core(interview: Interview) -> None:
    question = _pick_question(interview)
    if question is None:
        log.warning("Interview %s ran out of questions", interview.pk)
        _complete(interview)
        return
    interview.questions_asked += 1
    interview.save(update_fields=["questions_asked", "updated_at"])
    _ask(
        interview,
        number=interview.questions_asked,
        kind=Turn.Kind.CORE,
        question=question,
        skill=question.skill,
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
    """Ask the first question, or decide after an evaluated answer: follow up, next, or end."""
    from interviews import tasks

    with transaction.atomic():
        interview = lock(interview_id)
        if interview.state == State.ASKING and open_turn(interview) is None:
            _ask_core(interview)
            return
        if interview.state != State.EVALUATING:
            return
        if interview.answers.filter(evaluation__isnull=True).exists():
            tasks.evaluate_answers.delay_on_commit(str(interview.pk))
            return
        move(interview, State.DECIDING)

        last_core = interview.turns.filter(kind=Turn.Kind.CORE).order_by("-position").first()
        if last_core is None:
            _complete(interview)
            return
        group = list(
            interview.turns.filter(number=last_core.number)
            .order_by("position")
            .select_related("answer__evaluation", "question")
        )
        evaluation = _evaluation_of(group[-1])
        need = (
            FollowUpNeed(evaluation.followup_needed, evaluation.followup_type)
            if evaluation
            else FollowUpNeed(False)
        )
        decision = decide(
            need=need,
            question_score=question_score(
                [t.answer.evaluation.overall for t in group if _evaluation_of(t) is not None]
            ),
            followups_asked=len(group) - 1,
            core_asked=last_core.number,
            total=interview.num_questions,
            difficulty=interview.difficulty,
            end_requested=interview.end_requested,
        )
        if decision.action == "followup" and last_core.question is not None:
            core_question = last_core.question
            text = get_engine().write_followup(
                decision.followup_type,
                prompts=[p.text for p in core_question.follow_ups.all()],
                used=[t.text for t in group[1:]],
                missing=[p["key_point"] for p in evaluation.key_points if not p["covered"]]
                if evaluation
                else [],
            )
            _ask(
                interview,
                number=last_core.number,
                kind=Turn.Kind.FOLLOWUP,
                followup_type=decision.followup_type,
                question=core_question,
                skill=last_core.skill,
                text=text,
                difficulty=last_core.difficulty,
            )
        elif decision.action == "end" or last_core.number >= interview.num_questions:
            _complete(interview)
        else:
            interview.difficulty = decision.difficulty
            interview.save(update_fields=["difficulty", "updated_at"])
            _ask_core(interview)


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
        with transaction.atomic():
            interview = lock(interview_id)
            step = State(interview.state)
            if step not in WORKER_STATES | {State.ASKING}:
                return
            message = FAILURE_MESSAGE.format(step=STEP_WORDS[step])
            move(interview, State.ERROR, resume_to=step, error_message=message)
            emit(interview, "error", code="step_failed", message=message)
    except NotFound:
        log.warning("Interview %s vanished before its failure was recorded", interview_id)
