"""Fixtures for the AI engines: a fake embedding model."""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from contextlib import ExitStack

import pytest

from ai import semantic


class FakeEmbeddings:
    """A stand-in embedding model: listed texts get their vectors, others an axis each."""

    DIMENSIONS = 64
    LISTED = 8  # listed vectors use at most this many dimensions; the others come after

    def __init__(self, vectors: Mapping[str, Sequence[float]]) -> None:
        self.vectors = vectors
        self.calls: list[list[str]] = []
        self.axes: dict[str, int] = {}

    def __call__(self, texts: Sequence[str]) -> list[array]:
        self.calls.append(list(texts))
        return [self.embed(text) for text in texts]

    def embed(self, text: str) -> array:
        values = [0.0] * self.DIMENSIONS
        if text in self.vectors:
            values[: len(self.vectors[text])] = self.vectors[text]
        else:
            values[self.axes.setdefault(text, self.LISTED + len(self.axes))] = 1.0
        norm = math.sqrt(sum(v * v for v in values))
        return array("f", (v / norm for v in values))


@pytest.fixture
def fake_embeddings():
    """Install a fake embedding method for the test: `fake_embeddings(vectors, repeat_at=0.8)`."""
    with ExitStack() as stack:

        def install(
            vectors: Mapping[str, Sequence[float]], *, repeat_at: float = 0.8
        ) -> FakeEmbeddings:
            model = FakeEmbeddings(vectors)
            method = semantic.Method(
                "fake", repeat_at=repeat_at, embed=model, unrelated=0.3, paraphrase=0.9
            )
            stack.enter_context(semantic.using(method))
            return model

        yield install
