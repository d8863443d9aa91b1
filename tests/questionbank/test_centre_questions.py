"""A career centre's own questions: written by its coaches and admins by the bank's rules, and
asked only of its own students."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.selectors import questions_for
from questionbank import services
from questionbank.models import Question
from questionbank.selectors import track_detail
from tests.factories import QuestionFactory, SkillFactory

pytestmark = pytest.mark.django_db

TEXT = "Walk me through how you would mentor a new hire through their first on-call week."


@pytest.fixture
def skill(software):
    return software.skills.order_by("slug").first()


def _form(of, **changes) -> dict:
    """Return a good form post for a question of the skill `of`, with these changes."""
    data = {
        "text": TEXT,
        "track": of.track_id,
        "skill": of.pk,
        "type": "behavioural",
        "difficulty": "4",
        "level_min": "2",
        "level_max": "4",
        "reference_answer": "I pair with them, walk the runbooks and debrief every incident.",
        "key_points": "Pairs on the first shifts\n\nWalks the runbooks\nDebriefs each incident\n",
        "red_flags": "Leaves them alone on the first night\nBlames them for an outage",
        "follow_ups": "What if they freeze?\nHow do you know it worked?",
        "status": "published",
    }
    return data | changes


def _errors(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    return response.content.decode()


def test_it_saves_a_coachs_question_as_the_centres_with_its_points_in_order(
    client_for, coach, organization, skill
):
    response = client_for(coach).post(reverse("centre_question_create"), _form(skill))

    question = Question.objects.get(text=TEXT)
    assert response.status_code == 302
    assert response["Location"] == reverse("centre_question_edit", args=[question.pk])
    assert question.owner == organization and question.author == coach
    assert (question.level_min, question.level_max, question.difficulty) == (2, 4, 4)
    assert [p.text for p in question.key_points.all()] == [
        "Pairs on the first shifts",
        "Walks the runbooks",
        "Debriefs each incident",
    ]
    assert question.red_flags.count() == 2 and question.follow_ups.count() == 2


@pytest.mark.parametrize(
    ("field", "lines", "message"),
    [
        ("key_points", "One\nTwo", "Give 3 to 6 key points (found 2)."),
        ("key_points", "1\n2\n3\n4\n5\n6\n7", "Give 3 to 6 key points (found 7)."),
        ("red_flags", "Only one", "Give 2 to 5 red flags"),
        ("red_flags", "1\n2\n3\n4\n5\n6", "(found 6)"),
        ("follow_ups", "Only one?", "Give at least 2 follow-ups (found 1)."),
    ],
)
def test_it_holds_the_centres_questions_to_the_banks_rules_for_points(
    client_for, coach, skill, field, lines, message
):
    page = _errors(
        client_for(coach).post(reverse("centre_question_create"), _form(skill, **{field: lines}))
    )

    assert message in page
    assert not Question.objects.filter(text=TEXT).exists()


def test_it_refuses_a_skill_of_another_track(client_for, coach, skill):
    elsewhere = SkillFactory()

    page = _errors(
        client_for(coach).post(reverse("centre_question_create"), _form(skill, skill=elsewhere.pk))
    )

    assert "This skill belongs to another track." in page
    assert not Question.objects.filter(text=TEXT).exists()


def test_it_refuses_a_level_range_upside_down_and_an_empty_reference_answer(
    client_for, coach, skill
):
    data = _form(skill, level_min="5", level_max="2", reference_answer="   ")

    page = _errors(client_for(coach).post(reverse("centre_question_create"), data))

    assert "The highest level must not be below the lowest." in page
    assert "Write what a strong candidate would say." in page


def test_it_refuses_wording_already_in_the_bank(client_for, org_admin, skill):
    existing = Question.objects.filter(track=skill.track, owner__isnull=True).first()

    page = _errors(
        client_for(org_admin).post(
            reverse("centre_question_create"), _form(skill, text=f"  {existing.text.upper()} ")
        )
    )

    assert "A question with the same wording is already in the bank." in page


def test_an_admin_changes_a_question_and_its_points_are_replaced(
    client_for, org_admin, organization, skill
):
    question = QuestionFactory.create(owner=organization, skill=skill, status="draft")
    url = reverse("centre_question_edit", args=[question.pk])
    client = client_for(org_admin)

    page = client.get(url).content.decode()
    assert "Understands the problem\nWeighs options\nChecks the result" in page

    client.post(url, _form(skill, key_points="First\nSecond\nThird\nFourth"))

    question.refresh_from_db()
    assert question.text == TEXT and question.status == "published"
    assert [p.text for p in question.key_points.all()] == ["First", "Second", "Third", "Fourth"]
    assert question.owner == organization  # an edit never moves it out of the centre


def test_it_keeps_a_question_of_a_published_set_published(client_for, coach, organization, skill):
    question = QuestionFactory.create(owner=organization, skill=skill)
    question_set = services.question_set_create(
        organization=organization, name="On-call", description="", questions=[question]
    )
    services.question_set_publish(question_set=question_set)

    page = _errors(
        client_for(coach).post(
            reverse("centre_question_edit", args=[question.pk]), _form(skill, status="archived")
        )
    )

    assert "It is in the published set(s) “On-call”; remove it there first." in page
    question.refresh_from_db()
    assert question.status == "published"


def test_it_keeps_a_question_of_a_set_in_the_sets_track(client_for, coach, organization, skill):
    question = QuestionFactory.create(owner=organization, skill=skill)
    services.question_set_create(
        organization=organization, name="Juniors", description="", questions=[question]
    )
    nursing = SkillFactory(track__name="Nursing")

    page = _errors(
        client_for(coach).post(
            reverse("centre_question_edit", args=[question.pk]),
            _form(nursing),
        )
    )

    assert "It is in the set(s) “Juniors”, of Software Engineering questions." in page
    question.refresh_from_db()
    assert question.track == skill.track


def test_the_list_shows_only_the_centres_own_questions(
    client_for, coach, organization, other_organization, skill
):
    ours = QuestionFactory.create(
        owner=organization, skill=skill, text="Ours: how do you plan a sprint?"
    )
    QuestionFactory.create(owner=other_organization, skill=skill, text="Theirs: how do you hire?")

    page = client_for(coach).get(reverse("centre_question_list")).content.decode()

    assert ours.text in page
    assert "Theirs: how do you hire?" not in page
    site_wide = Question.objects.filter(owner__isnull=True, track=skill.track).first()
    assert str(site_wide) not in page


def test_site_wide_questions_are_read_only_here(client_for, org_admin, skill):
    site_wide = Question.objects.filter(owner__isnull=True, track=skill.track).first()
    client = client_for(org_admin)

    assert client.get(reverse("centre_question_edit", args=[site_wide.pk])).status_code == 404
    response = client.post(reverse("centre_question_edit", args=[site_wide.pk]), _form(skill))
    assert response.status_code == 404
    assert client.post(reverse("centre_question_delete", args=[site_wide.pk])).status_code == 404
    site_wide.refresh_from_db()
    assert site_wide.text != TEXT


def test_it_deletes_a_question_no_set_holds_and_refuses_one_a_set_holds(
    client_for, coach, organization, skill
):
    loose = QuestionFactory.create(owner=organization, skill=skill)
    held = QuestionFactory.create(owner=organization, skill=skill)
    services.question_set_create(
        organization=organization, name="Warm-up", description="", questions=[held]
    )
    client = client_for(coach)

    client.post(reverse("centre_question_delete", args=[loose.pk]))
    response = client.post(reverse("centre_question_delete", args=[held.pk]), follow=True)

    assert not Question.objects.filter(pk=loose.pk).exists()
    assert Question.objects.filter(pk=held.pk).exists()
    assert "Remove it from “Warm-up” first, or archive it instead." in response.content.decode()


@pytest.mark.parametrize("who", ["student", "other_coach", "other_admin"])
def test_a_student_and_another_centres_staff_get_404_on_every_question_page(
    request, client_for, organization, skill, who
):
    question = QuestionFactory.create(owner=organization, skill=skill, status="draft")
    client = client_for(request.getfixturevalue(who))
    edit = reverse("centre_question_edit", args=[question.pk])
    calls = [("get", edit), ("post", edit)]
    calls += [("post", reverse("centre_question_delete", args=[question.pk]))]
    if who == "student":  # another centre's staff have these pages for their own centre
        create = reverse("centre_question_create")
        calls += [("get", reverse("centre_question_list")), ("get", create), ("post", create)]

    for method, url in calls:
        response = getattr(client, method)(url, _form(skill, text="Hijacked?"))
        assert response.status_code == 404, (method, url)

    question.refresh_from_db()
    assert question.text != "Hijacked?"
    assert not Question.objects.filter(text="Hijacked?").exists()


def test_the_list_and_the_form_are_a_404_for_someone_on_their_own(client_for, skill):
    from tests.factories import UserFactory

    client = client_for(UserFactory.create())

    assert client.get(reverse("centre_question_list")).status_code == 404
    assert client.post(reverse("centre_question_create"), _form(skill)).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("centre_question_list"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_centres_published_questions_are_asked_of_its_students_only(
    organization, other_organization, coach, skill
):
    values = services.QuestionValues(
        track=skill.track,
        skill=skill,
        type="technical",
        difficulty=5,
        level_min=1,
        level_max=6,
        text=TEXT,
        reference_answer="I would pair with them first.",
        status="published",
        key_points=["One thing", "Another thing", "A third thing"],
        red_flags=["A wrong claim", "A bad practice"],
        follow_ups=["Why?", "How?"],
    )
    question = services.question_create(organization=organization, author=coach, values=values)

    assert questions_for("technical", skill.track, organization.pk).filter(pk=question.pk)
    assert not questions_for("technical", skill.track, other_organization.pk).filter(pk=question.pk)
    assert not questions_for("technical", skill.track, None).filter(pk=question.pk)
    _, skills = track_detail(slug=skill.track.slug, organization_id=other_organization.pk)
    _, ours = track_detail(slug=skill.track.slug, organization_id=organization.pk)
    totals = {s.pk: s.question_total for s in skills}
    assert {s.pk: s.question_total for s in ours}[skill.pk] == totals[skill.pk] + 1
