"""Hearing: each recorded answer transcribed (with server speech to text) and its delivery
measured, on the speech queue, before it is evaluated.

The interview waits in `processing` meanwhile. If transcription fails for good, the browser's
transcript stays the answer of record; with none, the step fails and the student is told.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai import speech
from interviews import tasks
from interviews.errors import NotTranscribed
from interviews.models import Answer
from interviews.recordings import answer_audio_delete, retention_days
from interviews.state import State
from interviews.work import locked
from voice import audio, delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Heard:
    text: str
    source: str
    delivery: dict[str, Any]


def to_hear(answers: list[Answer]) -> list[Answer]:
    """Return the spoken answers not transcribed and measured yet."""
    return [a for a in answers if a.kind == Answer.Kind.AUDIO and not a.delivery]


def hear_answers(interview_id: uuid.UUID | str) -> None:
    """Hear every recording of the interview not heard yet, store what was heard, then have
    the answers evaluated. Idempotent: a recording heard already is not heard again."""
    pending = to_hear(
        list(
            Answer.objects.filter(
                interview_id=interview_id,
                interview__state=State.PROCESSING,
                evaluation__isnull=True,
            ).select_related("turn", "interview__organization")
        )
    )
    for answer in pending:
        heard = _listen(answer)  # outside the lock: a provider may take seconds
        with locked(interview_id) as work:
            if work.interview.state != State.PROCESSING:
                return  # ended or failed meanwhile
            stored = work.interview.answers.get(pk=answer.pk)
            if not stored.delivery:
                stored.text, stored.transcript_source = heard.text, heard.source
                stored.delivery = heard.delivery
                stored.save(update_fields=["text", "transcript_source", "delivery"])
                if speech.stt_enabled():
                    # Replaces the browser's words the room showed, even when they stay.
                    work.emit(
                        "transcript",
                        turn=answer.turn.position,
                        text=stored.text,
                        final=True,
                        skipped=False,
                        source=stored.transcript_source,
                    )
        if retention_days(answer) == 0:
            answer_audio_delete(answer)
    with locked(interview_id) as work:
        if work.interview.state == State.PROCESSING:
            tasks.evaluate_answers.delay_on_commit(str(interview_id))


def _listen(answer: Answer) -> Heard:
    """Transcribe the recording (with server speech to text) and measure how it was said."""
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
