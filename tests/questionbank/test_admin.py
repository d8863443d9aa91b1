"""The admin as the curation tool: import with per-row errors, export, bulk actions, duplicates."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse

from questionbank.models import Question
from questionbank.resources import QuestionResource
from tests.factories import QuestionFactory, SkillFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "track",
    "skill",
    "type",
    "difficulty",
    "level_min",
    "level_max",
    "text",
    "reference_answer",
    "key_points",
    "red_flags",
    "follow_ups",
    "tags",
    "status",
    "owner",
]


@pytest.fixture
def skill():
    return SkillFactory(track__slug="software", slug="debugging")


def _row(text: str, **overrides) -> dict:
    row = {
        "track": "software",
        "skill": "debugging",
        "type": "technical",
        "difficulty": "5",
        "level_min": "junior",
        "level_max": "senior",
        "text": text,
        "reference_answer": "I reproduce, bisect and add a regression test.",
        "key_points": "Reproduces the bug\nBisects the change\nAdds a regression test",
        "red_flags": "Patches the code before reproducing the bug\nBlames the flaky CI runner",
        "follow_ups": "Why bisect?\nTell me about a real case.",
        "tags": "debugging, testing",
        "status": "published",
        "owner": "",
    }
    return row | overrides


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _import(client, content: bytes, name: str = "questions.csv", fmt: str = "0"):
    return client.post(
        reverse("admin:questionbank_question_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": fmt},
    )


def _format_index(client, label: str) -> str:
    page = client.get(reverse("admin:questionbank_question_import")).content.decode()
    match = re.search(rf'<option value="(\d+)"[^>]*>{label}</option>', page)
    assert match, page
    return match.group(1)


def test_an_import_with_a_bad_row_shows_the_errors_per_row_and_imports_nothing(
    client_for, site_staff, skill
):
    client = client_for(site_staff)
    content = _csv(
        [
            _row("How would you debug a flaky test?"),
            _row("How would you debug a memory leak?", key_points="Only one point"),
            _row("How would you debug a slow query?", skill="no-such-skill", level_min="wizard"),
        ]
    )

    response = _import(client, content, fmt=_format_index(client, "csv"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Give 3 to 6 key points (found 1)" in page
    assert "No skill “no-such-skill” in track “software”" in page
    assert "Unknown level “wizard”" in page
    # Rows 2 and 3 are listed with their own errors; row 1 is fine but nothing is saved.
    assert re.search(r"<td>\s*2\s*</td>", page) and re.search(r"<td>\s*3\s*</td>", page)
    assert not Question.objects.exists()


def test_a_good_csv_imports_questions_with_their_key_points_and_follow_ups(
    client_for, site_staff, skill
):
    client = client_for(site_staff)
    fmt = _format_index(client, "csv")
    preview = _import(client, _csv([_row("How would you debug a flaky test?")]), fmt=fmt)
    confirm = re.search(r'name="import_file_name" value="([^"]+)"', preview.content.decode())
    assert confirm, "the dry run found errors"

    client.post(
        reverse("admin:questionbank_question_process_import"),
        {
            "import_file_name": confirm.group(1),
            "original_file_name": "questions.csv",
            "format": fmt,
        },
    )

    question = Question.objects.get()
    assert question.skill == skill
    assert (question.level_min, question.level_max) == (2, 4)
    assert question.tags == ["debugging", "testing"]
    assert [p.text for p in question.key_points.all()] == [
        "Reproduces the bug",
        "Bisects the change",
        "Adds a regression test",
    ]
    assert question.follow_ups.count() == 2


def test_an_imported_question_that_reads_like_an_existing_one_is_refused(skill):
    QuestionFactory(skill=skill, text="How would you debug a flaky test?")
    dataset = tablib.Dataset().load(_csv([_row("how would you DEBUG a flaky test ?!")]).decode())
    result = QuestionResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert "same wording" in str(result.invalid_rows[0].error_dict)
    assert Question.objects.count() == 1


def test_export_round_trips_through_json(client_for, site_staff, skill):
    QuestionFactory(skill=skill, text="How would you debug a flaky test?", tags=["flaky"])
    exported = QuestionResource().export().json
    rows = json.loads(exported)
    assert rows[0]["skill"] == "debugging"
    assert rows[0]["key_points"].splitlines() == [
        "Understands the problem",
        "Weighs options",
        "Checks the result",
    ]

    Question.objects.all().delete()
    for row in rows:
        row.pop("id")
    result = QuestionResource().import_data(tablib.Dataset().load(json.dumps(rows), format="json"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Question.objects.get().key_points.count() == 3


def test_the_export_view_answers_with_a_csv(client_for, site_staff, skill):
    QuestionFactory(skill=skill)
    response = client_for(site_staff).post(
        reverse("admin:questionbank_question_export"),
        {
            "format": _format_index(client_for(site_staff), "csv"),
            **{f"questionresource_{name}": "on" for name in ["id", *HEADER]},
        },
    )
    assert response.status_code == 200
    assert "key_points" in response.content.decode().splitlines()[0]


def test_bulk_publish_and_archive(client_for, site_staff, skill):
    drafts = [QuestionFactory(skill=skill, status=Question.Status.DRAFT) for _ in range(3)]
    client = client_for(site_staff)
    url = reverse("admin:questionbank_question_changelist")

    client.post(url, {"action": "publish", "_selected_action": [q.pk for q in drafts[:2]]})
    assert Question.objects.filter(status=Question.Status.PUBLISHED).count() == 2

    client.post(url, {"action": "archive", "_selected_action": [drafts[0].pk]})
    assert Question.objects.get(pk=drafts[0].pk).status == Question.Status.ARCHIVED


def _points_forms(prefix: str, texts: Sequence[str], least: int, most: int) -> dict[str, str]:
    """An admin inline formset's fields holding these lines."""
    forms = {
        f"{prefix}-TOTAL_FORMS": str(len(texts)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": str(least),
        f"{prefix}-MAX_NUM_FORMS": str(most),
    }
    for i, text in enumerate(texts):
        forms |= {f"{prefix}-{i}-text": text, f"{prefix}-{i}-position": str(i)}
    return forms


def _add_question(
    client, skill, *, key_points: Sequence[str], red_flags: Sequence[str], text: str
) -> HttpResponse:
    return client.post(
        reverse("admin:questionbank_question_add"),
        {
            "track": skill.track_id,
            "skill": skill.pk,
            "type": "technical",
            "status": "draft",
            "difficulty": "5",
            "level_min": "1",
            "level_max": "6",
            "text": text,
            "reference_answer": "Carefully.",
            "tags": "",
            **_points_forms("key_points", key_points, 3, 6),
            **_points_forms("red_flags", red_flags, 2, 5),
            **_points_forms("follow_ups", ["Why?", "Example?"], 2, 1000),
        },
    )


def test_the_admin_refuses_a_question_with_too_few_key_points(client_for, site_staff, skill):
    response = _add_question(
        client_for(site_staff),
        skill,
        key_points=["Only one"],
        red_flags=["Restarts the service and hopes", "Blames the other team"],
        text="How would you debug a deadlock?",
    )
    assert response.status_code == 200
    assert "Please submit at least 3 forms" in response.content.decode()
    assert not Question.objects.exists()


def test_an_import_refuses_a_question_without_enough_red_flags(skill):
    dataset = tablib.Dataset().load(
        _csv([_row("How would you debug a race?", red_flags="Blames the CI runner")]).decode()
    )
    result = QuestionResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "2 to 5 red flags" in str(result.invalid_rows[0].error_dict)
    assert not Question.objects.exists()


def test_red_flags_are_imported_and_exported_like_key_points(skill):
    dataset = tablib.Dataset().load(_csv([_row("How would you debug a race?")]).decode())
    assert not QuestionResource().import_data(dataset, dry_run=False).has_validation_errors()
    question = Question.objects.get()
    assert [p.text for p in question.red_flags.all()] == [
        "Patches the code before reproducing the bug",
        "Blames the flaky CI runner",
    ]
    row = json.loads(QuestionResource().export().json)[0]
    assert row["red_flags"].splitlines() == [p.text for p in question.red_flags.all()]


def test_the_admin_refuses_a_question_with_too_few_red_flags(client_for, site_staff, skill):
    response = _add_question(
        client_for(site_staff),
        skill,
        key_points=["Point 0", "Point 1", "Point 2"],
        red_flags=["Blames the other team"],
        text="How would you debug a livelock?",
    )
    assert response.status_code == 200
    assert "Please submit at least 2 forms" in response.content.decode()
    assert not Question.objects.exists()


def test_two_questions_that_read_the_same_cannot_both_exist(skill):
    QuestionFactory(skill=skill, text="How would you debug a deadlock?")
    duplicate = Question(
        track=skill.track,
        skill=skill,
        type="technical",
        difficulty=4,
        text="  HOW would you debug a deadlock??  ",
        reference_answer="x",
    )
    with pytest.raises(ValidationError, match="same wording"):
        duplicate.full_clean()


def test_the_admin_pages_are_for_site_staff_only(client_for, org_admin):
    response = client_for(org_admin).get(reverse("admin:questionbank_question_changelist"))
    assert response.status_code == 302
