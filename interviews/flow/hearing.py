"""Hearing: each recorded answer transcribed (with server speech to text) and its delivery
measured, on the speech queue, before it is evaluated.

The interview waits in `processing` meanwhile. If transcription fails for good, the browser's
transcript stays the answer of record; with none, the step fails and the student is told. A
recording in which no words can be made out (noise, a muted microphone) is given back: the answer
is withdrawn and the question is open again.
"""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai import speech
from ai.local_speech import Word
from interviews import tasks
from interviews.errors import NotTranscribed
from interviews.events import push
from interviews.models import Answer
from interviews.recordings import answer_audio_delete, retention_days
from interviews.state import State
from interviews.work import Work, locked
from voice import audio, delivery

log = logging.getLogger(__name__)

NO_WORDS = (
    "We could not make out any words in your recording. Check that your microphone is on and "
    "close enough, then answer again, or type your answer."
)


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
            if not stored.delivery and not heard.text:
                _withdraw(work, stored)
                return
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


def caption_recording(
    interview_id: uuid.UUID | str,
    *,
    client_id: str,
    turn: int | None,
    recording: str,
    settled: str,
    since: float,
) -> None:
    """Send the rooms a provisional caption of a recording still being made (not logged).

    The room that is receiving the recording keeps `caption` (what is settled, and up to when)
    for the next one and strips it before the event reaches its page.
    """
    try:
        caption = speech.caption(base64.b64decode(recording), settled=settled, since=since)
    except speech.SpeechError:
        caption = None  # the next one may do better; the room stops waiting for this one
    event = {
        "type": "transcript",
        "seq": None,
        "turn": turn,
        "client_id": client_id,
        "text": caption.text if caption else settled,
        "final": False,
        "provisional": True,
        "source": Answer.TranscriptSource.SERVER.value,
        "caption": {
            "settled": caption.settled if caption else settled,
            "settled_until": caption.settled_until if caption else since,
        },
    }
    push(uuid.UUID(str(interview_id)), [event])


def _withdraw(work: Work, answer: Answer) -> None:
    """Give back an answer with no words in it: the question it answered is open again."""
    # No words, so nothing worth keeping: the file goes once the withdrawal commits
    # (django-cleanup).
    answer.delete()
    work.emit("answer.withdrawn", turn=answer.turn.position, code="no_words", message=NO_WORDS)
    work.move(State.LISTENING)


def _listen(answer: Answer) -> Heard:
    """Transcribe the recording (with server speech to text) and measure how it was said."""
    text, source = answer.text, answer.transcript_source
    words: tuple[Word, ...] = ()
    path = Path(answer.audio.path) if answer.audio else None
    if path is not None and speech.stt_enabled():
        try:
            transcript = speech.transcribe(path, content_type=answer.audio_format)
        except speech.SpeechError as error:
            if not text:
                raise NotTranscribed(error.message) from error
            log.warning("Kept the browser's transcript of answer %s: %s", answer.pk, error.reason)
        else:
            if transcript.text or not text:  # the browser's words, when only it heard any
                text, source = transcript.text, Answer.TranscriptSource.SERVER
                words = transcript.words
    if not text:
        return Heard("", source, {})
    measured = delivery.measure(
        text,
        duration_seconds=answer.duration_seconds or 0.0,
        levels=audio.levels(path) if path is not None and not words else None,
        frame_seconds=audio.FRAME_SECONDS,
        word_times=words,
    )
    return Heard(text, source, measured)
