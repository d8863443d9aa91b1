"""Spoken questions: each text synthesised once per voice and kept as a `SpeechClip`."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Generator
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction

from ai.speech import AUDIO_CONTENT_TYPE, synthesize_stream, voice_name
from voice.models import SpeechClip


def _clip_key(text: str) -> dict[str, str]:
    text_hash = hashlib.sha256(text.encode()).hexdigest()
    return {"provider": settings.TTS_PROVIDER, "voice": voice_name(), "text_hash": text_hash}


def clip_find(text: str) -> SpeechClip | None:
    """Return the stored speech of `text` in the current voice, if it was spoken before."""
    return SpeechClip.objects.filter(**_clip_key(text)).first()


def synthesize_and_store(text: str) -> Generator[bytes]:
    """Start speaking `text`; return its audio as it arrives, stored once the stream completes.

    The provider has answered when this returns, so a refusal raises `SpeechError` here rather
    than halfway through a response.
    """
    chunks = _stream_and_store(text)
    first = next(chunks, b"")
    return _chain(first, chunks)


def _chain(first: bytes, rest: Generator[bytes]) -> Generator[bytes]:
    yield first
    yield from rest  # closing this closes `rest` too


def _stream_and_store(text: str) -> Generator[bytes]:
    # A stream that fails or is abandoned midway never reaches _store: no half clip is kept.
    with tempfile.TemporaryFile() as copy:
        for chunk in synthesize_stream(text):
            copy.write(chunk)
            yield chunk
        if copy.tell():  # an empty reply is not worth keeping
            _store(copy, _clip_key(text))


def _store(audio: IO[bytes], key: dict[str, str]) -> None:
    clip = SpeechClip(content_type=AUDIO_CONTENT_TYPE, **key)
    clip.file.save(f"{key['text_hash']}.mp3", File(audio), save=False)
    try:
        with transaction.atomic():
            clip.save()
    except IntegrityError:  # another request stored the same speech first
        clip.file.delete(save=False)
