"""How well and how fast the local speech engine hears spoken answers (issue 16).

Run: `make bench-speech` (or `.venv/bin/python bench/speech.py`). Needs espeak-ng; no database.

It makes its own recordings: twelve interview answers (bench/speech_scripts.txt), some with
fillers and thinking pauses, spoken by Piper's packaged voice at three speeds and by espeak-ng at
two, each encoded as Opus in WebM as a browser records it; plus one five-minute monologue. Then,
for the Whisper model in use (the packaged tiny.en, or STT_LOCAL_MODEL), it prints:

- model load time and the process's memory before and after loading;
- per voice: word error rate against the script (jiwer, after lower-casing and dropping
  punctuation), real-time factor (seconds of work per second of audio), fillers and long pauses
  found against those in the script, words a minute from the word timings;
- how many minutes of answers one worker process hears per minute;
- what provisional captions cost: CPU seconds per caption and per minute of speech.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import av  # noqa: E402
import django  # noqa: E402

django.setup()

import jiwer  # noqa: E402
from django.conf import settings  # noqa: E402

from ai import local_speech  # noqa: E402
from voice import delivery  # noqa: E402

SCRIPTS = ROOT / "bench" / "speech_scripts.txt"
PAUSE = "[pause]"
PAUSE_SECONDS = 3.0  # a thinking pause: longer than delivery's LONG_PAUSE_SECONDS
RATE = 16_000
MONOLOGUE_SECONDS = 300
CAPTION_EVERY = 4.0  # seconds of speech between provisional captions, as STT_CAPTION_SECONDS


@dataclass
class Voice:
    name: str
    piper_scale: float | None = None  # Piper's length scale (1 is its natural pace)
    espeak_wpm: int | None = None


VOICES = [
    Voice("piper, natural pace", piper_scale=1.0),
    Voice("piper, fast", piper_scale=0.8),
    Voice("piper, slow", piper_scale=1.25),
    Voice("espeak-ng, 150 wpm", espeak_wpm=150),
    Voice("espeak-ng, 200 wpm", espeak_wpm=200),
]


def scripts() -> list[str]:
    return [line.strip() for line in SCRIPTS.read_text().splitlines() if line.strip()]


def say(voice: Voice, text: str) -> np.ndarray:
    """Speak `text` in `voice`; return 16 kHz mono samples in [-1, 1]."""
    if voice.piper_scale is not None:
        from piper.config import SynthesisConfig

        config = SynthesisConfig(length_scale=voice.piper_scale)
        chunks = list(local_speech.piper().synthesize(text, syn_config=config))
        samples = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.float32)
        rate = chunks[0].sample_rate
    else:
        spoken = subprocess.run(
            ["espeak-ng", "-s", str(voice.espeak_wpm), "--stdout", text],
            check=True,
            capture_output=True,
        ).stdout
        with wave.open(io.BytesIO(spoken)) as audio:
            rate = audio.getframerate()
            samples = np.frombuffer(audio.readframes(audio.getnframes()), np.int16)
            samples = samples.astype(np.float32)
    # Resample to 16 kHz by interpolation: enough for a benchmark's input.
    positions = np.arange(0, len(samples), rate / RATE)
    return np.interp(positions, np.arange(len(samples)), samples) / 32768.0


def spoken(voice: Voice, script: str) -> np.ndarray:
    """The script said in `voice`, with PAUSE_SECONDS of silence at each [pause]."""
    gap = np.zeros(int(PAUSE_SECONDS * RATE), np.float32)
    parts: list[np.ndarray] = []
    for piece in script.split(PAUSE):
        if parts:
            parts.append(gap)
        parts.append(say(voice, piece.strip()).astype(np.float32))
    return np.concatenate(parts)


def as_browser_sends(samples: np.ndarray) -> bytes:
    """Encode as Opus in WebM (48 kHz mono), as MediaRecorder does, then back: lossy, as live."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            (samples * 32767).astype(np.int16).reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def normalise(text: str) -> str:
    text = text.replace(PAUSE, " ").lower().replace("-", " ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9' ]", " ", text)).strip()


@dataclass
class Heard:
    wer: float
    audio_seconds: float
    wall_seconds: float
    cpu_seconds: float
    fillers_said: int
    fillers_heard: int
    pauses_said: int
    pauses_heard: int
    wpm: int | None


