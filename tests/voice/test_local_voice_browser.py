"""A voice interview with no speech provider at all: the server's own Whisper hears the answer.

Daphne and a Celery worker (all queues) run as separate processes with the embedded default's
speech settings (STT_PROVIDER unset: local). Headless Chromium's fake microphone plays an
espeak-ng answer followed by a silence, over and over; it has no speech recognition that works,
so every caption it shows came from the server.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from interviews.models import Answer, Interview
from tests.browser import log_in, needs_chromium, wait_until, watch_errors
from tests.processes import needs_services
from tests.voice.audio_samples import needs_espeak, silence, speech, wav
from tests.voice.test_voice_browser import chromium_args, context, set_up_interview

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_services,
    needs_chromium,
    needs_espeak,
]
ANSWER = (
    "First I would reproduce the slow page with a load test. Then I would profile the service, "
    "because guessing wastes time. Last year I found a slow database query that way, and I "
    "added an index, so the page became three times faster."
)
PAUSE_SECONDS = 3
SILENCE_SECONDS = 7  # longer than the pause that ends an answer


@pytest.fixture
def spoken_answer(tmp_path: Path) -> tuple[Path, float]:
    """The answer, then a silence longer than the pause that ends it; and its length."""
    samples, rate = speech(ANSWER)
    samples += silence(SILENCE_SECONDS, rate)
    path = tmp_path / "answer.wav"
    path.write_bytes(wav(samples, rate))
    return path, len(samples) / rate


@pytest.fixture
def service_env() -> dict[str, str]:
    """No STT_PROVIDER: the default. Captions every 2 s so that a short answer shows several."""
    return {"STT_CAPTION_SECONDS": "2"}


# The provider test's fake microphone (it plays `spoken_answer`) and speech stand-in.
__all__ = ["chromium_args", "context"]


def test_an_answer_is_heard_on_the_server_and_ends_with_a_pause(
    student, organization, software, worker, daphne, context, settings
):
    organization.think_time_seconds = 1
    organization.answer_pause_seconds = PAUSE_SECONDS
    organization.save()
    page = context.new_page()
    # Nothing may be refused by the Content-Security-Policy while a voice answer works.
    errors = watch_errors(page)
    log_in(page, daphne, student, settings)
    page.goto(f"{daphne.url}/interviews/new/?track=software-engineering")
    assert page.locator("#voice-problem").is_hidden()  # the server transcribes: voice works
    set_up_interview(page)
    room = page.evaluate("fetch(location.href).then(r => r.headers.get('permissions-policy'))")
    assert room.startswith("microphone=(self)")
    page.click("#start")

    # Recording starts (the student talks over the question) and says how it will end.
    page.wait_for_selector("#done:visible")
    assert f"pause for {PAUSE_SECONDS} seconds" in page.inner_text("#voice-status")
    # Provisional captions from the server while the student speaks.
    page.wait_for_selector("#live-caption:visible", timeout=40_000)
    first = page.inner_text("#live-caption")
    assert first.strip()
    # The silence after the answer counts down, then ends the answer with nothing pressed.
    page.wait_for_selector("#voice-status:has-text('Ending your answer in')", timeout=40_000)
    page.wait_for_selector(".bubble.you .who:has-text('spoken')", timeout=60_000)
    wait_until(
        page,
        "!document.querySelector('.bubble.you').textContent.includes('Transcribing')",
        timeout=60_000,
    )

    interview = Interview.objects.get(user=student)
    answer = interview.answers.get()
    assert (answer.kind, answer.transcript_source) == (
        Answer.Kind.AUDIO,
        Answer.TranscriptSource.SERVER,
    )
    # Whatever part of the loop was recorded, the server heard the answer's own words...
    said = set(ANSWER.lower().replace(",", "").replace(".", "").split())
    heard = answer.text.lower().replace(",", "").replace(".", "").split()
    assert len(heard) >= 8
    assert sum(word in said for word in heard) / len(heard) >= 0.7
    # ...and measured how it was said from its word timings.
    assert answer.delivery["wpm"]
    assert answer.delivery["long_pauses"] is not None
    bubble = page.inner_text(".bubble.you")
    assert answer.text[:30] in bubble

    # The report shows the answer, evaluated.
    page.evaluate("window.speechSeconds = 30")
    wait_until(page, "document.querySelectorAll('.bubble.interviewer').length === 2")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#end")
    page.wait_for_selector("text=Your report is ready.", timeout=60_000)
    page.click("#report-link")
    report = page.inner_text("main")
    assert answer.text[:30] in report
    assert "words a minute" in page.inner_text("#how-you-sounded")
    answer.refresh_from_db()
    assert answer.evaluation is not None
    page.close()
    time.sleep(0.1)
    assert errors == []
