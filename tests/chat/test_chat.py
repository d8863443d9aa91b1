"""Chat coaching on the starter bank: the page, the API, a provider's answer, and bad input."""

from __future__ import annotations

import json

import pytest

from chat.models import Conversation, Message
from questionbank.models import Question
from tests.ai import openai_recorded as rec

pytestmark = pytest.mark.django_db

LONG = "How do I answer this? " * 910  # 20,020 characters


def _bank_question(bank) -> Question:
    return (
        Question.objects.filter(track=bank["software-engineering"], skill__slug="debugging")
        .order_by("pk")
        .first()
    )


def test_a_student_asks_on_the_page_and_reads_a_sourced_answer_with_practice(
    bank, student, client_for
):
    page = client_for(student)
    asked = page.post("/chat/", {"text": "What is the STAR method?"})
    assert asked.status_code == 302
    conversation = Conversation.objects.get(user=student)
    assert conversation.title == "What is the STAR method?"
    shown = page.get(asked["Location"].split("#")[0])
    html = shown.content.decode()
    assert "STAR stands for Situation, Task, Action, Result" in html
    assert "From: The STAR method" in html
    skill = bank["general-behavioural"].skills.get(slug="teamwork")
    assert f"/interviews/new/?track=general-behavioural&amp;skill={skill.pk}" in html
    # The conversation goes on, and is in the list of the student's conversations.
    question = _bank_question(bank)
    page.post(
        f"/chat/{conversation.pk}/",
        {"text": f"What does a good answer to \u201c{question.text}\u201d cover?"},
    )
    answer = conversation.messages.filter(role=Message.Role.COACH).last()
    assert answer.sources[0]["key"] == f"question:{question.pk}"
    assert question.key_points.first().text in answer.text
    html = page.get(f"/chat/{conversation.pk}/").content.decode()
    link = f"/tracks/software-engineering/questions/{question.pk}/"
    assert link in html
    # The source's page shows what a strong answer covers and what a panel rejects.
    source = page.get(link).content.decode()
    assert question.key_points.first().text in source
    assert question.red_flags.first().text in source


def test_the_issues_examples_with_the_local_engine(bank, student, client_for):
    api = client_for(student)
    cases = {
        "how should I answer 'tell me about yourself' for a nursing role?": (
            "guide:tell-me-about-yourself",
            "For Healthcare and Nursing roles",
        ),
        "what is the STAR method?": ("guide:star-method", "Situation, Task, Action, Result"),
    }
    for message, (source, words) in cases.items():
        reply = api.post(
            "/api/v1/conversations/", {"text": message}, content_type="application/json"
        )
        assert reply.status_code == 201, reply.content
        coach = reply.json()["messages"][-1]
        assert coach["role"] == "coach" and coach["kind"] == "answer"
        assert coach["sources"][0]["key"] == source
        assert words in coach["text"]
        assert len(coach["text"].split()) <= 120
    refused = api.post(
        "/api/v1/conversations/",
        {"text": "Can you write my history essay on the French revolution?"},
        content_type="application/json",
    )
    assert refused.json()["messages"][-1]["kind"] == "off_topic"


@pytest.mark.parametrize("text", ["", "   ", LONG])
def test_an_empty_or_huge_message_is_refused_and_nothing_stored(bank, student, client_for, text):
    page = client_for(student)
    shown = page.post("/chat/", {"text": text})
    assert shown.status_code == 400
    html = shown.content.decode()
    said = f"{len(text.strip()):,} characters" if text.strip() else "Type a question"
    assert said in html
    api = page.post("/api/v1/conversations/", {"text": text}, content_type="application/json")
    assert api.status_code == 400
    assert api.json()["code"] == ("message_too_long" if text.strip() else "empty_message")
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_a_long_message_in_a_conversation_keeps_what_was_there(bank, student, client_for):
    api = client_for(student)
    started = api.post(
        "/api/v1/conversations/", {"text": "What is STAR?"}, content_type="application/json"
    ).json()
    refused = api.post(
        f"/api/v1/conversations/{started['id']}/messages/",
        {"text": LONG},
        content_type="application/json",
    )
    assert refused.status_code == 400
    kept = api.get(f"/api/v1/conversations/{started['id']}/").json()
    assert [m["text"] for m in kept["messages"]] == [m["text"] for m in started["messages"]]


