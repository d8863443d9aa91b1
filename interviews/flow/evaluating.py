"""Evaluating: each new answer judged on the rubric, then the interviewer decides and asks.

A recorded answer is heard first (interviews.flow.hearing, on the speech queue): evaluation reads
its transcript.
"""

from __future__ import annotations

import uuid

from ai import get_engine
from ai.base import AnswerToEvaluate, EvaluationResult
from interviews import coding, tasks
from interviews.flow.asking import decide_and_maybe_ask, write_and_ask
from interviews.flow.hearing import to_hear
from interviews.models import Answer, Evaluation, Interview, Turn
from interviews.state import State
from interviews.work import Work, locked


def _to_evaluate(answer: Answer, cores: dict[int, str]) -> AnswerToEvaluate:
    turn, question = answer.turn, answer.turn.question
    # A question written for this candidate carries its own reference, key points, red flags.
    if turn.reference or turn.key_points:
        reference, key_points = turn.reference, list(turn.key_points)
        red_flags = list(turn.red_flags)
    elif question is not None:
        reference = question.reference_answer
        key_points = [p.text for p in question.key_points.all()]
        red_flags = [p.text for p in question.red_flags.all()]
    else:
        reference, key_points, red_flags = "", [], []
    return AnswerToEvaluate(
        question=turn.text,
        reference=reference,
        key_points=key_points,
        answer=answer.text,
        # A coding step is judged as a technical answer against the step's key points.
        question_type=question.type if question and not turn.step else "technical",
        skipped=answer.kind == Answer.Kind.SKIPPED,
        follows=cores.get(turn.number, "") if turn.kind == Turn.Kind.FOLLOWUP else "",
        red_flags=red_flags,
        model_reference=not (turn.reference or turn.key_points),
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
        "mistakes": result.mistakes,
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
    transaction is several round trips to the database); an engine that calls a provider
    evaluates between two.
    """
    engine = get_engine()
    with locked(interview_id) as work:
        interview = work.interview
        if interview.state not in (State.PROCESSING, State.EVALUATING):
            return
        pending = list(
            Answer.objects.filter(interview=interview, evaluation__isnull=True)
            .select_related("turn__question")
            .prefetch_related("turn__question__key_points", "turn__question__red_flags")
        )
        if to_hear(pending):
            # A recording not heard yet (a redelivered or swept task): hear it first.
            tasks.hear_answers.delay_on_commit(str(interview.pk))
            return
        if interview.state == State.PROCESSING:
            work.move(State.EVALUATING)
        if engine.instant:
            items = _to_evaluate_all(interview, pending)
            _store_evaluations(
                work, [(a, engine.evaluate(i)) for a, i in zip(pending, items, strict=True)]
            )
            decide_and_maybe_ask(work, engine)
            return

    items = _to_evaluate_all(interview, pending)
    results = [(answer, engine.evaluate(item)) for answer, item in zip(pending, items, strict=True)]

    with locked(interview_id) as work:
        if work.interview.state != State.EVALUATING:
            return
        # A task redelivered meanwhile may have evaluated these and the student answered again.
        done = set(
            Evaluation.objects.filter(answer__in=pending).values_list("answer_id", flat=True)
        )
        _store_evaluations(work, [(a, r) for a, r in results if a.pk not in done])
        step = decide_and_maybe_ask(work, engine)
    if step is not None:
        write_and_ask(interview_id, step, engine)


def _store_evaluations(work: Work, results: list[tuple[Answer, EvaluationResult]]) -> None:
    """Store the evaluations of answers that have none on the locked (evaluating) interview,
    and move on to deciding."""
    Evaluation.objects.bulk_create(
        Evaluation(answer=answer, **_evaluation_fields(coding.judged(answer, result)))
        for answer, result in results
    )
    for answer, _ in results:
        work.emit("evaluated", turn=answer.turn.position)
    work.move(State.DECIDING)
