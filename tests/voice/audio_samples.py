"""Recordings made in the test: silence, a tone, speech from espeak-ng, and what a browser sends.

WAVs are built with the `wave` module; `webm` encodes one as Opus in WebM with PyAV, as Chrome's
MediaRecorder records it.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import wave
from array import array

import av
import pytest

RATE = 16_000
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng; .ci/run installs it)",
)


def wav(samples: array[int], rate: int = RATE) -> bytes:
    """Return mono 16-bit samples as a WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(samples.tobytes())
    return buffer.getvalue()


def silence(seconds: float, rate: int = RATE) -> array[int]:
    return array("h", bytes(2 * round(rate * seconds)))


def tone(seconds: float, rate: int = RATE, hertz: float = 440.0) -> array[int]:
    """A steady sine tone at a quarter of full scale."""
    step = 2 * math.pi * hertz / rate
    return array("h", (round(8000 * math.sin(step * i)) for i in range(round(rate * seconds))))


def speech(text: str) -> tuple[array[int], int]:
    """Speak `text` with espeak-ng; return the samples and their rate."""
    spoken = subprocess.run(["espeak-ng", "--stdout", text], check=True, capture_output=True)
    with wave.open(io.BytesIO(spoken.stdout)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        samples = array("h", audio.readframes(audio.getnframes()))
        return samples, audio.getframerate()


def spoken_with_gap(first: str, second: str, gap_seconds: float) -> tuple[bytes, float]:
    """Return a WAV of two sentences with `gap_seconds` of silence between, and its length."""
    before, rate = speech(first)
    after, _ = speech(second)
    samples = before + silence(gap_seconds, rate) + after
    return wav(samples, rate), len(samples) / rate


def webm(wav_bytes: bytes) -> bytes:
    """Encode a WAV as Opus in WebM (48 kHz mono), as a browser's MediaRecorder sends it."""
    out = io.BytesIO()
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
    with av.open(io.BytesIO(wav_bytes)) as source, av.open(out, "w", format="webm") as target:
        stream = target.add_stream("libopus", rate=48_000, layout="mono")
        for decoded in source.decode(audio=0):
            for frame in resampler.resample(decoded):
                target.mux(stream.encode(frame))
        for frame in resampler.resample(None):
            target.mux(stream.encode(frame))
        target.mux(stream.encode(None))
    return out.getvalue()


# The first bytes of a PNG image and a run of noise: neither is audio.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
