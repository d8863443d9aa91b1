"""A career centre's question sets: one track's questions in order, picked from the bank,
published once complete; and the pages its coaches and admins edit them on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from questionbank import services
from questionbank.models import Question, QuestionSet
from questionbank.selectors import question_set_questions, questions_to_pick
from tests.factories import QuestionFactory, SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(software):
    """Three of the software track's published site-wide questions."""
    return list(Question.objects.published().filter(track=software, owner__isnull=True)[:3])


@pytest.fixture
def draft_set(organization):
    return services.question_set_create(
        organization=organization, name="Graduate scheme", description="The first round."
    )


def _order(question_set) -> list[int]:
    return [q.pk for q in question_set_questions(question_set)]


def _positions(question_set) -> list[int]:
    return list(question_set.items.order_by("position").values_list("position", flat=True))


def _refusal(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return " ".join(caught.value.messages)


# --- The rules ------------------------------------------------------------------------------


def test_a_new_set_is_a_draft_of_the_centre(draft_set, organization):
    assert draft_set.owner == organization
    assert draft_set.status == QuestionSet.Status.DRAFT


def test_it_keeps_positions_contiguous_through_adds_moves_and_removals(draft_set, bank):
    first, second, third = bank
    for question in bank:
        services.question_set_add(question_set=draft_set, question=question)

    services.question_set_move(question_set=draft_set, question=third, position=0)
    assert _order(draft_set) == [third.pk, first.pk, second.pk]
    services.question_set_move(question_set=draft_set, question=third, position=99)
    assert _order(draft_set) == [first.pk, second.pk, third.pk]
    services.question_set_remove(question_set=draft_set, question=first)

    assert _order(draft_set) == [second.pk, third.pk]
    assert _positions(draft_set) == [0, 1]


def test_it_cannot_publish_an_empty_set(draft_set):
    message = _refusal(services.question_set_publish, question_set=draft_set)

    assert message == "Add at least one question before publishing."
    draft_set.refresh_from_db()
    assert draft_set.status == QuestionSet.Status.DRAFT


def test_it_holds_a_centre_draft_in_a_draft_set_but_publishes_only_once_it_is_published(
    draft_set, organization, software
):
    own = QuestionFactory.create(owner=organization, skill=software.skills.first(), status="draft")
    services.question_set_add(question_set=draft_set, question=own)

    message = _refusal(services.question_set_publish, question_set=draft_set)
    assert message.startswith("Publish these questions first, or remove them:")

    Question.objects.filter(pk=own.pk).update(status="published")
    services.question_set_publish(question_set=draft_set)
    draft_set.refresh_from_db()
    assert draft_set.status == QuestionSet.Status.PUBLISHED


def test_it_refuses_another_centres_question(draft_set, other_organization, software):
    theirs = QuestionFactory.create(owner=other_organization, skill=software.skills.first())

    message = _refusal(services.question_set_add, question_set=draft_set, question=theirs)

    assert message == "This question belongs to another organisation."
    assert not draft_set.items.exists()


def test_it_refuses_archived_questions_and_site_wide_drafts(draft_set, software):
    skill = software.skills.first()
    archived = QuestionFactory.create(skill=skill, status="archived")
    curators_draft = QuestionFactory.create(skill=skill, status="draft")

    assert "is archived" in _refusal(
        services.question_set_add, question_set=draft_set, question=archived
    )
    assert "is not published" in _refusal(
        services.question_set_add, question_set=draft_set, question=curators_draft
    )
    assert not draft_set.items.exists()


def test_a_set_holds_one_tracks_questions(draft_set, bank):
    services.question_set_add(question_set=draft_set, question=bank[0])
    other_track = QuestionFactory.create(skill=SkillFactory(track__name="Nursing"))

    message = _refusal(services.question_set_add, question_set=draft_set, question=other_track)

    assert message.startswith("A set holds questions of one track: this set is Software")
    assert _order(draft_set) == [bank[0].pk]


def test_it_refuses_a_question_twice(draft_set, bank):
    services.question_set_add(question_set=draft_set, question=bank[0])

    assert "in the set already" in _refusal(
        services.question_set_add, question_set=draft_set, question=bank[0]
    )
    assert "only once" in _refusal(
        services.question_set_update,
        question_set=draft_set,
        name=draft_set.name,
        description="",
        questions=[bank[1], bank[1]],
    )


def test_a_published_set_keeps_a_question_and_takes_only_published_ones(
    draft_set, bank, organization
):
    services.question_set_add(question_set=draft_set, question=bank[0])
    services.question_set_publish(question_set=draft_set)
    own_draft = QuestionFactory.create(owner=organization, skill=bank[0].skill, status="draft")

    assert "needs at least one question" in _refusal(
        services.question_set_remove, question_set=draft_set, question=bank[0]
    )
    assert "is not published" in _refusal(
        services.question_set_add, question_set=draft_set, question=own_draft
    )
    assert _order(draft_set) == [bank[0].pk]


def test_it_refuses_a_second_set_of_the_same_name_in_the_centre(draft_set, organization):
    message = _refusal(
        services.question_set_create,
        organization=organization,
        name="  graduate   SCHEME ",
        description="",
    )

    assert message == "Your centre has a set called “graduate SCHEME”."


def test_site_wide_sets_are_read_only_here(bank):
    site_wide = QuestionSet.objects.create(name="Curated", status="published")

    assert "read-only" in _refusal(
        services.question_set_add, question_set=site_wide, question=bank[0]
    )
    assert "read-only" in _refusal(services.question_set_delete, question_set=site_wide)


# --- Picking from the bank -------------------------------------------------------------------


def test_the_picker_offers_published_site_wide_and_the_centres_own_questions(
    draft_set, organization, other_organization, software
):
    skill = software.skills.first()
    own_draft = QuestionFactory.create(owner=organization, skill=skill, status="draft")
    theirs = QuestionFactory.create(owner=other_organization, skill=skill)
    archived = QuestionFactory.create(owner=organization, skill=skill, status="archived")

    offered = set(questions_to_pick(question_set=draft_set).values_list("pk", flat=True))

    assert own_draft.pk in offered
    assert theirs.pk not in offered and archived.pk not in offered
    site_wide = Question.objects.published().filter(owner__isnull=True)
    assert set(site_wide.values_list("pk", flat=True)) <= offered


def test_the_picker_searches_words_filters_and_keeps_to_the_sets_track(draft_set, software):
    nursing = QuestionFactory.create(skill=SkillFactory(track__name="Nursing"), type="behavioural")
    text = Question.objects.filter(track=software, type="technical").first().text
    words = " ".join(text.split()[1:4]).upper()

    found = questions_to_pick(question_set=draft_set, search=words, question_type="technical")
    assert text in [q.text for q in found]
    assert all(q.type == "technical" and q.track == software for q in found)
    assert list(questions_to_pick(question_set=draft_set, track=nursing.track)) == [nursing]

    first = found.first()
    services.question_set_add(question_set=draft_set, question=first)
    after = questions_to_pick(question_set=draft_set, track=nursing.track)
    picked = set(after)
    assert nursing not in picked and first not in picked  # the set's track wins; no repeats
    assert all(q.track == software for q in after)


# --- The pages ----------------------------------------------------------------------------------


def test_a_coach_builds_orders_and_publishes_a_set_on_the_pages(
    client_for, coach, organization, bank
):
    client = client_for(coach)
    response = client.post(
        reverse("centre_set_create"), {"name": "Mock day", "description": "Round one."}
    )
    question_set = QuestionSet.objects.get(owner=organization, name="Mock day")
    detail = reverse("centre_set_detail", args=[question_set.pk])
    assert response["Location"] == detail

    for question in bank:
        client.post(
            reverse("centre_set_add", args=[question_set.pk]),
            {"question": question.pk, "search": "q=design&page=2"},
        )
    move = reverse("centre_set_move", args=[question_set.pk, bank[2].pk])
    client.post(move, {"direction": "up"})
    client.post(reverse("centre_set_move", args=[question_set.pk, bank[0].pk]), {"position": 3})
    response = client.post(reverse("centre_set_publish", args=[question_set.pk]))

    assert response["Location"] == detail
    assert _order(question_set) == [bank[2].pk, bank[1].pk, bank[0].pk]
    question_set.refresh_from_db()
    assert question_set.status == QuestionSet.Status.PUBLISHED
    page = client.get(detail).content.decode()
    assert "Published · Software Engineering · 3 questions" in page


def test_the_page_says_why_an_empty_set_cannot_be_published(client_for, coach, draft_set):
    response = client_for(coach).post(
        reverse("centre_set_publish", args=[draft_set.pk]), follow=True
    )

    assert "Add at least one question before publishing." in response.content.decode()


def test_adding_another_centres_question_on_the_page_says_why_it_was_refused(
    client_for, coach, draft_set, other_organization, software
):
    theirs = QuestionFactory.create(owner=other_organization, skill=software.skills.first())

    response = client_for(coach).post(
        reverse("centre_set_add", args=[draft_set.pk]),
        {"question": theirs.pk, "search": "q=on-call"},
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("?q=on-call")
    assert "This question belongs to another organisation." in response.content.decode()
    assert not draft_set.items.exists()


def test_the_set_page_pages_through_the_search_results(client_for, coach, draft_set, software):
    client = client_for(coach)
    url = reverse("centre_set_detail", args=[draft_set.pk])
    search = {"track": software.pk, "q": ""}

    first = client.get(url, search)
    second = client.get(url, search | {"page": 2})

    picks = first.context["picks"]
    assert picks.paginator.count > 20 and len(picks) == 20
    assert second.context["picks"].number == 2
    assert not {q.pk for q in picks} & {q.pk for q in second.context["picks"]}
    assert f"?track={software.pk}&amp;q=&amp;page=2" in first.content.decode()


def test_the_set_list_shows_only_the_centres_sets(client_for, coach, draft_set, other_organization):
    services.question_set_create(organization=other_organization, name="Theirs", description="")

    page = client_for(coach).get(reverse("centre_set_list")).content.decode()

    assert "Graduate scheme" in page and "Theirs" not in page


def test_the_set_is_renamed_and_deleted_on_its_page(client_for, org_admin, draft_set):
    client = client_for(org_admin)
    detail = reverse("centre_set_detail", args=[draft_set.pk])

    client.post(detail, {"name": "Final round", "description": ""})
    draft_set.refresh_from_db()
    assert draft_set.name == "Final round"
    response = client.post(reverse("centre_set_delete", args=[draft_set.pk]))

    assert response["Location"] == reverse("centre_set_list")
    assert not QuestionSet.objects.filter(pk=draft_set.pk).exists()


@pytest.mark.parametrize("who", ["student", "other_coach", "other_admin"])
def test_a_student_and_another_centres_staff_get_404_on_every_set_page(
    request, client_for, draft_set, bank, who
):
    services.question_set_add(question_set=draft_set, question=bank[0])
    client = client_for(request.getfixturevalue(who))
    pk, question = draft_set.pk, bank[0].pk
    calls = [
        ("get", reverse("centre_set_detail", args=[pk])),
        ("post", reverse("centre_set_detail", args=[pk])),
        ("post", reverse("centre_set_add", args=[pk])),
        ("post", reverse("centre_set_remove", args=[pk, question])),
        ("post", reverse("centre_set_move", args=[pk, question])),
        ("post", reverse("centre_set_publish", args=[pk])),
        ("post", reverse("centre_set_delete", args=[pk])),
    ]
    if who == "student":
        calls += [("get", reverse("centre_set_list")), ("post", reverse("centre_set_create"))]

    for method, url in calls:
        data = {"name": "Hijacked", "question": bank[1].pk, "direction": "down"}
        assert getattr(client, method)(url, data).status_code == 404, (method, url)

    draft_set.refresh_from_db()
    assert (draft_set.name, draft_set.status) == ("Graduate scheme", "draft")
    assert _order(draft_set) == [bank[0].pk]
    assert not QuestionSet.objects.filter(name="Hijacked").exists()


# --- The migration ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sets_that_existed_before_the_status_stay_published():
    executor = MigrationExecutor(connection)
    executor.migrate([("questionbank", "0003_red_flags")])
    try:
        old = executor.loader.project_state([("questionbank", "0003_red_flags")]).apps
        old.get_model("questionbank", "QuestionSet").objects.create(name="In use")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert QuestionSet.objects.get(name="In use").status == QuestionSet.Status.PUBLISHED
    assert QuestionSet().status == QuestionSet.Status.DRAFT
