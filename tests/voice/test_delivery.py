"""Delivery metrics: on known transcripts, and on known audio made in the test."""

from __future__ import annotations

import pytest

from tests.voice.audio_samples import needs_espeak, silence, spoken_with_gap, tone, wav, webm
from voice import audio, delivery
from voice.delivery import filler_counts, find_hedges, measure, overall, pace, speech_activity

# --- Fillers and hedges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transcript", "fillers"),
    [
        ("Um, I would, like, profile it first.", {"um": 1, "like": 1}),
        (
            "So yeah, you know, it was kind of slow, sort of.",
            {"so yeah": 1, "you know": 1, "kind of": 1, "sort of": 1},
        ),
        (
            "I mean it basically, actually, literally broke. Uh. Erm.",
            {"i mean": 1, "basically": 1, "actually": 1, "literally": 1, "uh": 1, "erm": 1},
        ),
        ("and like really it was like um fine", {"like": 2, "um": 1}),
        ("it was like you know a mess", {"like": 1, "you know": 1}),
    ],
)
def test_filler_words_and_phrases_are_counted_as_phrases(transcript, fillers):
    assert filler_counts(transcript) == fillers


@pytest.mark.parametrize(
    "transcript",
    [
        "I'd like to start with the logs.",
        "It looks like the cache was cold, and it felt like a memory leak.",
        "We used tools like Docker and Kafka.",
        "I would like to add an index; I don't like guessing.",
        "So like I said, we measured first.",
        "What kind of database would suit this sort of load?",
        "Do you know what I mean by that?",
        "It sounds like something like a race condition.",
    ],
)
def test_words_that_mean_something_are_not_fillers(transcript):
    assert filler_counts(transcript) == {}


def test_the_most_frequent_filler_comes_first():
    assert list(filler_counts("um, so, uh, um, like, um, you know, uh")) == [
        "um",
        "uh",
        "like",
        "you know",
    ]


def test_hedges_come_from_the_local_engine_but_fillers_are_not_counted_twice():
    said = "I think maybe we could, kind of, add a cache. I'm not sure it would help."
    assert find_hedges(said) == ["i think", "maybe", "i'm not sure"]


# --- Pace and guidance ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wpm", "text"),
    [
        (
            95,
            "about 95 words a minute: slow; pick up the pace a little (130 to 170 is comfortable)",
        ),
        (121, "about 120 words a minute: a little slow; a touch more pace will sound more sure"),
        (150, "about 150 words a minute: a comfortable pace"),
        (176, "about 175 words a minute: a little quick; keep every point clear"),
        (188, "about 190 words a minute: slow down a little"),
    ],
)
def test_pace_is_described_in_plain_words(wpm, text):
    assert pace(wpm) == text


def _words(n: int) -> str:
    return " ".join(["profile"] * n)


def test_words_a_minute_are_counted_over_the_speaking_time():
    metrics = measure(_words(190), duration_seconds=70, levels=None, frame_seconds=0.02)

    assert metrics["speaking_seconds"] == 70 and metrics["words"] == 190
    assert metrics["wpm"] == 163
    assert metrics["guidance"][0] == "about 165 words a minute: a comfortable pace"
    assert metrics["long_pauses"] is None  # no recording to measure them from


def test_a_fast_talker_with_fillers_pauses_and_hedges_is_told_so():
    said = ("um " * 6) + "I think " + _words(192)
    levels = [-10.0] * 1500 + [-90.0] * 150 + [-10.0] * 1500  # 30 s, a 3 s pause, 30 s
    metrics = measure(said, duration_seconds=66, levels=levels, frame_seconds=0.02)

    assert metrics["speaking_seconds"] == 63.0
    assert (metrics["long_pauses"], metrics["longest_pause"]) == (1, 3.0)
    assert metrics["wpm"] == 190
    assert metrics["fillers_per_minute"] == 5.7
    assert metrics["guidance"] == [
        "about 190 words a minute: slow down a little",
        "6 filler words (“um”), about 5.7 a minute: pause silently instead of filling the gap",
        "1 long pause (the longest 3 s): taking time to think is fine; say so (“Let me think "
        "about that”) so the silence does not sound like being stuck",
        "hedged 1 time (“I think”): state your answer first, then qualify it once",
    ]


