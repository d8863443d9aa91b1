"""How a spoken answer was delivered: pace, filler words, long pauses and hedging, with guidance.

Pure values in and out. The worker passes the transcript with each word's time when the local
engine heard it, else the recording's loudness frame by frame (`voice.audio.levels`): pauses are
measured from the sound or the word timings, never guessed from text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import Any

from ai.local.signals import HEDGES
from ai.local_speech import Word
from ai.text import find_occurrences, normalise, tokens, word_set

LONG_PAUSE_SECONDS = 2.0
# Loudness: below this (dBFS) nothing in the recording counts as speech.
SPEECH_FLOOR_DBFS = -50.0
# A burst of sound shorter than this inside a silence (a click, a breath) does not end a pause.
MIN_SOUND_SECONDS = 0.1
# Words a minute: under SLOW is slow, COMFORTABLE is the range to aim for, over FAST is fast.
SLOW_WPM, COMFORTABLE_WPM, FAST_WPM = 110, (130, 170), 180
# Fillers a minute: up to FEW_FILLERS goes unnoticed, over MANY_FILLERS distracts.
FEW_FILLERS, MANY_FILLERS = 1.0, 4.0

# Sounds and phrases that fill a gap without meaning; "like" is judged by its neighbours below.
FILLERS: tuple[str, ...] = (
    "um", "umm", "uh", "uhh", "erm", "er", "hmm", "you know", "i mean", "kind of", "sort of",
    "basically", "actually", "literally", "so yeah", "and stuff", "or whatever",
)  # fmt: skip
# The word just before a phrase that makes it mean something: "what kind of", "do you know".
_MEANT_AFTER: dict[str, frozenset[str]] = {
    "you know": word_set("do did does don't didn't doesn't if whether what"),
    "i mean": frozenset({"what"}),
    "kind of": word_set(
        "what which this that these those a an the any some every each same different one "
        "another all no that's what's"
    ),
}
_MEANT_AFTER["sort of"] = _MEANT_AFTER["kind of"]
# "like" is a verb or a comparison after these: "I'd like to", "looks like", "tools like".
_LIKE_MEANT_AFTER = word_set(
    """
    i you we they he she would i'd you'd we'd they'd he'd she'd don't didn't doesn't do does did
    to really also might will i'll we'll you'll not look looks looked looking sound sounds
    sounded seem seems seemed feel feels felt something anything nothing things stuff just more
    much exactly very lot act acts acted
    """
)
# ...and a filler after these ("and like", "um like") or before these ("like really").
_LIKE_FILLER_AFTER = word_set("and but so or um umm uh uhh erm er like yeah well")
_LIKE_FILLER_BEFORE = word_set(
    "um umm uh uhh erm er like really totally literally basically actually super kinda"
)
# "like I said": "as", not a filler.
_LIKE_AS = frozenset({("i", "said"), ("i", "say"), ("i", "mentioned"), ("we", "said")})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[,.!?;:]")
_PUNCTUATION = frozenset(",.!?;:")


@dataclass(frozen=True)
class Activity:
    """When the recording has speech in it."""

    speaking_seconds: float  # from the first sound of speech to the last
    pauses: list[float]  # silences of LONG_PAUSE_SECONDS or more between speech, in order


def speech_activity(levels: Sequence[float], frame_seconds: float) -> Activity:
    """Find the speech and the long pauses in a recording from its loudness per frame (dBFS)."""
    if not levels:
        return Activity(0.0, [])
    ordered = sorted(levels)
    loud = ordered[int(0.95 * (len(ordered) - 1))]
    if loud < SPEECH_FLOOR_DBFS:
        return Activity(0.0, [])
    quiet = ordered[int(0.10 * (len(ordered) - 1))]
    # Halfway between the background and the voice in decibels, but never far below the voice
    # (a noisy room) nor close to it (a steady sound is all "speech").
    threshold = min(loud - 6, max(loud - 25, (loud + quiet) / 2))
    shortest = max(1, round(MIN_SOUND_SECONDS / frame_seconds))
    sounds: list[tuple[int, int]] = []  # (first frame, frame after the last)
    start = 0
    for voiced, run in groupby(level >= threshold for level in levels):
        length = len(list(run))
        if voiced and length >= shortest:
            sounds.append((start, start + length))
        start += length
    if not sounds:
        return Activity(0.0, [])
    gaps = [(nxt[0] - end) * frame_seconds for (_, end), nxt in pairwise(sounds)]
    return Activity(
        speaking_seconds=round((sounds[-1][1] - sounds[0][0]) * frame_seconds, 1),
        pauses=[round(gap, 1) for gap in gaps if gap >= LONG_PAUSE_SECONDS],
    )


def word_activity(words: Sequence[Word]) -> Activity:
    """Find the speech and the long pauses in a recording from when each word was said."""
    if not words:
        return Activity(0.0, [])
    gaps = [nxt.start - word.end for word, nxt in pairwise(words)]
    return Activity(
        speaking_seconds=round(words[-1].end - words[0].start, 1),
        pauses=[round(gap, 1) for gap in gaps if gap >= LONG_PAUSE_SECONDS],
    )


def filler_counts(transcript: str) -> dict[str, int]:
    """Count the filler words and phrases of a transcript, most frequent first."""
    toks = _TOKEN.findall(normalise(transcript))
    found: Counter[str] = Counter()
    i = 0
    while i < len(toks):
        before = toks[i - 1] if i else ""
        pair = " ".join(toks[i : i + 2])
        if pair in FILLERS and before not in _MEANT_AFTER.get(pair, ()):
            found[pair] += 1
            i += 2
            continue
        if toks[i] in FILLERS or (toks[i] == "like" and _is_filler_like(toks, i)):
            found[toks[i]] += 1
        i += 1
    return dict(found.most_common())


def _is_filler_like(toks: Sequence[str], i: int) -> bool:
    """Tell whether the "like" at toks[i] fills a gap ("it was, like, slow") or means something."""
    before = toks[i - 1] if i else ""
    after = toks[i + 1] if i + 1 < len(toks) else ""
    next_two = tuple(toks[i + 1 : i + 3])
    if before in _LIKE_MEANT_AFTER or next_two in _LIKE_AS:
        return False
    return (
        "," in (before, after)
        or before in _LIKE_FILLER_AFTER
        or after in _LIKE_FILLER_BEFORE
        or next_two == ("you", "know")
    )


def find_hedges(transcript: str) -> list[str]:
    """Return the hedges of a transcript ("I think", "maybe"); those counted as fillers are not."""
    return [h for h in find_occurrences(tokens(transcript), HEDGES) if h not in FILLERS]


def measure(
    transcript: str,
    *,
    duration_seconds: float,
    levels: Sequence[float] | None,
    frame_seconds: float,
    word_times: Sequence[Word] = (),
) -> dict[str, Any]:
    """Return the delivery of one spoken answer: its figures and what they mean.

    `word_times` (each word's time, from the local engine) come first; else `levels`. Without either
    (the recording could not be read) the whole recording counts as speaking time and the pauses
    are unknown.
    """
    if word_times:
        activity = word_activity(word_times)
        speaking, pauses = activity.speaking_seconds, activity.pauses
    elif levels is None:
        speaking, pauses = duration_seconds, None
    else:
        activity = speech_activity(levels, frame_seconds)
        speaking, pauses = activity.speaking_seconds, activity.pauses
    words = len([t for t in _TOKEN.findall(normalise(transcript)) if t not in _PUNCTUATION])
    fillers = filler_counts(transcript)
    hedged = find_hedges(transcript)
    figures = _figures(
        speaking_seconds=speaking,
        words=words,
        fillers=fillers,
        long_pauses=None if pauses is None else len(pauses),
        longest_pause=max(pauses, default=0.0) if pauses is not None else None,
        hedges=hedged,
    )
    return {"duration_seconds": round(duration_seconds, 1), **figures}


def overall(answers: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Return the delivery across several spoken answers (each as `measure` returned it)."""
    if not answers:
        return {}
    fillers: Counter[str] = Counter()
    for answer in answers:
        fillers.update(answer["fillers"])
    measured = [a for a in answers if a["long_pauses"] is not None]
    return {
        "answers": len(answers),
        **_figures(
            speaking_seconds=round(sum(a["speaking_seconds"] for a in answers), 1),
            words=sum(a["words"] for a in answers),
            fillers=dict(fillers.most_common()),
            long_pauses=sum(a["long_pauses"] for a in measured) if measured else None,
            longest_pause=max((a["longest_pause"] for a in measured), default=None),
            hedges=[h for a in answers for h in a["hedges"]],
        ),
    }


def _figures(
    *,
    speaking_seconds: float,
    words: int,
    fillers: dict[str, int],
    long_pauses: int | None,
    longest_pause: float | None,
    hedges: list[str],
) -> dict[str, Any]:
    minutes = speaking_seconds / 60
    # Under a few seconds of speech a rate says little.
    wpm = round(words / minutes) if words and speaking_seconds >= 5 else None
    filler_count = sum(fillers.values())
    per_minute = round(filler_count / minutes, 1) if minutes else None
    figures = {
        "speaking_seconds": speaking_seconds,
        "words": words,
        "wpm": wpm,
        "fillers": fillers,
        "filler_count": filler_count,
        "fillers_per_minute": per_minute,
        "long_pauses": long_pauses,
        "longest_pause": longest_pause,
        "hedges": hedges,
    }
    return {**figures, "guidance": guidance(figures)}


def guidance(figures: dict[str, Any]) -> list[str]:
    """Say in plain words what the figures mean and what to do about them."""
    lines = []
    if figures["wpm"] is not None:
        lines.append(pace(figures["wpm"]))
    per_minute = figures["fillers_per_minute"]
    if per_minute is not None:
        count = figures["filler_count"]
        common = ", ".join(f"“{_as_said(f)}”" for f in list(figures["fillers"])[:3])
        if per_minute <= FEW_FILLERS:
            lines.append("hardly any filler words")
        elif per_minute <= MANY_FILLERS:
            lines.append(
                f"{count} filler words ({common}), about {per_minute:g} a minute: "
                "a silent pause would sound more sure"
            )
        else:
            lines.append(
                f"{count} filler words ({common}), about {per_minute:g} a minute: "
                "pause silently instead of filling the gap"
            )
    if figures["long_pauses"]:
        n = figures["long_pauses"]
        lines.append(
            f"{n} long pause{'s' if n > 1 else ''} (the longest {figures['longest_pause']:.0f} s): "
            "taking time to think is fine; say so (“Let me think about that”) so the silence "
            "does not sound like being stuck"
        )
    elif figures["long_pauses"] == 0:
        lines.append("no long pauses")
    if figures["hedges"]:
        n = len(figures["hedges"])
        common = ", ".join(f"“{_as_said(h)}”" for h, _ in Counter(figures["hedges"]).most_common(3))
        lines.append(
            f"hedged {n} time{'s' if n > 1 else ''} ({common}): "
            "state your answer first, then qualify it once"
        )
    return lines


def _as_said(phrase: str) -> str:
    """Write a lower-cased phrase as it is spoken: "i mean" → "I mean"."""
    return re.sub(r"\bi\b", "I", phrase)


def pace(wpm: int) -> str:
    """Describe a speaking rate, e.g. "about 190 words a minute: slow down a little"."""
    about = 5 * round(wpm / 5)
    if about < SLOW_WPM:
        advice = "slow; pick up the pace a little (130 to 170 is comfortable)"
    elif about < COMFORTABLE_WPM[0]:
        advice = "a little slow; a touch more pace will sound more sure"
    elif about <= COMFORTABLE_WPM[1]:
        advice = "a comfortable pace"
    elif about <= FAST_WPM:
        advice = "a little quick; keep every point clear"
    else:
        advice = "slow down a little"
    return f"about {about} words a minute: {advice}"
