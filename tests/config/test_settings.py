"""The one settings module: production values pass Django's deploy checks, bad ones fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x7Qp9Lm2Vr8Ts4Wn6Yb1Zc5Hd0Jf3Gk" * 2,
    "ALLOWED_HOSTS": "rehearse.example.edu",
    "CSRF_TRUSTED_ORIGINS": "https://rehearse.example.edu",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_values_pass_the_deploy_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="rehearse.example.edu")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_accounts_are_refused_when_debug_is_off():
    result = _manage("seed_demo", **PRODUCTION)
    assert result.returncode != 0
    assert "only in the embedded default" in result.stderr


def test_a_bad_email_verification_mode_fails_loudly():
    result = _manage("check", ACCOUNT_EMAIL_VERIFICATION="sometimes")
    assert result.returncode != 0
    assert "ACCOUNT_EMAIL_VERIFICATION" in result.stderr


def test_provider_embeddings_without_a_key_fail_loudly():
    result = _manage("check", EMBEDDINGS="openai", OPENAI_API_KEY="", OPENAI_BASE_URL="")
    assert result.returncode != 0
    assert "EMBEDDINGS=openai needs OPENAI_API_KEY" in result.stderr


def test_the_local_speech_engine_is_the_default_and_its_settings_are_checked(tmp_path):
    from django.conf import settings

    assert "STT_PROVIDER" not in os.environ or os.environ["STT_PROVIDER"] == "local"
    assert settings.STT_PROVIDER == "local"
    for env, message in [
        ({"STT_LOCAL_MODEL": str(tmp_path)}, "no model.bin"),
        ({"STT_LOCAL_THREADS": "0"}, "STT_LOCAL_THREADS must be"),
        ({"STT_CAPTION_SECONDS": "-1"}, "STT_CAPTION_SECONDS must be"),
        ({"TTS_PROVIDER": "local", "TTS_LOCAL_VOICE": str(tmp_path / "x.onnx")}, "x.onnx.json"),
    ]:
        result = _manage("check", **env)
        assert result.returncode != 0 and message in result.stderr, env


def test_celery_delivers_reliably():
    from config.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_soft_time_limit < conf.task_time_limit
    timeout = conf.broker_transport_options["visibility_timeout"]
    assert timeout == conf.result_backend_transport_options["visibility_timeout"]
    assert timeout > conf.task_time_limit


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="only with REDIS_URL")
def test_with_redis_the_channel_layer_and_broker_use_it(settings):
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="only in the embedded default")
def test_without_redis_everything_runs_in_process(settings):
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="only with REDIS_URL")
async def test_an_idle_room_keeps_its_redis_channel_past_redis_pys_read_timeout():
    import asyncio

    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = await layer.new_channel()
    later = asyncio.get_running_loop().call_later(
        6, lambda: asyncio.ensure_future(layer.send(channel, {"type": "ping"}))
    )
    try:
        assert (await asyncio.wait_for(layer.receive(channel), timeout=20))["type"] == "ping"
    finally:
        later.cancel()


def test_the_steps_and_documents_have_queues_of_their_own(settings):
    from interviews import tasks as interview_tasks
    from resumes import tasks as resume_tasks

    routes = settings.CELERY_TASK_ROUTES
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "interviews"
    assert routes[interview_tasks.hear_answers.name] == {"queue": "speech"}
    assert routes[interview_tasks.caption_recording.name] == {"queue": "captions"}
    assert routes[resume_tasks.read_resume.name] == {"queue": "documents"}
    assert interview_tasks.evaluate_answers.name not in routes  # the interviews queue


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="only with PostgreSQL"
)
@pytest.mark.django_db
def test_no_session_waits_long_for_a_lock_or_sits_in_a_transaction():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        idle_timeout = cursor.fetchone()[0]
    assert (lock_timeout, idle_timeout) == ("10s", "1min")


def test_bad_database_timeouts_fail_loudly():
    result = _manage(
        "check",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        DB_LOCK_TIMEOUT_SECONDS="0",
    )
    assert result.returncode != 0
    assert "DB_LOCK_TIMEOUT_SECONDS" in result.stderr
