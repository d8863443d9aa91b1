"""The worker's part of a spoken answer: transcribe it, measure its delivery, and keep the
recording no longer than the career centre allows.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from interviews import audio, delivery, speech
from interviews.events import emit
from interviews.models import Answer
from interviews.services import locked
from interviews.state import State

log = logging.getLogger(__name__)


class NotTranscribed(Exception):
    """Transcription failed for good and the browser heard no words: the step cannot go on.

    Its one argument is the message for the student (it must survive Celery's pickling).
    """


@dataclass(frozen=True)
class Heard:
    text: str
    source: str
    delivery: dict[str, Any]


def to_hear(answers: list[Answer]) -> list[Answer]:
    """Return the spoken answers not transcribed and measured yet."""
    return [a for a in answers if a.kind == Answer.Kind.AUDIO and not a.delivery]


def hear(interview_id: uuid.UUID | str, answers: list[Answer]) -> bool:
    """Transcribe and measure each spoken answer not heard yet; store the results on it.

    Runs in the evaluating step, before the evaluation, which then reads the stored transcript.
    Return False if the interview moved on meanwhile (another task did the work).
    """
    for answer in to_hear(answers):
        heard = _listen(answer)  # outside the lock: a provider may take seconds
        with locked(interview_id) as interview:
            if interview.state != State.EVALUATING:
                return False
            stored = interview.answers.get(pk=answer.pk)
            if not stored.delivery:
                stored.text, stored.transcript_source = heard.text, heard.source
                stored.delivery = heard.delivery
                stored.save(update_fields=["text", "transcript_source", "delivery"])
                if speech.stt_enabled():
                    # Replaces the browser's words the room showed, even when they stay.
                    emit(
                        interview,
                        "transcript",
                        turn=answer.turn.position,
                        text=stored.text,
                        final=True,
                        skipped=False,
                        source=stored.transcript_source,
                    )
        answer.text, answer.delivery = stored.text, stored.delivery
        if retention_days(answer) == 0:
            answer_audio_delete(answer)
    return True


def _listen(answer: Answer) -> Heard:
    """Transcribe the recording (with server speech to text) and measure how it was said.

    If transcription fails for good, the browser's transcript stays the answer of record; with
    none, the failure stops the step (and the interview, once the retries are spent).
    """
    text, source = answer.text, answer.transcript_source
    path = Path(answer.audio.path) if answer.audio else None
    if path is not None and speech.stt_enabled():
        try:
            transcript = speech.transcribe(path, content_type=answer.audio_format)
        except speech.SpeechError as error:
            if not text:
                raise NotTranscribed(error.message) from error
            log.warning("Kept the browser's transcript of answer %s: %s", answer.pk, error.reason)
        else:
            text, source = transcript.text, Answer.TranscriptSource.SERVER
    measured = delivery.measure(
        text,
        duration_seconds=answer.duration_seconds or 0.0,
        levels=audio.levels(path) if path is not None else None,
        frame_seconds=audio.FRAME_SECONDS,
    )
    return Heard(text, source, measured)


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
