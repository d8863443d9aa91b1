"""What a student does to an interview: set it up, start, answer, skip, pause, resume, end.

Every function locks the interview's row, checks the move against the state machine, writes,
logs the events, and enqueues the next worker step on commit. A refused request raises
`Refused` and changes nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews import audio, speech
from interviews.errors import NotFound, Refused
from interviews.events import emit, flush, mark
from interviews.models import MAX_QUESTIONS, MIN_QUESTIONS, Answer, Interview, Turn
from interviews.resumes import Personal, personal_context
from interviews.selectors import answer_limit_seconds
from interviews.state import ENDED_STATES, WORKER_STATES, State, check_move
from questionbank.models import Level, Question, QuestionSet, Skill, Track

# Where a new interview's difficulty starts, by level; it then follows the answers.
START_DIFFICULTY = {
    Level.INTERN: 2,
    Level.JUNIOR: 3,
    Level.MID: 5,
    Level.SENIOR: 6,
    Level.STAFF: 8,
    Level.PRINCIPAL: 9,
}
QUESTION_TYPES = {
    Interview.Type.BEHAVIOURAL: [Question.Type.BEHAVIOURAL, Question.Type.SITUATIONAL],
    Interview.Type.TECHNICAL: [Question.Type.TECHNICAL],
    Interview.Type.SYSTEM_DESIGN: [Question.Type.SYSTEM_DESIGN],
    Interview.Type.MIXED: list(Question.Type),
}


# --- Shared by the student's commands and the worker steps -------------------------------------


def _lock(interview_id: uuid.UUID | str, user: User | None = None) -> Interview:
    """Return the interview with its row locked, or raise NotFound (also for another's)."""
    interviews = Interview.objects.select_for_update()
    if user is not None:
        interviews = interviews.filter(user=user)
    try:
        return interviews.get(pk=interview_id)
    except (Interview.DoesNotExist, ValidationError, ValueError):
        raise NotFound from None


def progress(interview: Interview) -> dict[str, int]:
    """Return which core question the interview is on, of how many."""
    return {"number": interview.questions_asked, "total": interview.num_questions}


@contextmanager
def locked(interview_id: uuid.UUID | str, user: User | None = None) -> Iterator[Interview]:
    """Lock the interview for one transaction; its changes and events are written at the end."""
    with transaction.atomic():
        interview = _lock(interview_id, user)
        yield interview
        flush(interview)


def change(interview: Interview, **fields: Any) -> None:
    """Set fields of the locked interview; they are written when the transaction ends."""
    for name, value in fields.items():
        setattr(interview, name, value)
    mark(interview, *fields)


def move(interview: Interview, target: State, **fields: Any) -> None:
    """Move the locked interview to `target` and log the new state."""
    check_move(interview.state, target, resume_to=interview.resume_to)
    change(interview, state=target, **fields)
    emit(interview, "state", state=target.value, progress=progress(interview))


def open_turn(interview: Interview) -> Turn | None:
    """Return the question waiting for an answer, if there is one."""
    return interview.turns.filter(answer__isnull=True).order_by("-position").first()


def queryset_for_type(interview_type: str, track: Track | int, organization_id: int | None) -> Any:
    """Return the published questions an interview of this type and track may ask."""
    return (
        Question.objects.published()
        .visible_to(organization_id)
        .filter(track=track, type__in=QUESTION_TYPES[Interview.Type(interview_type)])
    )


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
) -> Interview:
    """Validate the choices, create the interview and make it ready to start.

    With a resume (an id of the student's) and/or a job advert, the interview is about them:
    unless the student chose skills, it covers where the job's needs and the resume's claims
    meet first, then the job's other needs (see interviews.profiles.focus_skills).
    """
    organization_id = user.organization_id
    errors: dict[str, str] = {}
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

    if question_set is not None:
        if question_set.owner_id not in (None, organization_id):
            errors["question_set"] = "This question set does not exist."
        elif not question_set.questions.published().filter(track=track).exists():
            errors["question_set"] = f"This set has no published {track.name} questions."
    elif not errors:
        pool = queryset_for_type(interview_type, track, organization_id)
        type_label = Interview.Type(interview_type).label.lower()
        if focus and not chosen and not pool.filter(skill__in=skills).exists():
            # The job's skills have no questions of this type (system design, say): cover the
            # track's skills rather than refuse a choice of skills the student never made.
            skills, focus = list(track.skills.all()), []
        if not pool.exists():
            errors["interview_type"] = (
                f"{track.name} has no {type_label} questions yet; choose another type."
            )
        elif not pool.filter(skill__in=skills).exists():
            errors["skills"] = f"None of the chosen skills has {type_label} questions."
        else:
            suited = pool.filter(level_min__lte=level + 1, level_max__gte=level - 1).count()
            if suited < num_questions:
                errors["num_questions"] = (
                    f"Only {suited} {type_label} questions in {track.name} suit this level; "
                    f"choose at most {suited}, or another type or level."
                )
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
        )
        interview.skills.set(skills)
        with locked(interview.pk) as interview:
            move(interview, State.READY)
    return interview