def test_a_short_answer_gets_no_words_a_minute():
    assert measure("Yes.", duration_seconds=2, levels=None, frame_seconds=0.02)["wpm"] is None


def test_the_interview_overall_adds_the_answers_up():
    first = measure("um " + _words(149), duration_seconds=60, levels=None, frame_seconds=0.02)
    levels = [-10.0] * 500 + [-90.0] * 125 + [-10.0] * 875  # a 2.5 s pause
    second = measure(
        "you know " + _words(98), duration_seconds=30, levels=levels, frame_seconds=0.02
    )

    total = overall([first, second])

    assert total["answers"] == 2
    assert total["speaking_seconds"] == 90.0 and total["words"] == 250
    assert total["wpm"] == 167
    assert total["fillers"] == {"um": 1, "you know": 1}
    assert (total["long_pauses"], total["longest_pause"]) == (1, 2.5)
    assert total["guidance"][0] == "about 165 words a minute: a comfortable pace"
    assert overall([]) == {}


# --- Pauses from the sound ------------------------------------------------------------------


def test_pauses_are_silences_of_two_seconds_or_more_between_speech():
    loud, quiet = -12.0, -70.0
    levels = (
        [quiet] * 100  # silence before the first word is not a pause
        + [loud] * 50
        + [quiet] * 99  # 1.98 s: short of a long pause
        + [loud] * 50
        + [quiet] * 100  # 2 s
        + [loud] * 50
        + [quiet] * 2  # a click in the silence does not end it...
        + [loud] * 2
        + [quiet] * 200
        + [loud] * 50
        + [quiet] * 300  # ...and silence after the last word is not a pause either
    )

    activity = speech_activity(levels, 0.02)

    assert activity.pauses == [2.0, 4.1]
    assert activity.speaking_seconds == 12.1  # from the first sound to the last


def test_a_noisy_room_still_shows_the_pauses():
    levels = [-20.0, -22.0] * 100 + [-48.0, -45.0] * 75 + [-21.0] * 200
    assert speech_activity(levels, 0.02).pauses == [3.0]


# --- Known audio ----------------------------------------------------------------------------


def _levels(tmp_path, recording: bytes) -> list[float]:
    path = tmp_path / "answer.webm"
    path.write_bytes(webm(recording))
    return audio.levels(path)


def test_pure_silence_has_no_speech_and_no_pauses(tmp_path):
    levels = _levels(tmp_path, wav(silence(5)))

    assert len(levels) == pytest.approx(5 / audio.FRAME_SECONDS, abs=3)
    assert speech_activity(levels, audio.FRAME_SECONDS) == delivery.Activity(0.0, [])


def test_a_steady_tone_is_all_sound_and_no_pause(tmp_path):
    activity = speech_activity(_levels(tmp_path, wav(tone(5))), audio.FRAME_SECONDS)
    assert activity == delivery.Activity(5.0, [])


@needs_espeak
def test_speech_with_a_three_second_gap_has_one_long_pause(tmp_path):
    recording, seconds = spoken_with_gap(
        "Tell me about a time you disagreed with your team.",
        "I listened first, then I proposed a small experiment.",
        gap_seconds=3,
    )

    activity = speech_activity(_levels(tmp_path, recording), audio.FRAME_SECONDS)

    # espeak-ng adds a little silence at each end of a sentence.
    assert len(activity.pauses) == 1 and 3.0 <= activity.pauses[0] <= 3.8
    assert seconds - 1 <= activity.speaking_seconds <= seconds
