"""Question similarity: reworded questions are alike, different ones are not."""

from __future__ import annotations

import pytest

from ai.similarity import best_match, similarity


def test_reworded_question_is_similar():
    assert (
        similarity(
            "How would you debug a slow API?",
            "How would you go about debugging an API that has become slow?",
        )
        >= 0.6
    )


def test_different_question_on_the_same_topic_is_less_similar():
    reworded = similarity(
        "How would you debug a slow API?",
        "How would you go about debugging an API that has become slow?",
    )
    same_topic = similarity(
        "How would you debug a slow API?", "How would you design a rate limiter for an API?"
    )
    assert same_topic < 0.45
    assert same_topic < reworded - 0.3


def test_unrelated_questions_are_not_similar():
    assert (
        similarity(
            "How would you debug a slow API?",
            "Tell me about a time you disagreed with your manager.",
        )
        < 0.1
    )
    # Shared framing ("tell me about a time") does not make two questions the same.
    assert (
        similarity(
            "Tell me about a time you disagreed with your manager.",
            "Tell me about a time you missed a deadline.",
        )
        < 0.3
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("How would you debug a slow API?", "Design a rate limiter for a public API."),
        ("What is a pointer?", "What does the sizeof operator return?"),
        ("Tell me about a conflict in your team.", "Describe a disagreement with a teammate."),
    ],
)
def test_similarity_is_symmetric_and_bounded(a, b):
    assert similarity(a, b) == pytest.approx(similarity(b, a))
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, a) == pytest.approx(1.0)
    assert similarity(a, "") == 0.0


def test_best_match_picks_the_reworded_question():
    asked = [
        "Tell me about a time you disagreed with your manager.",
        "How would you go about debugging an API that has become slow?",
        "Design a URL shortener.",
    ]
    index, score = best_match("How would you debug a slow API?", asked)
    assert index == 1
    assert score >= 0.6
    assert best_match("anything", []) == (-1, 0.0)