# --- The student's commands in the room ---------------------------------------------------------


def _refuse_move(interview: Interview, action: str) -> Refused:
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
    from interviews import tasks

    with locked(interview_id, user) as interview:
        if interview.state != State.READY:
            if interview.state in (State.ASKING, State.LISTENING):
                return interview  # a second tab pressed Start too: already under way
            raise _refuse_move(interview, "start")
        move(interview, State.ASKING, started_at=timezone.now())
        tasks.advance_interview.delay_on_commit(str(interview.pk))
        return interview


def _clean_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id.strip()) <= 64:
        raise Refused("bad_client_id", "Each answer needs a client_id of 1 to 64 characters.")
    return client_id.strip()


def _check_turn(turn: Turn, meant_for: object) -> None:
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


def _store_answer(
    interview: Interview,
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
    from interviews import tasks

    turn = open_turn(interview)
    if interview.state != State.LISTENING or turn is None:
        raise _refuse_move(interview, "skip" if kind == Answer.Kind.SKIPPED else "answer")
    _check_turn(turn, meant_for)
    answer = Answer.objects.create(
        interview=interview, turn=turn, kind=kind, text=text, client_id=client_id, **fields
    )
    # The answer of record, so every open tab and every later replay shows it; a transcript that
    # is not final is replaced by the server's once a worker has transcribed the recording.
    emit(
        interview,
        "transcript",
        turn=turn.position,
        text=text,
        final=final,
        skipped=kind == Answer.Kind.SKIPPED,
        source=answer.transcript_source,
    )
    move(interview, State.PROCESSING)
    tasks.evaluate_answers.delay_on_commit(str(interview.pk))
    return answer


def answer_submit(
    *,
    interview_id: uuid.UUID | str,
    user: User,
    text: object,
    client_id: object,
    turn: object = None,
) -> tuple[Answer, bool]:
    """Store a typed answer the moment it arrives; return it and whether it is new.

    `turn`, when given, is the question it answers: an answer to an earlier one is refused.
    """
    client_id = _clean_client_id(client_id)
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
    with locked(interview_id, user) as interview:
        existing = interview.answers.filter(client_id=client_id).first()
        if existing is not None:
            return existing, False  # a resend after a dropped connection: stored once already
        answer = _store_answer(
            interview, kind=Answer.Kind.TEXT, text=text, client_id=client_id, meant_for=turn
        )
        return answer, True


def turn_skip(*, interview_id: uuid.UUID | str, user: User, turn: object = None) -> Answer:
    """Record the open question (or `turn`, if it is still the open one) as skipped."""
    with locked(interview_id, user) as interview:
        return _store_answer(interview, kind=Answer.Kind.SKIPPED, meant_for=turn)


# --- Spoken answers ------------------------------------------------------------------------------

AUDIO_REFUSALS = {
    "audio_empty": "Nothing was recorded. Check your microphone and answer again.",
    "not_audio": "That recording could not be read as audio.",
}
NO_TRANSCRIPT = "We could not hear any words. Try again, or type your answer."


def audio_too_large() -> Refused:
    """Return the refusal of a recording over AUDIO_MAX_BYTES."""
    limit = f"{settings.AUDIO_MAX_BYTES / 1024**2:g} MB"
    return Refused(
        "audio_too_large",
        f"That recording is over {limit}, the most one answer can be. Record a shorter answer.",
    )


def audio_answer_open(
    *, interview_id: uuid.UUID | str, user: User, client_id: object, turn: object = None
) -> str:
    """Check that a recording may start now (or is a resend); return its clean client_id.

    `turn`, when given, is the question it answers: a recording for an earlier one is refused.
    """
    client_id = _clean_client_id(client_id)
    try:
        interview = Interview.objects.get(pk=interview_id, user=user)
    except (Interview.DoesNotExist, ValidationError, ValueError):
        raise NotFound from None
    if interview.answers.filter(client_id=client_id).exists():
        return client_id  # a resend after a dropped connection: audio_answer_submit keeps one
    if interview.state != State.LISTENING:
        raise _refuse_move(interview, "answer")
    if (open_now := open_turn(interview)) is not None:
        _check_turn(open_now, turn)
    return client_id


def audio_answer_submit(
    *,
    interview_id: uuid.UUID | str,
    user: User,
    client_id: object,
    recording: IO[bytes],
    browser_transcript: object = "",
    turn: object = None,
) -> tuple[Answer, bool]:
    """Store a recorded answer the moment it is complete; return it and whether it is new.

    The recording is decoded first (outside the lock: it takes a moment), then saved, then the
    answer is stored as a typed one is. A refusal stores nothing and keeps no file.
    """
    client_id = _clean_client_id(client_id)
    heard = browser_transcript.strip() if isinstance(browser_transcript, str) else ""
    heard = heard[: settings.INTERVIEW_MAX_ANSWER_CHARS]
    existing = Answer.objects.filter(
        interview_id=interview_id, interview__user=user, client_id=client_id
    ).first()
    if existing is not None:
        return existing, False
    size = recording.seek(0, os.SEEK_END)
    if size == 0:
        raise Refused("audio_empty", AUDIO_REFUSALS["audio_empty"])
    if size > settings.AUDIO_MAX_BYTES:
        raise audio_too_large()
    if not heard and not speech.stt_enabled():
        raise Refused("no_transcript", NO_TRANSCRIPT)
    limit = answer_limit_seconds(user)
    try:
        probed = audio.probe(recording, max_seconds=limit)
    except audio.AudioError as error:
        if error.code == "audio_too_long":
            raise Refused(
                "audio_too_long",
                f"That recording is over {_minutes(limit)}, the longest an answer can be. "
                "Record a shorter answer.",
            ) from None
        raise Refused(error.code, AUDIO_REFUSALS[error.code]) from None

    answer = Answer(interview_id=interview_id)
    answer.audio.save(f"{uuid.uuid4().hex}.{probed.extension}", File(recording), save=False)
    try:
        with locked(interview_id, user) as interview:
            existing = interview.answers.filter(client_id=client_id).first()
            if existing is not None:
                answer.audio.delete(save=False)
                return existing, False
            stored = _store_answer(
                interview,
                kind=Answer.Kind.AUDIO,
                text=heard,
                client_id=client_id,
                meant_for=turn,
                # With server transcription the browser's words stand in until the worker's.
                final=not speech.stt_enabled(),
                transcript_source=Answer.TranscriptSource.BROWSER,
                audio=answer.audio.name,
                audio_format=probed.content_type,
                duration_seconds=round(probed.duration_seconds, 2),
            )
    except BaseException:
        answer.audio.delete(save=False)
        raise
    return stored, True


def _minutes(seconds: int) -> str:
    """Say a length of time as a person would: "5 minutes", "2 minutes 30 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    if rest:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def interview_pause(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Pause while a question is open."""
    with locked(interview_id, user) as interview:
        if interview.state not in (State.ASKING, State.LISTENING):
            raise Refused(
                "cannot_pause", "You can pause while a question is waiting for your answer."
            )
        move(interview, State.PAUSED, resume_to=interview.state)
        return interview


def interview_resume(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Go back to where a paused interview was, or retry the step an error stopped."""
    from interviews import tasks

    with locked(interview_id, user) as interview:
        if interview.state == State.PAUSED:
            move(interview, State(interview.resume_to), resume_to="")
            if interview.state == State.ASKING and open_turn(interview) is None:
                # Paused while the first question was being written, which was then dropped.
                tasks.advance_interview.delay_on_commit(str(interview.pk))
        elif interview.state == State.ERROR and interview.resume_to:
            _retry(interview)
        else:
            raise Refused("not_paused", "The interview is not paused.")
        return interview


def _retry(interview: Interview) -> None:
    """Go back to the step that failed and send it to a worker again."""
    from interviews import tasks

    step = State(interview.resume_to)
    move(interview, step, resume_to="", error_message="")
    tasks.STEP_TASKS[step].delay_on_commit(str(interview.pk))


def interview_end(*, interview_id: uuid.UUID | str, user: User) -> Interview:
    """Finish early: the report covers what was answered."""
    from interviews import tasks

    with locked(interview_id, user) as interview:
        state = State(interview.state)
        if state in ENDED_STATES:
            raise Refused("ended", "This interview has already ended.")
        if state in (State.SETUP, State.READY):
            move(interview, State.CANCELLED)
            return interview
        change(interview, end_requested=True)
        if state == State.PAUSED:
            move(interview, State(interview.resume_to), resume_to="")
            state = State(interview.state)
        if state == State.ASKING:
            move(interview, State.LISTENING)
            state = State.LISTENING
        if state == State.LISTENING:
            # Nothing more to answer: the usual steps run and the decision is to finish.
            move(interview, State.PROCESSING)
            tasks.evaluate_answers.delay_on_commit(str(interview.pk))
        elif state == State.ERROR:
            _retry(interview)
        # In a worker step the decision sees end_requested and finishes.
        return interview
