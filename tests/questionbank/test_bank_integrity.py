"""The starter bank, loaded as `make run` loads it, is complete and well-formed."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ai.local.coverage import find_mistakes
from questionbank.bank import bank_load
from questionbank.models import Level, Question, Skill, Track

REQUIRED_TRACKS = {
    "software-engineering",
    "data-engineering",
    "data-science",
    "product-management",
    "sales-marketing",
    "finance-banking",
    "healthcare-nursing",
    "education-teaching",
    "business-management",
    "general-behavioural",
}
# A scenario question puts the candidate in a situation and asks what they would do or think;
# trivia is short, asks for a definition, and is not addressed to anyone.
ADDRESSED = re.compile(
    r"\b(you|your|you're|you've|you'd|tell me|walk me|design|how would|how can|imagine|should)\b",
    re.IGNORECASE,
)
DEFINITION = re.compile(
    r"^(what is|what are|what does|define|name (the|three|two)|list (the|three)"
    r"|who (invented|created))\b",
    re.IGNORECASE,
)
MIN_SCENARIO_WORDS = 12


@pytest.fixture(scope="module")
def bank(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = bank_load()
        yield result
        Question.objects.all().delete()
        Skill.objects.all().delete()
        Track.objects.all().delete()


pytestmark = pytest.mark.django_db


def test_every_field_a_career_centre_serves_has_a_track(bank):
    assert set(Track.objects.values_list("slug", flat=True)) >= REQUIRED_TRACKS
    assert Track.objects.count() >= 10


def test_each_track_has_at_least_25_published_questions(bank):
    for track in Track.objects.all():
        assert track.questions.published().count() >= 25, track.slug


def test_every_question_is_complete(bank):
    questions = Question.objects.prefetch_related("key_points", "red_flags", "follow_ups")
    for q in questions:
        assert len(q.reference_answer.split()) >= 60, q.text
        assert 3 <= len(q.key_points.all()) <= 6, q.text
        flags = [f.text for f in q.red_flags.all()]
        assert 2 <= len(flags) <= 5, q.text
        assert len(set(flags)) == len(flags), q.text
        assert not set(flags) & {p.text for p in q.key_points.all()}, q.text
        assert len(q.follow_ups.all()) >= 2, q.text
        assert q.tags, q.text
        assert 1 <= q.difficulty <= 10
        assert q.skill.track_id == q.track_id
        assert q.status == Question.Status.PUBLISHED


def test_questions_are_scenarios_not_trivia(bank):
    for q in Question.objects.all():
        assert len(q.text.split()) >= MIN_SCENARIO_WORDS, q.text
        assert ADDRESSED.search(q.text), q.text
        assert not DEFINITION.search(q.text), q.text


@pytest.mark.parametrize(
    "trivia",
    ["What does HTTP stand for?", "What is a hash map?", "Define normalisation in databases."],
)
def test_the_scenario_check_turns_away_trivia(trivia):
    assert (
        len(trivia.split()) < MIN_SCENARIO_WORDS
        or not ADDRESSED.search(trivia)
        or DEFINITION.search(trivia)
    )


def test_no_two_questions_read_the_same(bank):
    keys = Counter(Question.objects.values_list("text_key", flat=True))
    assert keys.most_common(1)[0][1] == 1


def test_every_level_from_intern_to_principal_is_served_in_every_track(bank):
    for track in Track.objects.all():
        for level in Level:
            count = track.questions.published().for_level(level).count()
            assert count >= 8, f"{track.slug}: {count} questions for {level.label}"


def test_every_track_offers_behavioural_practice(bank):
    for track in Track.objects.all():
        assert track.questions.filter(type=Question.Type.BEHAVIOURAL).count() >= 6, track.slug


def test_every_skill_has_questions_and_study_resources_without_links(bank):
    for skill in Skill.objects.all():
        assert skill.questions.count() >= 3, skill
        assert len(skill.resources) >= 2, skill
        for resource in skill.resources:
            assert resource["title"].strip() and resource["practise"].strip()
            assert "http" not in str(resource) and "www." not in str(resource), skill


def test_no_red_flag_fires_on_its_own_questions_reference_answer(bank):
    questions = Question.objects.prefetch_related("key_points", "red_flags")
    for q in questions:
        found = find_mistakes(
            [f.text for f in q.red_flags.all()],
            [p.text for p in q.key_points.all()],
            q.reference_answer,
            q.reference_answer,
            q.text,
        )
        assert not found.red_flags, (q.text, [m.key_point for m in found.red_flags])


def test_loading_again_changes_nothing(bank):
    before = list(Question.objects.order_by("pk").values_list("pk", "updated_at"))

    again = bank_load()

    assert again.created == again.updated == again.kept_edits == 0
    assert again.unchanged == bank.created
    assert list(Question.objects.order_by("pk").values_list("pk", "updated_at")) == before