def hear(recording: bytes, script: str) -> Heard:
    cpu, wall = time.process_time(), time.perf_counter()
    samples = local_speech.decode(io.BytesIO(recording))
    heard = local_speech.transcribe(samples)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    measured = delivery.measure(
        heard.text,
        duration_seconds=heard.duration_seconds,
        levels=None,
        frame_seconds=0.02,
        word_times=heard.words,
    )
    return Heard(
        wer=jiwer.wer(normalise(script), normalise(heard.text) or "-"),
        audio_seconds=heard.duration_seconds,
        wall_seconds=wall,
        cpu_seconds=cpu,
        fillers_said=sum(delivery.filler_counts(script.replace(PAUSE, " ")).values()),
        fillers_heard=measured["filler_count"],
        pauses_said=script.count(PAUSE),
        pauses_heard=measured["long_pauses"] or 0,
        wpm=measured["wpm"],
    )


def captions_cost(samples: np.ndarray) -> tuple[float, int]:
    """Caption a recording as it arrives, every CAPTION_EVERY seconds; return CPU seconds, count."""
    settled, since, cpu, count = "", 0.0, 0.0, 0
    for end in np.arange(CAPTION_EVERY, len(samples) / RATE, CAPTION_EVERY):
        recording = as_browser_sends(samples[: int(end * RATE)])
        started = time.process_time()
        caption = local_speech.caption(recording, settled=settled, since=since)
        cpu += time.process_time() - started
        settled, since, count = caption.settled, caption.settled_until, count + 1
    return cpu, count


def main() -> None:
    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    local_speech.whisper()
    loaded = time.perf_counter() - started
    after = process.memory_info().rss
    print(f"Model: {local_speech.model_dir()}")
    print(
        f"Threads {settings.STT_LOCAL_THREADS}, beam {settings.STT_LOCAL_BEAM}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"Load: {loaded:.2f} s; memory {before / 2**20:.0f} MB before, {after / 2**20:.0f} MB after"
    )
    print()
    print("| voice | answers | audio | WER | RTF | fillers heard | pauses heard | wpm |")
    print("|---|---|---|---|---|---|---|---|")
    texts = scripts()
    total_audio = total_wall = 0.0
    for voice in VOICES:
        results = [hear(as_browser_sends(spoken(voice, text)), text) for text in texts]
        audio = sum(r.audio_seconds for r in results)
        wall = sum(r.wall_seconds for r in results)
        total_audio, total_wall = total_audio + audio, total_wall + wall
        words = sum(len(normalise(t).split()) for t in texts)
        wer = sum(r.wer * len(normalise(t).split()) for r, t in zip(results, texts, strict=True))
        rates = [r.wpm for r in results if r.wpm]
        print(
            f"| {voice.name} | {len(results)} | {audio:.0f} s | {wer / words:.1%} "
            f"| {wall / audio:.2f} "
            f"| {sum(r.fillers_heard for r in results)} of {sum(r.fillers_said for r in results)} "
            f"| {sum(r.pauses_heard for r in results)} of {sum(r.pauses_said for r in results)} "
            f"| {round(sum(rates) / len(rates)) if rates else '-'} |"
        )

    monologue_text = " ".join(t.replace(PAUSE, "") for t in texts)
    clear = VOICES[0]
    samples = spoken(clear, monologue_text)
    while len(samples) < MONOLOGUE_SECONDS * RATE:
        samples = np.concatenate([samples, samples])
    samples = samples[: MONOLOGUE_SECONDS * RATE]
    wall = time.perf_counter()
    local_speech.transcribe(local_speech.decode(io.BytesIO(as_browser_sends(samples))))
    wall = time.perf_counter() - wall
    total_audio, total_wall = total_audio + MONOLOGUE_SECONDS, total_wall + wall
    print()
    rtf = wall / MONOLOGUE_SECONDS
    print(f"A {MONOLOGUE_SECONDS // 60}-minute monologue: heard in {wall:.1f} s (RTF {rtf:.2f})")
    print(
        f"One worker process hears {total_audio / total_wall:.1f} minutes of answers a minute "
        f"({total_audio / 60:.1f} minutes in {total_wall / 60:.1f})"
    )
    minute = spoken(clear, texts[0] + " " + texts[1] + " " + texts[2])[: 60 * RATE]
    cpu, count = captions_cost(minute)
    seconds = len(minute) / RATE
    print(
        f"Captions every {CAPTION_EVERY:g} s: {count} over {seconds:.0f} s of speech, "
        f"{cpu / count:.2f} CPU s each, {cpu * 60 / seconds:.1f} CPU s per minute of speech"
    )


if __name__ == "__main__":
    main()
