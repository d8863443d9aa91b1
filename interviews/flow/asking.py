"""Asking: the interviewer's next question written (outside any lock) and put to the student.

A question written for an interview that moved on meanwhile (ended, or asked by a redelivered
task) is dropped. An instant engine decides and asks in the transaction that evaluated.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone

from ai import get_engine
from ai.base import Engine, WrittenQuestion
from interviews import coding, tasks
from interviews.events import push
from interviews.flow.deciding import Step, decide
from interviews.models import Turn
from interviews.selectors import open_turn, question_audio_url
from interviews.signals import report_wanted
from interviews.state import State
from interviews.work import Work, locked
from questionbank.models import CodingProblem


def advance_interview(interview_id: uuid.UUID | str) -> None:
    """Move a waiting interview on: ask the first question, or decide and ask the next."""
    with locked(interview_id) as work:
        interview = work.interview
        if interview.state == State.EVALUATING:
            if interview.answers.filter(evaluation__isnull=True).exists():
                tasks.evaluate_answers.delay_on_commit(str(interview.pk))
                return
            work.move(State.DECIDING)
        elif interview.state == State.ASKING:
            if open_turn(interview) is not None:
                return
        elif interview.state != State.DECIDING:
            return
        engine = get_engine()
        step = decide_and_maybe_ask(work, engine)
    if step is not None:
        write_and_ask(interview_id, step, engine)


def decide_and_maybe_ask(work: Work, engine: Engine) -> Step | None:
    """Decide on the locked interview: finish it, or ask an instant engine's question at once.

    Returns the step still to write (outside the lock) and ask, for an engine that takes time.
    """
    step = decide(work.interview, brief=not engine.instant)
    if step.plan.action == "end":
        complete(work)
        return None
    if not engine.instant:
        return step
    _ask_written(work, step, _write(step, engine))
    return None


def write_and_ask(interview_id: uuid.UUID | str, step: Step, engine: Engine) -> None:
    """Write the decided question outside the lock (a provider takes seconds), then ask it.

    The question is dropped if the interview moved on meanwhile (another task asked first, or
    the student paused); if the student ended the interview meanwhile, it finishes instead.
    """
    fields = _write(step, engine)
    with locked(interview_id) as work:
        interview = work.interview
        if interview.state != step.state or interview.turns.count() + 1 != step.plan.position:
            return
        if interview.end_requested and interview.state == State.DECIDING:
            complete(work)
            return
        _ask_written(work, step, fields)


def complete(work: Work) -> None:
    """End the interview; its report is written next (by the reports app)."""
    interview = work.interview
    work.move(State.COMPLETE, completed_at=timezone.now())
    work.emit("completed", report_url=reverse("report", args=[interview.pk]))
    report_wanted.send(sender=type(interview), interview_id=str(interview.pk))


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
            "red_flags": core.red_flags,
            "engine": followup.engine,
            "fallback": followup.fallback[:200],
        }
    candidate = step.candidate
    assert candidate is not None
    if step.coding_step:
        problem = CodingProblem.objects.select_related("question").get(pk=candidate.id)
        return {
            "kind": Turn.Kind.CORE,
            "question_id": candidate.id,
            "skill_id": candidate.skill_id,
            "skill_name": candidate.skill_name,
            "difficulty": candidate.difficulty,
            "red_flags": [],
            "engine": "local",
            **coding.step_turn(problem, step.coding_step),
        }
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
        "red_flags": list(written.red_flags),
        "engine": written.engine,
        "fallback": written.fallback[:200],
    }


def _ask_written(work: Work, step: Step, fields: dict[str, Any]) -> None:
    """Ask the written turn on the locked interview."""
    interview = work.interview
    if fields["kind"] == Turn.Kind.CORE:
        work.change(questions_asked=interview.questions_asked + 1, difficulty=step.plan.difficulty)
        fields = {**fields, "number": interview.questions_asked}
    _ask(work, position=step.plan.position, **fields)


def _ask(work: Work, *, skill_name: str, **turn_fields: Any) -> Turn:
    """Create the turn, tell the room, and wait for the answer."""
    interview = work.interview
    if interview.state != State.ASKING:
        work.move(State.ASKING)
    turn = Turn.objects.create(interview=interview, **turn_fields)
    work.emit(
        "question",
        turn=turn.position,
        text=turn.text,
        kind=turn.kind,
        followup_type=turn.followup_type,
        skill=skill_name,
        number=turn.number,
        total=interview.num_questions,
        audio_url=question_audio_url(turn),
        **coding.question_extra(turn),
    )
    work.move(State.LISTENING)
    return turn
