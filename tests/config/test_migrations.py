"""Moving models between apps keeps every row: an upgrade from before the move loses nothing."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interviews.models import Evaluation
from resumes.models import Resume
from voice.models import SpeechClip

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("interviews", "0006_resumes_and_job_descriptions"),
    ("reports", "0004_report_evidence"),
    ("resumes", None),
    ("voice", None),
]


def _migrate(targets):
    """Migrate the test database to the targets; return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def test_resumes_clips_and_evaluations_keep_their_rows_when_their_models_move(student, software):
    old = _migrate(BEFORE)
    try:
        user = old.get_model("accounts", "User").objects.get(pk=student.pk)
        resume = old.get_model("interviews", "Resume").objects.create(
            id=uuid.uuid4(), user=user, file="resumes/x.pdf", title="CV", size=1, pages=1
        )
        old.get_model("interviews", "SpeechClip").objects.create(
            provider="elevenlabs", voice="v/m", text_hash="ab" * 32, content_type="audio/mpeg"
        )
        interview = old.get_model("interviews", "Interview").objects.create(
            user=user, track_id=software.pk, level=3, interview_type="mixed", resume=resume
        )
        turn = old.get_model("interviews", "Turn").objects.create(
            interview=interview, position=1, number=1, kind="core", text="Why?"
        )
        answer = old.get_model("interviews", "Answer").objects.create(
            interview=interview, turn=turn, kind="text", text="Because."
        )
        old.get_model("reports", "Evaluation").objects.create(
            answer=answer, technical=5, depth=5, experience=5, clarity=5, confidence=5, overall=5
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Resume.objects.get(pk=resume.pk)
    assert moved.title == "CV" and moved.interviews.get().pk == interview.pk
    assert SpeechClip.objects.get().voice == "v/m"
    assert Evaluation.objects.get().answer.text == "Because."
