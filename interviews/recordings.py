"""Recorded answers: stored the moment they are complete (checked by decoding them), and kept
no longer than the career centre allows. Hearing them is a worker's (interviews.flow.hearing).
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from ai import speech
from config.errors import Refused
from interviews.errors import NotFound
from interviews.models import Answer, Interview
from interviews.selectors import answer_limit_seconds, open_turn
from interviews.services import answer_store, check_turn, clean_client_id, refuse_move
from interviews.state import State
from interviews.work import locked
from voice import audio

AUDIO_REFUSALS = {
    "audio_empty": "Nothing was recorded. Check your microphone and answer again.",
    "not_audio": (
        "That recording could not be read as audio. Record it again here, or send WebM, Ogg, "
        "M4A, WAV, MP3 or FLAC."
    ),
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
    client_id = clean_client_id(client_id)
    try:
        interview = Interview.objects.get(pk=interview_id, user=user)
    except (Interview.DoesNotExist, ValidationError, ValueError):
        raise NotFound from None
    if interview.answers.filter(client_id=client_id).exists():
        return client_id  # a resend after a dropped connection: audio_answer_submit keeps one
    if interview.state != State.LISTENING:
        raise refuse_move(interview, "answer")
    if (open_now := open_turn(interview)) is not None:
        check_turn(open_now, turn)
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
    client_id = clean_client_id(client_id)
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
        with locked(interview_id, user) as work:
            existing = work.interview.answers.filter(client_id=client_id).first()
            if existing is not None:
                answer.audio.delete(save=False)
                return existing, False
            stored = answer_store(
                work,
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


# --- Retention ---------------------------------------------------------------------------------


def retention_days(answer: Answer) -> int:
    """Return how many days the answer's recording is kept (0: once it has been heard)."""
    organization = answer.interview.organization
    if organization is None:
        return int(settings.AUDIO_RETENTION_DAYS)
    return organization.audio_retention_days


def answer_audio_delete(answer: Answer) -> None:
    """Delete the answer's recording; its transcript and delivery stay."""
    name = answer.audio.name
    # The file first: if the row were cleared first, a crash in between would orphan the file.
    answer.audio.storage.delete(name)
    Answer.objects.filter(pk=answer.pk).update(audio="")
    answer.audio.name = ""


def answer_audio_delete_expired(*, now: datetime) -> int:
    """Delete every recording kept past its career centre's retention; return how many."""
    # A recording the worker has not heard yet is still needed, unless the interview ended.
    heard = Q(evaluation__isnull=False) | Q(interview__state__in=[State.FINISHED, State.CANCELLED])
    kept = (
        Answer.objects.exclude(audio="")
        .filter(heard)
        .annotate(
            days=Coalesce(
                "interview__organization__audio_retention_days",
                Value(settings.AUDIO_RETENTION_DAYS),
            )
        )
    )
    deleted = 0
    for days in set(kept.values_list("days", flat=True)):
        for answer in kept.filter(days=days, received_at__lt=now - timedelta(days=days)):
            answer_audio_delete(answer)
            deleted += 1
    return deleted
