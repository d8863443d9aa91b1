"""`manage.py check_providers` and the staff page: which engines run, do the providers answer."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command, execute_from_command_line
from django.urls import reverse

from tests.ai import openai_recorded
from tests.ai.speech_recorded import MP3, elevenlabs_stream, embedding, transcription

OK = r"ok, \d+ ms"


@pytest.fixture
def providers_on(settings, openai_api, elevenlabs_api):
    """Every job on a provider: the LLM, its embeddings, Whisper and ElevenLabs."""
    settings.LLM_PROVIDER = settings.STT_PROVIDER = "openai"
    settings.TTS_PROVIDER = "elevenlabs"
    settings.OPENAI_API_KEY = settings.STT_API_KEY = "sk-test-secret"
    return openai_api, elevenlabs_api


def test_a_local_configuration_calls_no_provider(openai_api, elevenlabs_api, capsys):
    call_command("check_providers")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "LLM",
        "Embeddings",
        "Speech to text",
        "Text to speech",
    ]
    # Local speech to text is checked for real: the packaged model loads and hears a silence.
    assert re.fullmatch(rf"Speech to text: Whisper on this machine \(\S+\): {OK}", lines[2])
    assert all(line.endswith("local, nothing to check") for line in lines[:2] + lines[3:])
    assert not openai_api.requests and not elevenlabs_api.requests


def test_each_configured_provider_gets_one_small_call(providers_on, capsys):
    openai_api, elevenlabs_api = providers_on
    openai_api.reply(openai_recorded.completion("Ready."), embedding(), transcription(""))
    elevenlabs_api.reply(elevenlabs_stream())

    call_command("check_providers")

    out = capsys.readouterr().out
    lines = out.splitlines()
    assert re.fullmatch(rf"LLM: gpt-4.1-mini at https://api.openai.com/v1: {OK}", lines[0])
    assert re.fullmatch(rf"Embeddings: text-embedding-3-small at \S+: {OK}", lines[1])
    assert re.fullmatch(rf"Speech to text: whisper-1 at \S+: {OK}", lines[2])
    tts = rf"Text to speech: ElevenLabs eleven_flash_v2_5, voice \w+: {OK}, {len(MP3):,} bytes"
    assert re.fullmatch(tts + " of audio", lines[3])
    assert "sk-test-secret" not in out and "xi-test-key" not in out

    chat, embed, stt = openai_api.requests
    assert json.loads(chat.content)["model"] == "gpt-4.1-mini"
    assert json.loads(chat.content)["max_tokens"] == 5
    assert json.loads(embed.content)["input"] == "ping"
    assert stt.url.path == "/v1/audio/transcriptions"
    assert b"Content-Type: audio/wav\r\n\r\nRIFF" in stt.content  # a second of silence
    assert len(elevenlabs_api.requests) == 1


def test_a_failing_provider_is_named_and_the_command_exits_non_zero(providers_on, capsys):
    openai_api, elevenlabs_api = providers_on
    openai_api.reply(openai_recorded.completion("Ready."), embedding(), openai_recorded.error(401))
    elevenlabs_api.reply(elevenlabs_stream())

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "check_providers"])

    assert exited.value.code == 1
    captured = capsys.readouterr()
    stt_line = captured.out.splitlines()[2]
    assert stt_line.startswith("Speech to text: whisper-1")
    assert "HTTP 401: Incorrect API key provided" in stt_line
    assert "Failed: Speech to text." in captured.err


@pytest.mark.django_db
def test_the_staff_page_shows_the_same_checks(client_for, site_staff, openai_api):
    page = client_for(site_staff).get(reverse("provider_checks"))

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("local, nothing to check") == 3
    assert "Whisper on this machine" in html
    assert "Speech to text" in html and "the browser&#x27;s voice" in html


@pytest.mark.django_db
def test_only_site_staff_see_the_page(client, client_for, student, org_admin):
    path = reverse("provider_checks")
    assert client_for(student).get(path).status_code == 404
    assert client_for(org_admin).get(path).status_code == 404
    assert client.get(path)["Location"].startswith(reverse("account_login"))
