"""Read recorded answers with PyAV: check that they are audio, how long, and how loud over time.

A recording is decoded to the end, never trusted by its name or its declared type: what the
browser says it sends and what arrives may differ.
"""

from __future__ import annotations

import math
import operator
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import av

# PyAV's container names of the formats browsers record in (and a few common others), with the
# content type and file extension a recording of each is kept under.
FORMATS: dict[str, tuple[str, str]] = {
    "matroska,webm": ("audio/webm", "webm"),  # Chrome, Firefox, Edge: Opus in WebM
    "ogg": ("audio/ogg", "ogg"),
    "mov,mp4,m4a,3gp,3g2,mj2": ("audio/mp4", "m4a"),  # Safari: AAC in MP4
    "wav": ("audio/wav", "wav"),
    "mp3": ("audio/mpeg", "mp3"),
    "flac": ("audio/flac", "flac"),
}
# Loudness is measured on mono 8 kHz audio (enough for speech) in frames of 20 ms.
LEVEL_RATE = 8000
FRAME_SECONDS = 0.02
SILENT_DBFS = -100.0  # the level of digital silence (the log of zero is undefined)


class AudioError(Exception):
    """A recording that cannot be taken: `code` is not_audio, audio_empty or audio_too_long."""

    def __init__(self, code: str, *, seconds: float = 0.0) -> None:
        super().__init__(code)
        self.code = code
        self.seconds = seconds


@dataclass(frozen=True)
class Recording:
    content_type: str
    extension: str
    duration_seconds: float


def probe(file: IO[bytes], *, max_seconds: float) -> Recording:
    """Decode the recording to its end; return its format and length, or raise AudioError.

    Decoding stops as soon as the recording runs over `max_seconds`, so a long or malicious file
    costs no more than an allowed one.
    """
    try:
        file.seek(0)
        with av.open(file, mode="r") as container:
            known = FORMATS.get(container.format.name)
            if known is None or not container.streams.audio:
                raise AudioError("not_audio")
            duration = 0.0
            for frame in container.decode(container.streams.audio[0]):
                duration += frame.samples / frame.sample_rate
                if duration > max_seconds:
                    raise AudioError("audio_too_long", seconds=duration)
        if duration <= 0:
            raise AudioError("audio_empty")
        return Recording(*known, duration_seconds=duration)
    except av.FFmpegError as error:
        raise AudioError("not_audio") from error
    finally:
        file.seek(0)


def levels(path: Path) -> list[float]:
    """Return the recording's loudness (RMS in dBFS) in each 20 ms frame, from start to end."""
    samples = array("h")
    resampler = av.AudioResampler(format="s16", layout="mono", rate=LEVEL_RATE)
    with av.open(str(path), mode="r") as container:
        for decoded in container.decode(container.streams.audio[0]):
            for frame in resampler.resample(decoded):
                samples.frombytes(bytes(frame.planes[0])[: frame.samples * 2])
        for frame in resampler.resample(None):
            samples.frombytes(bytes(frame.planes[0])[: frame.samples * 2])
    size = round(LEVEL_RATE * FRAME_SECONDS)
    return [_dbfs(samples[start : start + size]) for start in range(0, len(samples), size)]


def _dbfs(frame: array[int]) -> float:
    power = sum(map(operator.mul, frame, frame)) / len(frame)
    if power == 0:
        return SILENT_DBFS
    return max(SILENT_DBFS, 10 * math.log10(power / 32768**2))
