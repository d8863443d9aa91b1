"""load_questionbank: idempotent, updates untouched rows, never overwrites curators' edits."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questionbank import bank
from questionbank.bank import bank_load
from questionbank.models import Question
from questionbank.services import clean_points, question_set_points

pytestmark = pytest.mark.django_db


def _question(text: str, **overrides) -> dict:
    entry = {
        "skill": "debugging",
        "type": "technical",
        "difficulty": 5,
        "levels": ["junior", "mid"],
        "text": text,
        "reference_answer": "I would reproduce it first, then bisect the changes.",
        "key_points": ["Reproduces the bug", "Bisects the change", "Adds a regression test"],
        "red_flags": ["Patches the code before reproducing the bug", "Blames the users"],
        "follow_ups": ["Why reproduce first?", "Tell me about a bug you bisected."],
        "tags": ["debugging"],
    }
    return entry | overrides


def _write(directory: Path, questions: list[dict]) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "software.json").write_text(
        json.dumps(
            {
                "track": {"slug": "software", "name": "Software", "description": "Code."},
                "skills": [
                    {
                        "slug": "debugging",
                        "name": "Debugging",
                        "description": "Finding faults.",
                        "resources": [{"title": "Practice: bisect", "practise": "Bisect a bug."}],
                    }
                ],
                "questions": questions,
            }
        )
    )
    return directory


def test_a_first_load_creates_published_questions_with_points(tmp_path):
    result = bank_load(directory=_write(tmp_path / "bank", [_question("How would you debug X?")]))

    question = Question.objects.get()
    assert result.created == 1
    assert question.status == Question.Status.PUBLISHED
    assert (question.level_min, question.level_max) == (2, 3)
    assert next(p.text for p in question.key_points.all()) == "Reproduces the bug"
    assert question.follow_ups.count() == 2


def test_a_second_load_changes_nothing(tmp_path):
    directory = _write(tmp_path / "bank", [_question("How would you debug X?")])
    bank_load(directory=directory)
    stamp = Question.objects.get().updated_at

    result = bank_load(directory=directory)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Question.objects.get().updated_at == stamp


def test_an_improved_bank_entry_updates_an_untouched_question(tmp_path):
    directory = _write(tmp_path / "bank", [_question("How would you debug X?")])
    bank_load(directory=directory)
    _write(directory, [_question("How would you debug X?", reference_answer="Better answer.")])

    result = bank_load(directory=directory)

    assert result.updated == 1
    assert Question.objects.get().reference_answer == "Better answer."


def test_a_curators_edit_is_never_overwritten(tmp_path):
    directory = _write(tmp_path / "bank", [_question("How would you debug X?")])
    bank_load(directory=directory)
    question = Question.objects.get()
    question.text = "How would you debug X in production?"
    question.save()
    question_set_points(
        question=question,
        points=clean_points(
            key_points=["Curated point one", "Curated point two", "Curated point three"],
            red_flags=["Curated red flag one", "Curated red flag two"],
            follow_ups=["Curated follow-up one?", "Curated follow-up two?"],
        ),
    )
    _write(directory, [_question("How would you debug X?", reference_answer="Changed upstream.")])

    result = bank_load(directory=directory)

    question.refresh_from_db()
    assert result.kept_edits == 1
    assert Question.objects.count() == 1
    assert question.text == "How would you debug X in production?"
    assert question.reference_answer.startswith("I would reproduce")
    assert question.key_points.first().text == "Curated point one"


def test_a_question_loaded_before_red_flags_gets_the_banks_and_stays_untouched(tmp_path):
    entry = _question("How would you debug X?")
    directory = _write(tmp_path / "bank", [entry])
    bank_load(directory=directory)
    question = Question.objects.get()
    # As loaded by a release before red flags: none, and a checksum taken without them.
    question.red_flags.all().delete()
    legacy = bank._question_payload(question)
    del legacy["red_flags"]
    Question.objects.filter(pk=question.pk).update(bank_checksum=bank._checksum(legacy))

    result = bank_load(directory=directory)

    assert (result.updated, result.kept_edits) == (1, 0)
    assert [f.text for f in question.red_flags.all()] == entry["red_flags"]
    assert bank_load(directory=directory).unchanged == 1


def test_a_curated_question_without_red_flags_gets_the_banks_and_keeps_its_edits(tmp_path):
    entry = _question("How would you debug X?")
    directory = _write(tmp_path / "bank", [entry])
    bank_load(directory=directory)
    question = Question.objects.get()
    question.red_flags.all().delete()
    question.reference_answer = "A curator's own reference."
    question.save()

    result = bank_load(directory=directory)

    question.refresh_from_db()
    assert result.kept_edits == 1
    assert question.reference_answer == "A curator's own reference."
    assert [f.text for f in question.red_flags.all()] == entry["red_flags"]


def test_an_archived_bank_question_stays_archived(tmp_path):
    directory = _write(tmp_path / "bank", [_question("How would you debug X?")])
    bank_load(directory=directory)
    Question.objects.update(status=Question.Status.ARCHIVED)

    bank_load(directory=directory)

    assert Question.objects.get().status == Question.Status.ARCHIVED


def test_a_bank_question_that_duplicates_a_curated_one_is_skipped(tmp_path):
    directory = _write(tmp_path / "bank", [_question("How would you debug X?")])
    bank_load(directory=directory)
    Question.objects.update(bank_key=None)  # as if a curator had written it by hand

    result = bank_load(directory=directory)

    assert len(result.skipped) == 1
    assert Question.objects.count() == 1


def test_a_broken_bank_file_fails_with_its_name(tmp_path):
    directory = _write(tmp_path / "bank", [_question("How would you debug X?", key_points=["one"])])
    with pytest.raises(CommandError, match=r"software\.json.*3 to 6 key points"):
        call_command("load_questionbank", directory=directory, stdout=StringIO())
    assert not Question.objects.exists()


def test_track_counts_are_exact_and_an_organisations_own_questions_count_only_for_it(
    tmp_path, organization, other_organization
):
    from questionbank.selectors import tracks_with_counts
    from tests.factories import QuestionFactory, SkillFactory

    bank_load(directory=_write(tmp_path / "bank", [_question("How would you debug X?")]))
    track = Question.objects.get().track
    second_skill = SkillFactory(track=track)
    QuestionFactory(skill=second_skill, track=track, owner=organization)
    QuestionFactory(skill=second_skill, track=track, status=Question.Status.DRAFT)

    def counts(organization_id):
        row = tracks_with_counts(organization_id).get(pk=track.pk)
        return row.question_count, row.skill_count

    assert counts(None) == (1, 2)
    assert counts(organization.pk) == (2, 2)
    assert counts(other_organization.pk) == (1, 2)
