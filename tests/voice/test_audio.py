"""Reading recordings with PyAV: what is audio, in which format, and how long."""

from __future__ import annotations

import io

import pytest

from tests.voice.audio_samples import PNG, silence, tone, wav, webm
from voice import audio


def _probe(data: bytes, max_seconds: float = 60) -> audio.Recording:
    return audio.probe(io.BytesIO(data), max_seconds=max_seconds)


def test_a_browser_recording_is_opus_in_webm_and_its_length_is_decoded():
    recording = _probe(webm(wav(tone(2.5))))
    assert (recording.content_type, recording.extension) == ("audio/webm", "webm")
    assert recording.duration_seconds == pytest.approx(2.5, abs=0.01)


def test_a_wav_is_taken_too():
    assert _probe(wav(tone(1))) == audio.Recording("audio/wav", "wav", pytest.approx(1.0))


def test_a_recording_cut_off_midway_is_still_audio():
    whole = webm(wav(tone(4)))
    assert 1 < _probe(whole[: len(whole) // 2]).duration_seconds < 3


@pytest.mark.parametrize(
    "payload",
    [PNG, bytes(range(256)) * 64, b"", b"Just some text, not a recording."],
    ids=["png", "noise", "nothing", "text"],
)
def test_what_is_not_audio_is_refused(payload):
    with pytest.raises(audio.AudioError) as error:
        _probe(payload)
    assert error.value.code == "not_audio"


def test_a_recording_without_sound_is_empty():
    with pytest.raises(audio.AudioError) as error:
        _probe(wav(silence(0)))
    assert error.value.code == "audio_empty"


def test_decoding_stops_as_soon_as_a_recording_is_too_long():
    with pytest.raises(audio.AudioError) as error:
        _probe(webm(wav(tone(6))), max_seconds=2)
    assert error.value.code == "audio_too_long"
    assert 2 < error.value.seconds < 2.5  # not decoded to the end


def test_the_file_is_left_at_its_start_for_whoever_saves_it():
    file = io.BytesIO(webm(wav(tone(1))))
    audio.probe(file, max_seconds=60)
    assert file.tell() == 0
