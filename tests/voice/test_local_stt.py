"""The local speech engine, on real speech (espeak-ng) and real models (the packaged Whisper
tiny.en and Piper voice): what it hears, how it measures delivery, and what it does with silence,
noise, a cut-off recording, and speech it is asked to caption as it arrives.
"""

from __future__ import annotations

import io
import random
from array import array

import pytest

from ai import local_speech, speech
from interviews import recordings, services
from interviews.models import Answer, Event, Interview
from interviews.state import State
from tests.voice.audio_samples import needs_espeak, silence, wav, webm
from tests.voice.audio_samples import speech as espeak
from voice import delivery

pytestmark = [needs_espeak]
SAID = "I would profile the service first, and then I would fix the slowest query."
# espeak-ng's robotic voice is harder to hear than a person's (or Piper's): most words, not all.
HEARD = 0.7


def words_of(text: str) -> list[str]:
    return text.lower().replace(",", "").replace(".", "").split()


def overlap(heard: str, said: str) -> float:
    """The share of the words said that were heard."""
    heard_words = set(words_of(heard))
    said_words = words_of(said)
    return sum(word in heard_words for word in said_words) / len(said_words)


@pytest.fixture(scope="module")
def spoken() -> bytes:
    samples, rate = espeak(SAID)
    return webm(wav(samples, rate))


def noise(seconds: float, rate: int = 16_000) -> array[int]:
    rng = random.Random(7)
    return array("h", (rng.randint(-6000, 6000) for _ in range(round(seconds * rate))))


# --- The engine -------------------------------------------------------------------------------


def test_it_hears_a_recording_with_the_time_of_each_word(spoken, tmp_path):
    path = tmp_path / "answer.webm"
    path.write_bytes(spoken)

    transcript = speech.transcribe(path, content_type="audio/webm")

    assert transcript.engine == "local"
    assert overlap(transcript.text, SAID) >= HEARD
    starts = [word.start for word in transcript.words]
    assert starts == sorted(starts)
    assert transcript.words[-1].end <= (transcript.duration_seconds or 0)
    assert local_speech.join(transcript.words) == transcript.text


def test_the_model_is_loaded_once_per_process(spoken):
    samples = local_speech.decode(io.BytesIO(spoken))
    local_speech.transcribe(samples)
    loaded = local_speech.whisper.cache_info()
    local_speech.transcribe(samples)
    assert local_speech.whisper.cache_info().misses == loaded.misses <= 1


def test_silence_and_noise_have_no_words():
    for sound in (silence(4, 16_000), noise(4)):
        samples = local_speech.decode(io.BytesIO(wav(sound, 16_000)))
        assert local_speech.transcribe(samples).words == ()


def test_a_recording_cut_off_midway_is_heard_up_to_the_cut(spoken):
    samples = local_speech.decode(io.BytesIO(spoken[: len(spoken) // 2]))
    heard = local_speech.transcribe(samples).text
    assert 2 <= len(words_of(heard)) < len(words_of(SAID))
    assert overlap(heard, "I would profile the service first") >= 0.6


def test_what_is_not_audio_is_refused_by_the_engine():
    with pytest.raises(local_speech.LocalSpeechError):
        local_speech.decode(io.BytesIO(b"%PDF-1.7 not a recording"))


def test_pauses_and_pace_come_from_the_word_timings():
    first, rate = espeak("I would profile the service first.")
    second, _ = espeak("Then I would fix the slowest query.")
    recording = wav(first + silence(3.5, rate) + second, rate)

    heard = local_speech.transcribe(local_speech.decode(io.BytesIO(recording)))
    measured = delivery.measure(
        heard.text, duration_seconds=heard.duration_seconds, levels=None, frame_seconds=0.02,
        word_times=heard.words,
    )  # fmt: skip

    assert measured["long_pauses"] == 1
    assert measured["longest_pause"] == pytest.approx(3.5, abs=0.8)
    assert measured["speaking_seconds"] < heard.duration_seconds


def test_a_caption_settles_what_will_not_change_and_hears_only_what_is_new(spoken):
    samples, rate = espeak(SAID)
    whole = webm(wav(samples, rate))
    part = webm(wav(samples[: len(samples) * 2 // 3], rate))

    first = local_speech.caption(part)
    assert first.text and first.settled and first.text.startswith(first.settled)
    assert 0 < first.settled_until < len(samples) / rate
    second = local_speech.caption(whole, settled=first.settled, since=first.settled_until)

    assert second.text.startswith(first.settled)
    assert overlap(second.text, SAID) >= HEARD


# --- Through the interview --------------------------------------------------------------------


@pytest.fixture
def listening(student, make_interview) -> Interview:
    interview = make_interview(student, answer_mode=Interview.AnswerMode.VOICE)
    services.interview_start(interview_id=interview.pk, user=student)
    interview.refresh_from_db()
    return interview


def _submit(interview, user, data: bytes, client_id: str = "r1") -> Answer:
    answer, _ = recordings.audio_answer_submit(
        interview_id=interview.pk, user=user, client_id=client_id, recording=io.BytesIO(data)
    )
    return answer


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_with_no_provider_the_server_hears_the_answer(student, listening, spoken):
    answer = _submit(listening, student, spoken)

    answer.refresh_from_db()
    assert answer.transcript_source == Answer.TranscriptSource.SERVER
    assert overlap(answer.text, SAID) >= HEARD
    assert answer.delivery["words"] >= 10 and answer.delivery["long_pauses"] == 0
    assert answer.evaluation is not None  # heard, then judged
    transcripts = [e.payload for e in Event.objects.filter(interview=listening, type="transcript")]
    assert [(t["final"], t["source"]) for t in transcripts] == [
        (False, "browser"),
        (True, "server"),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_a_recording_with_no_words_is_given_back_and_the_question_opens_again(
    student, listening, spoken
):
    _submit(listening, student, webm(wav(noise(3), 16_000)), client_id="noise")

    listening.refresh_from_db()
    assert listening.state == State.LISTENING
    assert not listening.answers.exists()
    withdrawn = Event.objects.get(interview=listening, type="answer.withdrawn").payload
    assert withdrawn["code"] == "no_words" and "microphone" in withdrawn["message"]

    # The same question is answered again, and this time heard.
    answer = _submit(listening, student, spoken, client_id="again")
    answer.refresh_from_db()
    assert answer.turn.position == 1 and overlap(answer.text, SAID) >= HEARD


def test_the_packaged_voice_speaks_what_whisper_hears_back(settings):
    settings.TTS_PROVIDER = "local"
    text = "Tell me about a time you disagreed with a colleague."

    audio = b"".join(speech.synthesize_stream(text))

    samples = local_speech.decode(io.BytesIO(audio))
    assert len(samples) / local_speech.SAMPLE_RATE > 1.5
    assert overlap(local_speech.transcribe(samples).text, text) >= 0.8
    assert speech.voice_name() == "piper/en_US-joe-medium"