def test_another_students_conversation_is_a_404_everywhere(
    bank, student, second_student, client_for
):
    mine = client_for(student).post("/chat/", {"text": "What is the STAR method?"})
    conversation = Conversation.objects.get()
    theirs = client_for(second_student)
    assert theirs.get(mine["Location"].split("#")[0]).status_code == 404
    assert theirs.post(f"/chat/{conversation.pk}/", {"text": "Hi?"}).status_code == 404
    assert theirs.post(f"/chat/{conversation.pk}/delete/").status_code == 404
    assert theirs.get(f"/api/v1/conversations/{conversation.pk}/").status_code == 404
    assert theirs.delete(f"/api/v1/conversations/{conversation.pk}/").status_code == 404
    assert theirs.get("/api/v1/conversations/").json()["results"] == []
    assert Message.objects.filter(conversation=conversation).count() == 2


def test_a_student_deletes_a_conversation(bank, student, client_for):
    page = client_for(student)
    page.post("/chat/", {"text": "What is the STAR method?"})
    conversation = Conversation.objects.get()
    assert page.post(f"/chat/{conversation.pk}/delete/").status_code == 302
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_a_question_page_shows_only_what_the_student_may_see(
    bank, student, other_organization, client_for
):
    question = _bank_question(bank)
    page = client_for(student)
    url = f"/tracks/software-engineering/questions/{question.pk}/"
    assert page.get(url).status_code == 200
    assert page.get(f"/tracks/general-behavioural/questions/{question.pk}/").status_code == 404
    question.status = Question.Status.DRAFT
    question.save()
    assert page.get(url).status_code == 404
    question.status = Question.Status.PUBLISHED
    question.owner = other_organization
    question.save()
    assert page.get(url).status_code == 404


# --- With a provider: the fast model, grounded on what retrieval found ---------------------------


def _advice(reply: dict) -> rec.Reply:
    return rec.completion(json.dumps(reply))


def test_the_provider_answers_from_the_material_it_was_given(bank, student, provider, settings):
    from chat.services import message_send

    provider.then(
        "advice",
        _advice(
            {
                "reply": "Use STAR: situation, task, your actions, and a measurable result. "
                + "word " * 150,
                "kind": "answer",
                "sources": ["guide:star-method"],
            }
        ),
    )
    answer = message_send(user=student, text="What is the STAR method?")
    [body] = provider.bodies("advice")
    assert body["model"] == settings.LLM_FAST_MODEL
    user = body["messages"][1]["content"]
    assert "[guide:star-method] guide: The STAR method" in user
    assert "<student_message>\nWhat is the STAR method?\n</student_message>" in user
    assert answer.engine == "openai" and answer.fallback == ""
    assert answer.text.startswith("Use STAR") and len(answer.text.split()) <= 120
    assert answer.sources[0]["key"] == "guide:star-method"
    assert answer.practice == {"track": "general-behavioural", "skill": "teamwork"}


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (
            _advice({"reply": "Say this.", "kind": "answer", "sources": ["question:999999"]}),
            "cited material it was not given",
        ),
        (_advice({"reply": "Say this.", "kind": "answer", "sources": []}), "without a source"),
        (rec.error(500), "HTTP 500"),
    ],
)
def test_a_provider_answer_that_cannot_be_used_is_the_local_coachs(
    bank, student, provider, reply, why
):
    from chat.services import message_send

    provider.then("advice", reply, reply, reply)
    answer = message_send(user=student, text="What is the STAR method?")
    assert answer.engine == "local" and why in answer.fallback
    assert answer.sources[0]["key"] == "guide:star-method"
