"""Fixtures for interviews: a real track from the starter bank, Celery run in-process,
recorded provider APIs under the clients, and a fake embedding model."""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from array import array
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from django.db import connection

from config.celery import app as celery_app
from interviews import services
from interviews.engine import providers, semantic
from questionbank.models import Level, Track
from questionbank.services import BANK_DIR, bank_load
from tests.factories import PASSWORD
from tests.interviews import openai_recorded
from tests.interviews.speech_recorded import RecordedAPI


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the test's process (the embedded default's behaviour)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def provider(settings):
    """The provider engine on, its HTTP transport answering from a script (openai_recorded)."""
    settings.LLM_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test"
    settings.LLM_MAX_RETRIES = 2
    fake = openai_recorded.Provider()
    with openai_recorded.serving(fake):
        yield fake


@pytest.fixture
def openai_api(settings):
    """The OpenAI-compatible API (LLM, embeddings, STT, OpenAI TTS), answering from recordings.

    The clients retry once, so a test can show a retry without waiting through several.
    """
    settings.LLM_MAX_RETRIES = 1
    api = RecordedAPI()
    with openai_recorded.serving(api):
        yield api


@pytest.fixture
def stt(settings, openai_api):
    """Server transcription on, answered from recordings."""
    settings.STT_PROVIDER = "openai"
    settings.STT_API_KEY = "sk-test"
    return openai_api


@pytest.fixture
def elevenlabs_api(settings):
    """ElevenLabs' API, answering from recordings."""
    settings.ELEVENLABS_API_KEY = "xi-test-key"
    api = RecordedAPI()
    providers.ELEVENLABS_TRANSPORT = httpx.MockTransport(api)
    providers.reset()
    yield api
    providers.ELEVENLABS_TRANSPORT = None
    providers.reset()


class FakeEmbeddings:
    """A stand-in embedding model: listed texts get their vectors, others an axis each."""

    DIMENSIONS = 64
    LISTED = 8  # listed vectors use at most this many dimensions; the others come after

    def __init__(self, vectors: Mapping[str, Sequence[float]]) -> None:
        self.vectors = vectors
        self.calls: list[list[str]] = []
        self.axes: dict[str, int] = {}

    def __call__(self, texts: Sequence[str]) -> list[array]:
        self.calls.append(list(texts))
        return [self.embed(text) for text in texts]

    def embed(self, text: str) -> array:
        values = [0.0] * self.DIMENSIONS
        if text in self.vectors:
            values[: len(self.vectors[text])] = self.vectors[text]
        else:
            values[self.axes.setdefault(text, self.LISTED + len(self.axes))] = 1.0
        norm = math.sqrt(sum(v * v for v in values))
        return array("f", (v / norm for v in values))


@pytest.fixture
def fake_embeddings():
    """Install a fake embedding method for the test: `fake_embeddings(vectors, repeat_at=0.8)`."""
    with ExitStack() as stack:

        def install(
            vectors: Mapping[str, Sequence[float]], *, repeat_at: float = 0.8
        ) -> FakeEmbeddings:
            model = FakeEmbeddings(vectors)
            method = semantic.Method(
                "fake", repeat_at=repeat_at, embed=model, unrelated=0.3, paraphrase=0.9
            )
            stack.enter_context(semantic.using(method))
            return model

        yield install


@pytest.fixture
def software(tmp_path, django_db_blocker) -> Track:
    directory = tmp_path / "bank"
    directory.mkdir()
    shutil.copy(BANK_DIR / "software-engineering.json", directory)
    with django_db_blocker.unblock():
        bank_load(directory=directory)
        return Track.objects.get(slug="software-engineering")


@pytest.fixture
def make_interview(software):
    def make(user, **choices):
        options = {
            "track": software,
            "level": Level.MID,
            "interview_type": "mixed",
            "num_questions": 3,
        } | choices
        return services.interview_create(user=user, **options)

    return make


ROOT = Path(__file__).resolve().parents[2]
needs_services = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (as in CI)",
)


@pytest.fixture
def service_env() -> dict[str, str]:
    """Extra environment for the worker and Daphne; a test overrides it to switch on a provider."""
    return {}


def _service_env(extra: Mapping[str, str]) -> dict[str, str]:
    """Return the environment for a process that must use this test run's database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # Texts compared lexically, as in the test process (see tests/conftest.py).
    return (
        os.environ | {"DATABASE_URL": url, "DEBUG": "true", "EMBEDDINGS": "lexical"} | dict(extra)
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Worker:
    """A Celery worker process on the test database; it can be killed and started again."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = _service_env(env)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                # The production pool: prefork children push from their own event loop.
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "WARNING",
                "-n",
                "test@%h",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,  # its own process group, so that kill() takes the pool too
        )
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            assert self.process.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not start"

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def kill(self) -> None:
        """SIGKILL the worker and its pool, as an out-of-memory kill or a pulled plug would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


@pytest.fixture
def worker(service_env):
    """A Celery worker on the test database, answering a ping."""
    process = Worker(service_env)
    process.start()
    yield process
    process.stop()


class Daphne:
    """A Daphne server on a free port, serving the test database; it can be restarted."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = _service_env(env)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, "daphne exited"
            assert time.monotonic() < deadline, "daphne did not start"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


@pytest.fixture
def daphne(service_env):
    server = Daphne(service_env)
    server.start()
    yield server
    server.stop()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")


@pytest.fixture
def chromium_args() -> list[str]:
    """Chromium's command-line flags; a test extends them (a fake microphone, say)."""
    return [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
    ]


def log_in(page, daphne, student, settings) -> None:
    """Sign the student in through the login page that Daphne serves."""
    # The server process checks passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    student.set_password(PASSWORD)
    student.save()
    page.goto(f"{daphne.url}/accounts/login/")
    page.fill("input[name=login]", student.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


@pytest.fixture
def browser(monkeypatch, chromium_args):
    """Debian's headless Chromium, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args)
        yield chromium
        chromium.close()
