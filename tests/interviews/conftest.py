"""Fixtures for interviews: a real track from the starter bank, and Celery run in-process."""

from __future__ import annotations

import shutil

import pytest

from config.celery import app as celery_app
from interviews import services
from questionbank.models import Level, Track
from questionbank.services import BANK_DIR, bank_load


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the test's process (the embedded default's behaviour)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


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
