"""Spoken answers through the services and the worker: storing, transcribing, measuring,
replaying and deleting them. The WebSocket side is in test_consumer_audio.py.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import accommodations_update
from config.errors import Refused
from interviews import recordings, selectors, services, tasks
from interviews.models import Answer, Interview
from interviews.recordings import answer_audio_delete_expired
from interviews.state import State
from interviews.tasks import delete_expired_audio
from tests.ai import openai_recorded
from tests.ai.speech_recorded import transcription
from tests.factories import UserFactory
from tests.voice.audio_samples import PNG, needs_espeak, spoken_with_gap, tone, wav, webm

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

SAID = (
    "In my last internship the checkout API went from 200 ms to 3 s. I reproduced it with a load "
    "test, profiled it, found an N+1 query, added select_related and an index, and the p95 fell "
    "to 180 ms."
)


@pytest.fixture(autouse=True)
def browser_recognition_only(settings):
    """These recordings are mostly tones: the browser's words are the answer, unless a test
    turns server transcription on (the `stt` fixture, or the local engine in test_local_stt.py)."""
    settings.STT_PROVIDER = "none"


@pytest.fixture(scope="module")
def recording() -> bytes:
    """Four seconds of a steady tone, as a browser would send it."""
    return webm(wav(tone(4)))


@pytest.fixture
def listening(student, make_interview) -> Interview:
    interview = make_interview(student, answer_mode=Interview.AnswerMode.VOICE)
    services.interview_start(interview_id=interview.pk, user=student)
    interview.refresh_from_db()
    assert interview.state == State.LISTENING
    return interview


def _submit(interview, user, data, client_id="r1", browser_transcript=""):
    return recordings.audio_answer_submit(
        interview_id=interview.pk,
        user=user,
        client_id=client_id,
        recording=io.BytesIO(data),
        browser_transcript=browser_transcript,
    )


def _transcripts(interview) -> list[dict]:
    return [
        {k: e.payload[k] for k in ("text", "final", "source")}
        for e in interview.events.filter(type="transcript").order_by("seq")
    ]


def _media_files(settings) -> list:
    return sorted(p for p in (settings.MEDIA_ROOT / "answers").rglob("*") if p.is_file())


# --- Storing and transcribing ---------------------------------------------------------------


def test_with_server_transcription_the_servers_words_replace_the_browsers(
    stt, student, listening, recording, settings
):
    stt.reply(transcription(SAID, seconds=4.0))

    answer, created = _submit(listening, student, recording, browser_transcript="in my last")

    assert created
    answer.refresh_from_db()
    assert (answer.kind, answer.text, answer.transcript_source) == ("audio", SAID, "server")
    assert answer.audio_format == "audio/webm" and answer.duration_seconds == pytest.approx(4, 0.01)
    assert answer.audio.name.startswith(f"answers/{listening.pk}/")
    assert answer.audio.name.endswith(".webm")
    assert _transcripts(listening) == [
        {"text": "in my last", "final": False, "source": "browser"},
        {"text": SAID, "final": True, "source": "server"},
    ]
    (request,) = stt.requests
    assert b'filename="' in request.content and b".webm" in request.content
    assert recording in request.content  # the bytes the browser sent, unchanged
    assert answer.evaluation.overall > 0  # evaluated from the server's transcript
    listening.refresh_from_db()
    assert listening.state == State.LISTENING  # the next question is waiting


def test_without_server_transcription_the_browsers_words_are_the_answer(
    student, listening, recording
):
    answer, _ = _submit(listening, student, recording, browser_transcript=f"  {SAID} ")

    answer.refresh_from_db()
    assert (answer.text, answer.transcript_source) == (SAID, "browser")
    assert _transcripts(listening) == [{"text": SAID, "final": True, "source": "browser"}]
    assert answer.delivery["words"] == len(re.findall(r"[a-z0-9]+", SAID, re.IGNORECASE))
    assert answer.delivery["long_pauses"] == 0  # a steady tone has none


def test_with_no_transcription_at_all_nothing_is_stored(student, listening, recording, settings):
    with pytest.raises(Refused) as refusal:
        _submit(listening, student, recording, browser_transcript="   ")

    assert refusal.value.code == "no_transcript"
    assert refusal.value.message == "We could not hear any words. Try again, or type your answer."
    assert not Answer.objects.exists()
    assert not (settings.MEDIA_ROOT / "answers").exists()


def test_a_failed_transcription_keeps_the_browsers_words_and_says_so(
    stt, student, listening, recording
):
    stt.reply(*[openai_recorded.error(500)] * 2)

    answer, _ = _submit(listening, student, recording, browser_transcript=SAID)

    answer.refresh_from_db()
    assert (answer.text, answer.transcript_source) == (SAID, "browser")
    assert _transcripts(listening)[-1] == {"text": SAID, "final": True, "source": "browser"}
    listening.refresh_from_db()
    assert listening.state == State.LISTENING


def test_a_failed_transcription_with_no_browser_words_stops_in_error_and_resume_retries(
    stt, student, listening, recording
):
    stt.reply(*[openai_recorded.error(401)] * 10)  # every retry of the step fails too

    _submit(listening, student, recording)

    listening.refresh_from_db()
    assert listening.state == State.ERROR
    assert listening.error_message.startswith("We could not transcribe your answer")
    answer = Answer.objects.get()
    assert answer.audio and answer.transcript_source == "browser"  # kept for the retry

    stt.replies.clear()
    stt.reply(transcription(SAID))
    services.interview_resume(interview_id=listening.pk, user=student)

    answer.refresh_from_db()
    assert (answer.text, answer.transcript_source) == (SAID, "server")
    listening.refresh_from_db()
    assert listening.state == State.LISTENING


@needs_espeak
def test_speech_is_measured_from_the_recording(student, listening):
    speech, seconds = spoken_with_gap(
        "I would profile the service first, to find where the time goes.",
        "Then I would fix the slowest query and measure again.",
        gap_seconds=3,
    )
    said = "I would profile the service first, um, to find where the time goes. Then I would fix "
    said += "the slowest query and measure again."

    answer, _ = _submit(listening, student, webm(speech), browser_transcript=said)

    answer.refresh_from_db()
    assert answer.duration_seconds == pytest.approx(seconds, abs=0.05)
    delivery = answer.delivery
    assert delivery["long_pauses"] == 1 and 3.0 <= delivery["longest_pause"] <= 3.8
    assert delivery["fillers"] == {"um": 1}
    assert delivery["speaking_seconds"] <= seconds
    assert any("1 long pause" in line for line in delivery["guidance"])


@pytest.mark.parametrize(
    ("payload", "code"),
    [(PNG, "not_audio"), (bytes(range(256)) * 64, "not_audio"), (b"", "audio_empty")],
)
def test_what_is_not_audio_is_refused_and_no_file_is_kept(
    student, listening, settings, payload, code
):
    with pytest.raises(Refused) as refusal:
        _submit(listening, student, payload, browser_transcript="hello")

    assert refusal.value.code == code
    assert not Answer.objects.exists()
    assert not (settings.MEDIA_ROOT / "answers").exists()


def test_a_recording_over_the_limit_is_refused(student, listening, settings):
    settings.AUDIO_MAX_SECONDS = 3

    with pytest.raises(Refused) as refusal:
        _submit(listening, student, webm(wav(tone(4))), browser_transcript="hello")

    assert refusal.value.code == "audio_too_long"
    assert refusal.value.message == (
        "That recording is over 3 seconds, the longest an answer can be. Record a shorter answer."
    )
    assert not Answer.objects.exists()


def test_a_students_longer_answer_limit_is_allowed(student, listening, settings):
    settings.AUDIO_MAX_SECONDS = 3
    accommodations_update(
        student=student,
        by=student,
        extra_think_seconds=0,
        answer_limit_minutes=1,
        text_instead_of_voice=False,
    )

    answer, created = _submit(listening, student, webm(wav(tone(4))), browser_transcript="hello")

    assert created and answer.duration_seconds == pytest.approx(4, 0.01)


def test_a_resend_after_success_is_stored_once(student, listening, recording, settings):
    first, created = _submit(listening, student, recording, browser_transcript=SAID)
    again, created_again = _submit(listening, student, recording, browser_transcript=SAID)

    assert created and not created_again and again.pk == first.pk
    assert Answer.objects.count() == 1
    assert len(_media_files(settings)) == 1


def test_a_recording_in_the_wrong_state_is_refused(student, make_interview, recording, settings):
    interview = make_interview(student, answer_mode="voice")

    with pytest.raises(Refused) as refusal:
        recordings.audio_answer_open(interview_id=interview.pk, user=student, client_id="r1")
    assert refusal.value.code == "not_started"
    with pytest.raises(Refused) as refusal:
        _submit(interview, student, recording, browser_transcript=SAID)
    assert refusal.value.code == "not_started"
    assert not Answer.objects.exists()
    assert not _media_files(settings) if (settings.MEDIA_ROOT / "answers").exists() else True


def test_someone_elses_interview_is_not_found(second_student, listening, recording):
    with pytest.raises(Refused) as refusal:
        recordings.audio_answer_open(interview_id=listening.pk, user=second_student, client_id="x")
    assert refusal.value.code == "not_found"
    with pytest.raises(Refused) as refusal:
        _submit(listening, second_student, recording, browser_transcript=SAID)
    assert refusal.value.code == "not_found"
    assert not Answer.objects.exists()


# --- Retention ------------------------------------------------------------------------------


def test_with_zero_days_the_recording_is_deleted_once_transcribed(
    stt, student, listening, recording, settings
):
    organization = student.membership.organization
    organization.audio_retention_days = 0
    organization.save()
    stt.reply(transcription(SAID))

    answer, _ = _submit(listening, student, recording)

    answer.refresh_from_db()
    assert not answer.audio
    assert not _media_files(settings)
    assert answer.text == SAID and answer.delivery["words"] > 0  # what was heard stays


def test_the_periodic_task_deletes_only_recordings_past_retention(
    student, second_student, listening, make_interview, recording, settings
):
    settings.AUDIO_RETENTION_DAYS = 5  # for students outside a career centre
    old, _ = _submit(listening, student, recording, browser_transcript=SAID)
    other = make_interview(second_student, answer_mode="voice")
    services.interview_start(interview_id=other.pk, user=second_student)
    recent, _ = _submit(other, second_student, recording, browser_transcript=SAID)
    loner = UserFactory()
    alone = make_interview(loner, answer_mode="voice")
    services.interview_start(interview_id=alone.pk, user=loner)
    own, _ = _submit(alone, loner, recording, browser_transcript=SAID)
    now = timezone.now()
    Answer.objects.filter(pk=old.pk).update(received_at=now - timedelta(days=31))
    Answer.objects.filter(pk=recent.pk).update(received_at=now - timedelta(days=29))
    Answer.objects.filter(pk=own.pk).update(received_at=now - timedelta(days=6))

    assert delete_expired_audio() == 2  # the organisation keeps 30 days; on one's own, 5

    kept = {a.pk: a for a in Answer.objects.all()}
    assert not kept[old.pk].audio and not kept[own.pk].audio
    assert kept[recent.pk].audio and kept[recent.pk].audio.storage.exists(
        kept[recent.pk].audio.name
    )
    assert len(_media_files(settings)) == 1
    assert all(a.text == SAID and a.delivery for a in kept.values())
    assert answer_audio_delete_expired(now=now) == 0


def test_a_recording_not_yet_heard_is_kept(student, listening, recording, settings, monkeypatch):
    organization = student.membership.organization
    organization.audio_retention_days = 0
    organization.save()
    monkeypatch.setattr(tasks.hear_answers, "delay_on_commit", lambda *args: None)
    _submit(listening, student, recording, browser_transcript=SAID)  # no worker ran

    assert answer_audio_delete_expired(now=timezone.now() + timedelta(days=1)) == 0
    assert len(_media_files(settings)) == 1


def test_the_retention_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "interviews.delete_expired_audio" in tasks


# --- Replaying and the report ---------------------------------------------------------------


def test_the_student_replays_their_answer_from_the_report(
    client_for, student, listening, recording
):
    _submit(listening, student, recording, browser_transcript=SAID)
    services.interview_end(interview_id=listening.pk, user=student)
    client = client_for(student)
    url = reverse("answer_audio", args=[listening.pk, 1])

    page = client.get(reverse("report", args=[listening.pk])).content.decode()
    assert "How you sounded" in page
    assert f'<audio controls preload="none" src="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/webm"
    assert b"".join(response.streaming_content) == recording
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("header", "status", "part", "content_range"),
    [
        ("bytes=0-1", 206, slice(0, 2), "bytes 0-1/{size}"),  # Safari's first probe
        ("bytes=100-", 206, slice(100, None), "bytes 100-{last}/{size}"),  # seeking
        ("bytes=-50", 206, slice(-50, None), "bytes {tail}-{last}/{size}"),  # the last 50
        ("bytes=10-999999999", 206, slice(10, None), "bytes 10-{last}/{size}"),  # past the end
        ("bytes=999999999-", 416, slice(0, 0), "bytes */{size}"),  # nothing there
        ("bytes=0-1,5-6", 200, slice(None), None),  # several ranges: the whole file
        ("bytes=9-3", 200, slice(None), None),  # malformed: ignored
        ("lines=1-2", 200, slice(None), None),
    ],
)
def test_the_recording_is_served_in_the_byte_ranges_players_ask_for(
    client_for, student, listening, recording, header, status, part, content_range
):
    _submit(listening, student, recording, browser_transcript=SAID)
    size = len(recording)

    response = client_for(student).get(
        reverse("answer_audio", args=[listening.pk, 1]), headers={"Range": header}
    )

    assert response.status_code == status
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == recording[part]
    expected = content_range and content_range.format(size=size, last=size - 1, tail=size - 50)
    assert response.get("Content-Range") == expected
    assert response["Accept-Ranges"] == "bytes"
    if status == 206:
        assert int(response["Content-Length"]) == len(body)


def test_nobody_else_hears_the_recording(
    client_for, student, second_student, coach, listening, recording
):
    _submit(listening, student, recording, browser_transcript=SAID)
    url = reverse("answer_audio", args=[listening.pk, 1])

    for other in (second_student, coach):
        assert client_for(other).get(url).status_code == 404
    assert (
        client_for(student).get(reverse("answer_audio", args=[listening.pk, 2])).status_code == 404
    )


def test_the_students_coach_hears_the_recording_and_a_coach_of_another_cohort_does_not(
    client_for, student, coach, coached_cohort, organization, listening, recording
):
    from accounts.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    _submit(listening, student, recording, browser_transcript=SAID)
    url = reverse("answer_audio", args=[listening.pk, 1])
    response = client_for(coach).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == recording
    elsewhere = UserFactory.create()
    MembershipFactory(user=elsewhere, organization=organization, role=Membership.Role.COACH)
    assert client_for(elsewhere).get(url).status_code == 404


def test_a_deleted_recording_is_gone_from_the_report(client_for, student, listening, recording):
    answer, _ = _submit(listening, student, recording, browser_transcript=SAID)
    Answer.objects.filter(pk=answer.pk).update(received_at=timezone.now() - timedelta(days=40))
    services.interview_end(interview_id=listening.pk, user=student)
    delete_expired_audio()
    client = client_for(student)

    assert client.get(reverse("answer_audio", args=[listening.pk, 1])).status_code == 404
    page = client.get(reverse("report", args=[listening.pk])).content.decode()
    assert "<audio" not in page and "How you sounded" in page


# --- What the room is told -------------------------------------------------------------------


def test_the_room_gets_the_students_voice_settings(client_for, student, listening, settings):
    settings.AUDIO_MAX_SECONDS = 300
    organization = student.membership.organization
    organization.think_time_seconds = 5
    organization.answer_pause_seconds = 6
    organization.save()
    accommodations_update(
        student=student,
        by=student,
        extra_think_seconds=20,
        extra_pause_seconds=3,
        answer_limit_minutes=10,
        text_instead_of_voice=False,
    )

    voice = selectors.voice_settings(student, listening)

    assert voice == {
        "think_seconds": 25,
        "pause_seconds": 9,
        "captions": False,
        "max_seconds": 600,
        "max_bytes": settings.AUDIO_MAX_BYTES,
        "stt": False,
        "tts": "browser",
    }
    page = client_for(student).get(reverse("interview_room", args=[listening.pk])).content
    assert b'<script id="voice-settings" type="application/json">' in page
    assert b'"think_seconds": 25' in page


def test_someone_on_their_own_gets_the_default_think_time(make_interview):
    loner = UserFactory()
    interview = make_interview(loner)
    assert selectors.voice_settings(loner, interview)["think_seconds"] == 3


# --- Setting up ---------------------------------------------------------------------------------


def test_setup_offers_spoken_answers_unless_the_student_asked_to_type(student, software):
    from interviews.forms import SetupForm

    assert SetupForm(user=student, track=software)["answer_mode"].initial == "voice"
    accommodations_update(
        student=student,
        by=student,
        extra_think_seconds=0,
        answer_limit_minutes=0,
        text_instead_of_voice=True,
    )
    assert SetupForm(user=student, track=software)["answer_mode"].initial == "text"


def test_a_voice_interview_is_set_up_through_the_api(client_for, student, software):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(student)
    body = {"track": "software-engineering", "level": "mid", "interview_type": "technical"}

    response = api.post("/api/v1/interviews/", {**body, "answer_mode": "voice"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["answer_mode"] == "voice"
    bad = api.post("/api/v1/interviews/", {**body, "answer_mode": "sign"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"answer_mode"}
