"""Shared fixtures: a student, a second student, a coach of another organisation, clients; Celery
run in-process, the recorded provider APIs under the clients, a real track from the starter bank,
and the real processes (a worker, Daphne, Chromium) for the tests whose point is them."""

from __future__ import annotations

import shutil

import httpx
import pytest
from channels.layers import channel_layers
from django.test import Client

from accounts.models import Cohort, Membership, Organization, User
from ai import providers, semantic
from config.celery import app as celery_app
from interviews import services
from interviews.models import Interview
from questionbank.bank import BANK_DIR, bank_load
from questionbank.models import Level, Track
from tests.ai import openai_recorded
from tests.ai.speech_recorded import RecordedAPI
from tests.browser import CHROMIUM
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.processes import Daphne, Worker


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """Let pytest-django drop the PostgreSQL test database: end the sessions still open on it.

    The pool keeps connections, and the threads that ran async consumers hold their own.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close_pool()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s a user; the tests are not about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Read in the request where tasks run eagerly, so that a test sees the outcome.
    settings.RESUMES_READ_IN_THREAD = False


@pytest.fixture(autouse=True)
def _channel_layer_of_its_own():
    """Give each test a new channel layer.

    channels_redis keeps asyncio locks made in the event loop that first used them; one layer
    shared by two tests' event loops fails with "... bound to a different event loop".
    """
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _lexical_similarity():
    """Compare texts lexically, whatever extras are installed; test_semantic covers the rest."""
    semantic.reset()
    with semantic.using(semantic.LEXICAL):
        yield


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(name="Northbridge Careers", slug="northbridge")


@pytest.fixture
def other_organization() -> Organization:
    return OrganizationFactory(name="Southgate Careers", slug="southgate")


@pytest.fixture
def student(organization: Organization) -> User:
    user = UserFactory(email="alice@example.com", name="Alice Student")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
    return user


@pytest.fixture
def second_student(organization: Organization) -> User:
    user = UserFactory(email="bob@example.com", name="Bob Student")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.STUDENT)
    return user


@pytest.fixture
def coach(organization: Organization) -> User:
    user = UserFactory(email="carol@example.com", name="Carol Coach")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.COACH)
    return user


@pytest.fixture
def org_admin(organization: Organization) -> User:
    user = UserFactory(email="dana@example.com", name="Dana Admin")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def other_coach(other_organization: Organization) -> User:
    user = UserFactory(email="charlie@example.com", name="Charlie OtherCoach")
    MembershipFactory(user=user, organization=other_organization, role=Membership.Role.COACH)
    return user


@pytest.fixture
def other_admin(other_organization: Organization) -> User:
    user = UserFactory(email="erin@example.com", name="Erin OtherAdmin")
    MembershipFactory(user=user, organization=other_organization, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def site_staff() -> User:
    return User.objects.create_superuser(email="staff@example.com", password="x-Staff-passw0rd")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return _client_for


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


@pytest.fixture
def service_env() -> dict[str, str]:
    """Extra environment for the worker and Daphne; a test overrides it to switch on a provider."""
    return {}


@pytest.fixture
def worker(service_env):
    """A Celery worker on the test database, answering a ping."""
    process = Worker(service_env)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def daphne(service_env):
    server = Daphne(service_env)
    server.start()
    yield server
    server.stop()


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


@pytest.fixture
def coached_cohort(organization: Organization, coach: User, student: User) -> Cohort:
    """A cohort of the student's, coached by the coach."""
    cohort = Cohort.objects.create(organization=organization, name="MSc Data Science 2027")
    cohort.students.add(student)
    cohort.coaches.add(coach)
    return cohort


@pytest.fixture
def finished_interview(make_interview):
    """Make an interview of the user's with one typed answer, ended, its report written."""

    def make(
        user: User,
        answer: str = "I would profile it first, then fix the slow query.",
        **choices: object,
    ) -> Interview:
        interview = make_interview(user, **choices)
        services.interview_start(interview_id=interview.pk, user=user)
        services.answer_submit(interview_id=interview.pk, user=user, text=answer, client_id="1")
        services.interview_end(interview_id=interview.pk, user=user)
        interview.refresh_from_db()
        return interview

    return make
