from __future__ import annotations

import shutil

import pytest

from chat import library
from questionbank.bank import BANK_DIR, bank_load
from questionbank.models import Track

TRACKS = ("software-engineering", "general-behavioural", "healthcare-nursing")


@pytest.fixture(autouse=True)
def _libraries_of_their_own():
    library.forget()
    yield
    library.forget()


@pytest.fixture
def bank(tmp_path, django_db_blocker) -> dict[str, Track]:
    """Three tracks of the starter bank: software, general behavioural and nursing."""
    directory = tmp_path / "bank"
    directory.mkdir()
    for slug in TRACKS:
        shutil.copy(BANK_DIR / f"{slug}.json", directory)
    with django_db_blocker.unblock():
        bank_load(directory=directory)
        return {track.slug: track for track in Track.objects.all()}
