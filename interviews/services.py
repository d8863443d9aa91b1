"""What a student does to an interview: set it up, start, answer, skip, pause, resume, end.

Every function works on the interview through `locked` (row lock, moves the state machine
allows, events logged), and enqueues the next worker step on commit. A refused request raises
`Refused` and changes nothing. Spoken answers arrive through `interviews.recordings`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership, User
from accounts.privacy import access_record
from config.errors import Refused
from interviews import coding as coding_steps
from interviews import tasks
from interviews.models import MAX_QUESTIONS, MIN_QUESTIONS, Answer, Assignment, Interview, Turn
from interviews.selectors import open_turn, questions_for
from interviews.signals import interviews_erasing
from interviews.state import BUSY_STATES, ENDED_STATES, WORKER_STATES, State
from interviews.work import Work, locked
from questionbank.coding import code_check
from questionbank.models import CodingProblem, Level, Question, QuestionSet, Skill, Track
from resumes.personal import Personal, personal_context

# Where a new interview's difficulty starts, by level; it then follows the answers.
START_DIFFICULTY = {
    Level.INTERN: 2,
    Level.JUNIOR: 3,
    Level.MID: 5,
    Level.SENIOR: 6,
    Level.STAFF: 8,
    Level.PRINCIPAL: 9,
}


# --- Setting up --------------------------------------------------------------------------------


def interview_create(
    *,
    user: User,
    track: Track,
    level: int,
    interview_type: str,
    skills: Sequence[Skill] = (),
    num_questions: int = 8,
    answer_mode: str = Interview.AnswerMode.TEXT,
    question_set: QuestionSet | None = None,
    resume: object = None,
    job_description: object = "",
    assignment: Assignment | None = None,
) -> Interview:
    """Validate the choices, create the interview and make it ready to start.

    With a resume (an id of the student's) and/or a job advert, the interview is about them:
    unless the student chose skills, it covers where the job's needs and the resume's claims
    meet first, then the job's other needs (see resumes.reading.focus.focus_skills).
    """
    organization_id = user.organization_id
    errors: dict[str, str] = {}
    coding = interview_type == Interview.Type.CODING
    if coding:
        # One problem in six steps, typed (the code is written in the room's editor).
        num_questions, answer_mode = coding_steps.STEP_COUNT, Interview.AnswerMode.TEXT
        skills = list(track.skills.filter(questions__type=Question.Type.CODING).distinct())
    personal = Personal()
    try:
        personal = personal_context(user=user, resume_id=resume, job_description=job_description)
    except Refused as refusal:
        errors[refusal.field] = refusal.message
    if not MIN_QUESTIONS <= num_questions <= MAX_QUESTIONS:
        errors["num_questions"] = f"Choose between {MIN_QUESTIONS} and {MAX_QUESTIONS} questions."
    if answer_mode not in Interview.AnswerMode.values:
        errors["answer_mode"] = "Choose typed or spoken answers."
    if level not in Level.values:
        errors["level"] = "Choose a level."
    foreign = [s.name for s in skills if s.track_id != track.pk]
    if foreign:
        errors["skills"] = f"Not skills of {track.name}: {', '.join(foreign)}."
    focus = personal.focus(track)
    chosen = bool(skills)
    if chosen:
        focus = [s for s in focus if s in {skill.pk for skill in skills}]
    else:
        skills = list(track.skills.filter(pk__in=focus)) if focus else list(track.skills.all())

    if not errors:
        errors.update(
            setup_errors(
                track=track,
                level=level,
                interview_type=interview_type,
                num_questions=num_questions,
                question_set=question_set,
                organization_id=organization_id,
            )
        )
    if question_set is None and not errors:
        pool = questions_for(interview_type, track, organization_id)
        if focus and not chosen and not pool.filter(skill__in=skills).exists():
            # The job's skills have no questions of this type (system design, say): cover the
            # track's skills rather than refuse a choice of skills the student never made.
            skills, focus = list(track.skills.all()), []
        if not pool.filter(skill__in=skills).exists():
            type_label = Interview.Type(interview_type).label.lower()
            errors["skills"] = f"None of the chosen skills has {type_label} questions."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        interview = Interview.objects.create(
            user=user,
            organization_id=organization_id,
            track=track,
            level=level,
            interview_type=interview_type,
            num_questions=num_questions,
            answer_mode=answer_mode,
            question_set=question_set,
            difficulty=START_DIFFICULTY[Level(level)],
            resume=personal.resume,
            resume_profile=personal.resume_profile.as_dict() if personal.resume_profile else {},
            job_description=personal.job_description,
            job_profile=personal.job_profile.as_dict() if personal.job_profile else {},
            focus=focus,
            assignment=assignment,
            feedback_held=feedback_held(user, assignment),
        )
        interview.skills.set(skills)
        with locked(interview.pk) as work:
            work.move(State.READY)
    return work.interview


def setup_errors(
    *,
    track: Track,
    level: int,
    interview_type: str,
    num_questions: int,
    question_set: QuestionSet | None,
    organization_id: int | None,
) -> dict[str, str]:
    """Return why an interview set up like this could not be asked, by field; empty if it can."""
    coding = interview_type == Interview.Type.CODING
    if coding and question_set is not None:
        return {"question_set": "A coding interview asks one of the bank's coding problems."}
    if question_set is not None:
        if question_set.owner_id not in (None, organization_id):
            return {"question_set": "This question set does not exist."}
        if question_set.status != QuestionSet.Status.PUBLISHED:
            return {"question_set": "This question set is a draft; publish it first."}
        if not question_set.questions.published().filter(track=track).exists():
            return {"question_set": f"This set has no published {track.name} questions."}
        return {}
    pool = questions_for(interview_type, track, organization_id)
    type_label = Interview.Type(interview_type).label.lower()
    if not pool.exists():
        message = f"{track.name} has no {type_label} questions yet; choose another type."
        return {"interview_type": message}
    suited = pool.filter(level_min__lte=level + 1, level_max__gte=level - 1).count()
    # A coding interview is one problem, however many steps it has.
    if suited < (1 if coding else num_questions):
        return {
            "num_questions": f"Only {suited} {type_label} questions in {track.name} suit this "
            f"level; choose at most {suited}, or another type or level."
        }
    return {}


def feedback_held(user: User, assignment: Assignment | None) -> bool:
    """Tell whether a new interview's feedback waits for a coach: as the assignment says, else
    as the student's career centre does by default."""
    if assignment is not None:
        return assignment.hold_feedback
    # Only a student's: a coach's own practice has nobody above them to release it.
    membership = user.membership
    return (
        membership is not None
        and membership.role == Membership.Role.STUDENT
        and membership.organization.hold_feedback
    )


# --- The student's commands in the room ---------------------------------------------------------


def refuse_move(interview: Interview, action: str) -> Refused:
    """Return the refusal a student should read for an action the state does not allow."""
    state = State(interview.state)
    if state == State.PAUSED:
        return Refused("paused", f"The interview is paused. Resume it to {action}.")
    if state in ENDED_STATES:
        return Refused("ended", "This interview has ended.")
    if state == State.READY:
        return Refused("not_started", "Start the interview first.")
    if state == State.ERROR:
        return Refused("error", "The interview stopped on an error. Press Resume to try again.")
    if state in WORKER_STATES:
        return Refused(
            "busy", "Your answer to this question is in; the next question is on its way."
        )
    return Refused("not_now", f"You cannot {action} right now.")


def interview_start(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Begin the interview; a worker asks the first question."""
    with locked(interview_id, user) as work:
        interview = work.interview
        if interview.state != State.READY:
            if interview.state in (State.ASKING, State.LISTENING):
                return interview  # a second tab pressed Start too: already under way
            raise refuse_move(interview, "start")
        work.move(State.ASKING, started_at=timezone.now())
        tasks.advance_interview.delay_on_commit(str(interview.pk))
        return interview


def clean_client_id(client_id: object) -> str:
    """Return the client's id for an answer, or refuse it."""
    if not isinstance(client_id, str) or not 1 <= len(client_id.strip()) <= 64:
        raise Refused("bad_client_id", "Each answer needs a client_id of 1 to 64 characters.")
    return client_id.strip()


def check_turn(turn: Turn, meant_for: object) -> None:
    """Refuse an answer or a skip sent for an earlier question (from a second tab, say)."""
    if meant_for is None:
        return  # the client did not say: it is for the open question
    if isinstance(meant_for, bool) or not isinstance(meant_for, int):
        raise Refused("bad_turn", "`turn` must be the number of the question you are answering.")
    if meant_for != turn.position:
        raise Refused(
            "question_moved_on",
            "The interview has moved on since you sent that (perhaps from another tab or "
            "window), so it was not recorded. Read the latest question and answer that one.",
        )


def answer_store(
    work: Work,
    *,
    kind: str,
    text: str = "",
    client_id: str = "",
    final: bool = True,
    meant_for: object = None,
    **fields: Any,
) -> Answer:
    """Store the answer to the open question, log its transcript and hand it to a worker.

    `meant_for`: the turn the client answered; an earlier one is refused, never stored as the
    answer to a question the student has not read.
    """
    interview = work.interview
    turn = open_turn(interview)
    if interview.state != State.LISTENING or turn is None:
        raise refuse_move(interview, "skip" if kind == Answer.Kind.SKIPPED else "answer")
    check_turn(turn, meant_for)
    answer = Answer.objects.create(
        interview=interview, turn=turn, kind=kind, text=text, client_id=client_id, **fields
    )
    # The answer of record, so every open tab and every later replay shows it; a transcript that
    # is not final is replaced by the server's once a worker has transcribed the recording.
    work.emit(
        "transcript",
        turn=turn.position,
        text=text,
        final=final,
        skipped=kind == Answer.Kind.SKIPPED,
        source=answer.transcript_source,
    )
    work.move(State.PROCESSING)
    # A recording is heard (transcribed and measured) on the speech queue before it is judged.
    step = tasks.hear_answers if kind == Answer.Kind.AUDIO else tasks.evaluate_answers
    step.delay_on_commit(str(interview.pk))
    return answer


def answer_submit(
    *,
    interview_id: uuid.UUID | str,
    user: User,
    text: object,
    client_id: object,
    turn: object = None,
    code: object = None,
) -> tuple[Answer, bool]:
    """Store a typed answer the moment it arrives; return it and whether it is new.

    `turn`, when given, is the question it answers: an answer to an earlier one is refused.
    `code` answers a coding interview's Implement step: the source and what the browser's run of
    it returned on every test (see questionbank.coding.code_check).
    """
    client_id = clean_client_id(client_id)
    if code is None:
        text = _typed(text)
    with locked(interview_id, user) as work:
        existing = work.interview.answers.filter(client_id=client_id).first()
        if existing is not None:
            return existing, False  # a resend after a dropped connection: stored once already
        # Only a coding interview's answers are looked at before storing (the live interview's
        # hot path keeps its queries).
        coding = code is not None or work.interview.interview_type == Interview.Type.CODING
        asked = open_turn(work.interview) if coding else None
        checked: dict[str, object] = {}
        if asked is not None and asked.step == "implement":
            problem = CodingProblem.objects.filter(pk=asked.question_id).first()
            if code is None or problem is None:
                raise Refused(
                    "code_expected",
                    "This step is answered with code: write the function in the editor and "
                    "press Submit code.",
                )
            checked = code_check(problem, code)
            text = checked["source"]
        elif code is not None:
            raise Refused(
                "code_not_expected",
                "Only the Implement step takes code; answer this step in words.",
            )
        answer = answer_store(
            work,
            kind=Answer.Kind.TEXT,
            text=str(text),
            client_id=client_id,
            meant_for=turn,
            code=checked,
        )
        return answer, True


def _typed(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Refused("empty_answer", "Your answer is empty. Type an answer, or Skip to move on.")
    text = text.strip()
    limit = settings.INTERVIEW_MAX_ANSWER_CHARS
    if len(text) > limit:
        raise Refused(
            "answer_too_long",
            f"Your answer is {len(text):,} characters; the limit is {limit:,}. "
            "Shorten it and send it again.",
        )
    return text


def turn_skip(*, interview_id: uuid.UUID | str, user: User, turn: object = None) -> Answer:
    """Record the open question (or `turn`, if it is still the open one) as skipped."""
    with locked(interview_id, user) as work:
        return answer_store(work, kind=Answer.Kind.SKIPPED, meant_for=turn)


def interview_pause(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Pause while a question is open."""
    with locked(interview_id, user) as work:
        interview = work.interview
        if interview.state not in (State.ASKING, State.LISTENING):
            raise Refused(
                "cannot_pause", "You can pause while a question is waiting for your answer."
            )
        work.move(State.PAUSED, resume_to=interview.state)
        return interview


def interview_resume(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Go back to where a paused interview was, or retry the step an error stopped."""
    with locked(interview_id, user) as work:
        interview = work.interview
        if interview.state == State.PAUSED:
            work.move(State(interview.resume_to), resume_to="")
            if interview.state == State.ASKING and open_turn(interview) is None:
                # Paused while the first question was being written, which was then dropped.
                tasks.advance_interview.delay_on_commit(str(interview.pk))
        elif interview.state == State.ERROR and interview.resume_to:
            _retry(work)
        else:
            raise Refused("not_paused", "The interview is not paused.")
        return interview


def _retry(work: Work) -> None:
    """Go back to the step that failed and send it to a worker again."""
    step = State(work.interview.resume_to)
    work.move(step, resume_to="", error_message="")
    tasks.step_send(str(work.interview.pk), step)


def interview_end(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Finish early: the report covers what was answered."""
    with locked(interview_id, user) as work:
        interview = work.interview
        state = State(interview.state)
        if state in ENDED_STATES:
            raise Refused("ended", "This interview has already ended.")
        if state in (State.SETUP, State.READY):
            work.move(State.CANCELLED)
            return interview
        work.change(end_requested=True)
        if state == State.PAUSED:
            work.move(State(interview.resume_to), resume_to="")
            state = State(interview.state)
        if state == State.ASKING:
            work.move(State.LISTENING)
            state = State.LISTENING
        if state == State.LISTENING:
            # Nothing more to answer: the usual steps run and the decision is to finish.
            work.move(State.PROCESSING)
            tasks.evaluate_answers.delay_on_commit(str(interview.pk))
        elif state == State.ERROR:
            _retry(work)
        # In a worker step the decision sees end_requested and finishes.
        return interview


# --- Deleting ----------------------------------------------------------------------------------


def interviews_erase(interviews: QuerySet[Interview]) -> int:
    """Delete the interviews with everything in them: turns, answers and their recordings,
    evaluations, events, reports and reviews. Apps keep anonymous tallies first
    (`interviews_erasing`). Return how many were deleted."""
    ids = list(interviews.values_list("pk", flat=True))
    if ids:
        interviews_erasing.send(sender=Interview, interview_ids=ids)
        # Row by row through the ORM, so that each recording's file goes with its answer.
        Interview.objects.filter(pk__in=ids).delete()
    return len(ids)


def interview_delete(*, interview_id: uuid.UUID | str, user: User) -> None:
    """Delete one of the student's interviews for good, unless a worker is on it."""
    with locked(interview_id, user) as work:
        if State(work.interview.state) in BUSY_STATES:
            raise Refused(
                "busy",
                "Rehearse is still working on this interview; try again in a minute.",
            )
        interviews_erase(Interview.objects.filter(pk=work.interview.pk))


def interviews_delete_expired(*, now: datetime.datetime) -> int:
    """Delete the interviews nobody has touched for longer than their career centre keeps
    interviews (the site's INTERVIEW_RETENTION_DAYS for students on their own; 0 keeps them)."""
    kept = Interview.objects.exclude(state__in=BUSY_STATES).annotate(
        days=Coalesce(
            "organization__interview_retention_days", Value(settings.INTERVIEW_RETENTION_DAYS)
        )
    )
    deleted = 0
    for days in set(kept.values_list("days", flat=True)) - {0}:
        cutoff = now - datetime.timedelta(days=days)
        deleted += interviews_erase(kept.filter(days=days, updated_at__lt=cutoff))
    return deleted


def interview_read_log(*, viewer: User, interview: Interview, what: str) -> None:
    """Log a coach's, admin's or site staff's read of a student's interview (the student and
    their career centre's admins see the log); the student's own reads are not logged."""
    day = timezone.localtime(interview.created_at).date()
    access_record(
        viewer=viewer,
        student=interview.user,
        what=what,
        object_id=interview.pk,
        label=f"{interview.track.name} interview of {day:%-d %B %Y}",
    )
