"""The REST API for a career centre's own questions and question sets: its coaches and admins
write them, its students read the published sets, and another centre's ids are 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from questionbank import services
from questionbank.models import Question, QuestionSet
from tests.factories import QuestionFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/centre-questions/"
SETS = "/api/v1/question-sets/"


@pytest.fixture
def api():
    def client_of(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_of


@pytest.fixture
def skill(software):
    return software.skills.order_by("slug").first()


@pytest.fixture
def bank(software):
    return list(Question.objects.published().filter(track=software, owner__isnull=True)[:3])


@pytest.fixture
def own(organization, skill):
    return QuestionFactory(owner=organization, skill=skill, text="How do you run a retro?")


@pytest.fixture
def draft_set(organization, bank):
    return services.question_set_create(
        organization=organization, name="Draft round", description="", questions=bank[:2]
    )


@pytest.fixture
def published_set(organization, bank):
    question_set = services.question_set_create(
        organization=organization, name="Live round", description="", questions=bank[2:]
    )
    return services.question_set_publish(question_set=question_set)


def _question(of, **changes) -> dict:
    """Return a good question for the skill `of`, with these changes."""
    body = {
        "track": of.track.slug,
        "skill": of.pk,
        "type": "behavioural",
        "difficulty": 3,
        "level_min": "junior",
        "level_max": "senior",
        "text": "Tell me about a time you disagreed with a code review.",
        "reference_answer": "I asked why, proposed a test, and we agreed on the evidence.",
        "key_points": ["Asks why", "Proposes evidence", "Keeps it about the code"],
        "red_flags": ["Merges anyway", "Takes it personally"],
        "follow_ups": ["What if they insist?", "What did you learn?"],
    }
    return body | changes


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- Centre questions ---------------------------------------------------------------------------


def test_a_coach_creates_a_draft_question_of_the_centre(api, coach, organization, skill):
    response = api(coach).post(QUESTIONS, _question(skill), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    question = Question.objects.get(pk=body["id"])
    assert (question.owner, question.author, question.status) == (organization, coach, "draft")
    assert body["level_min"] == "junior" and body["level_max"] == "senior"
    assert body["key_points"] == ["Asks why", "Proposes evidence", "Keeps it about the code"]


def test_bad_questions_get_the_banks_errors_field_by_field(api, coach, skill):
    elsewhere = SkillFactory()
    body = _question(skill, skill=elsewhere.pk, key_points=["Only", "Two"], red_flags=["One"])

    response = api(coach).post(QUESTIONS, body, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["skill"] == ["This skill belongs to another track."]
    assert errors["key_points"] == ["Give 3 to 6 key points (found 2)."]
    assert errors["red_flags"][0].startswith("Give 2 to 5 red flags")
    assert not Question.objects.filter(owner__isnull=False).exists()


def test_the_list_holds_only_the_centres_own_questions(api, coach, own, other_organization):
    QuestionFactory(owner=other_organization, skill=own.skill)

    response = api(coach).get(QUESTIONS)

    assert _ids(response) == [own.pk]


def test_patch_changes_what_is_given_and_keeps_the_rest(api, org_admin, own):
    response = api(org_admin).patch(
        f"{QUESTIONS}{own.pk}/",
        {"status": "published", "follow_ups": ["Why then?", "What next?", "Who else?"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    own.refresh_from_db()
    assert own.status == "published" and own.text == "How do you run a retro?"
    assert [f.text for f in own.follow_ups.all()] == ["Why then?", "What next?", "Who else?"]
    assert own.key_points.count() == 3


def test_delete_removes_a_question_no_set_holds(api, coach, own):
    response = api(coach).delete(f"{QUESTIONS}{own.pk}/")

    assert response.status_code == 204
    assert not Question.objects.filter(pk=own.pk).exists()


def test_delete_refuses_a_question_a_set_holds(api, coach, organization, own):
    services.question_set_create(
        organization=organization, name="Retros", description="", questions=[own]
    )

    response = api(coach).delete(f"{QUESTIONS}{own.pk}/")

    assert response.status_code == 400
    assert "Remove it from “Retros” first" in response.json()["errors"]["non_field_errors"][0]
    assert Question.objects.filter(pk=own.pk).exists()


def test_site_wide_questions_are_not_centre_questions(api, coach, bank):
    client = api(coach)

    assert client.get(f"{QUESTIONS}{bank[0].pk}/").status_code == 404
    assert client.patch(f"{QUESTIONS}{bank[0].pk}/", {"text": "Mine now?"}).status_code == 404


@pytest.mark.parametrize("who", ["student", "other_coach", "other_admin"])
def test_centre_questions_are_a_404_for_a_student_and_another_centre(request, api, own, skill, who):
    client = api(request.getfixturevalue(who))
    url = f"{QUESTIONS}{own.pk}/"

    assert client.get(url).status_code == 404
    assert client.patch(url, {"text": "Hijacked?"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    if who == "student":
        assert client.get(QUESTIONS).status_code == 404
        assert client.post(QUESTIONS, _question(skill), format="json").status_code == 404
    own.refresh_from_db()
    assert own.text == "How do you run a retro?"


def test_someone_on_their_own_and_a_visitor_cannot_use_centre_questions(api):
    assert api(UserFactory()).get(QUESTIONS).status_code == 404
    assert APIClient().get(QUESTIONS).status_code == 401


# --- Question sets ------------------------------------------------------------------------------


def test_a_coach_creates_a_set_with_its_questions_in_order(api, coach, organization, bank):
    order = [bank[2].pk, bank[0].pk]

    response = api(coach).post(
        SETS, {"name": "Phone screen", "description": "Ten minutes.", "questions": order}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["questions"] == order
    assert body["status"] == "draft" and body["track"] == "software-engineering"
    assert QuestionSet.objects.get(pk=body["id"]).owner == organization


def test_patch_replaces_the_order_and_keeps_positions_contiguous(api, coach, draft_set, bank):
    url = f"{SETS}{draft_set.pk}/"
    client = api(coach)

    response = client.patch(url, {"questions": [bank[2].pk, bank[1].pk]}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["questions"] == [bank[2].pk, bank[1].pk]
    assert list(draft_set.items.values_list("position", flat=True)) == [0, 1]
    assert client.get(url).json()["name"] == "Draft round"


def test_patch_refuses_another_centres_question_and_keeps_the_set(
    api, coach, draft_set, bank, other_organization
):
    theirs = QuestionFactory(owner=other_organization, skill=bank[0].skill)

    response = api(coach).patch(
        f"{SETS}{draft_set.pk}/", {"questions": [bank[0].pk, theirs.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "questions": ["This question belongs to another organisation."]
    }
    assert [i.question_id for i in draft_set.items.all()] == [bank[0].pk, bank[1].pk]


def test_patch_refuses_questions_of_two_tracks_and_unknown_ids(api, coach, draft_set, bank):
    nursing = QuestionFactory(skill=SkillFactory(track__name="Nursing"))
    client = api(coach)

    mixed = client.patch(
        f"{SETS}{draft_set.pk}/", {"questions": [bank[0].pk, nursing.pk]}, format="json"
    )
    unknown = client.patch(f"{SETS}{draft_set.pk}/", {"questions": [999999]}, format="json")

    assert mixed.status_code == 400
    assert mixed.json()["errors"]["questions"][0].startswith("A set holds questions of one track")
    assert unknown.status_code == 400 and "999999" in unknown.json()["errors"]["questions"][0]


def test_publishing_an_empty_set_is_refused_with_the_reason(api, coach, organization):
    empty = services.question_set_create(organization=organization, name="Empty", description="")

    response = api(coach).post(f"{SETS}{empty.pk}/publish/")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "questions: Add at least one question before publishing.",
        "errors": {"questions": ["Add at least one question before publishing."]},
    }


def test_publish_offers_the_set_to_students(api, coach, student, draft_set):
    assert draft_set.pk not in _ids(api(student).get(SETS))

    response = api(coach).post(f"{SETS}{draft_set.pk}/publish/")

    assert response.status_code == 200 and response.json()["status"] == "published"
    assert draft_set.pk in _ids(api(student).get(SETS))


def test_students_read_the_published_sets_only(
    api, student, draft_set, published_set, other_organization
):
    site_wide = QuestionSet.objects.create(name="Curated", status="published")
    QuestionSet.objects.create(name="Curators' draft", status="draft")
    services.question_set_create(organization=other_organization, name="Theirs", description="")
    client = api(student)

    assert sorted(_ids(client.get(SETS))) == sorted([published_set.pk, site_wide.pk])
    assert client.get(f"{SETS}{published_set.pk}/").status_code == 200
    assert client.get(f"{SETS}{draft_set.pk}/").status_code == 404


def test_staff_read_the_centres_drafts_too(api, coach, draft_set, published_set):
    assert sorted(_ids(api(coach).get(SETS))) == sorted([draft_set.pk, published_set.pk])


def test_students_cannot_change_a_set(api, student, published_set, bank):
    client = api(student)
    url = f"{SETS}{published_set.pk}/"

    assert client.post(SETS, {"name": "Mine"}).status_code == 403
    assert client.patch(url, {"name": "Renamed"}, format="json").status_code == 403
    assert client.post(f"{url}publish/").status_code == 403
    assert client.delete(url).status_code == 403
    published_set.refresh_from_db()
    assert published_set.name == "Live round"
    assert not QuestionSet.objects.filter(name="Mine").exists()


@pytest.mark.parametrize("who", ["other_coach", "other_admin"])
def test_another_centres_sets_are_a_404(api, draft_set, published_set, who, request):
    client = api(request.getfixturevalue(who))

    assert _ids(client.get(SETS)) == []
    for question_set in (draft_set, published_set):
        url = f"{SETS}{question_set.pk}/"
        assert client.get(url).status_code == 404
        assert client.patch(url, {"name": "Hijacked"}, format="json").status_code == 404
        assert client.post(f"{url}publish/").status_code == 404
        assert client.delete(url).status_code == 404
    assert QuestionSet.objects.filter(pk__in=[draft_set.pk, published_set.pk]).count() == 2
    assert not QuestionSet.objects.filter(name="Hijacked").exists()


def test_site_wide_sets_are_read_only_for_centre_staff(api, coach):
    site_wide = QuestionSet.objects.create(name="Curated", status="published")
    client = api(coach)

    assert client.get(f"{SETS}{site_wide.pk}/").status_code == 200
    assert client.patch(f"{SETS}{site_wide.pk}/", {"name": "Ours"}).status_code == 403
    assert client.delete(f"{SETS}{site_wide.pk}/").status_code == 403
    site_wide.refresh_from_db()
    assert site_wide.name == "Curated"


def test_delete_removes_the_centres_set(api, org_admin, draft_set):
    response = api(org_admin).delete(f"{SETS}{draft_set.pk}/")

    assert response.status_code == 204
    assert not QuestionSet.objects.filter(pk=draft_set.pk).exists()


def test_the_schema_describes_the_new_routes(api, coach):
    schema = api(coach).get("/api/v1/schema/", {"format": "json"}).json()

    assert "/api/v1/question-sets/{id}/publish/" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/centre-questions/{id}/"]
    assert "put" not in schema["paths"]["/api/v1/question-sets/{id}/"]
