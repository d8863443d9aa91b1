"""Cheap lexical similarity between short texts, to spot the same interview question reworded."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ai.text import char_ngrams, content_tokens, dice, is_common, stem, word_set

# Words that frame a question rather than say what it is about ("tell me about a time", "how
# would you go about", "walk me through"). Two different behavioural questions share them all, so
# they count for little.
FRAMING_WORDS = word_set(
    """
    tell time describe example explain give walk talk go approach handle situation would
    happened happen think thing way say said ask asked question questions please us me
    """
)
FRAMING_WEIGHT = 0.15
COMMON_WEIGHT = 0.5
# Different words this alike in spelling (character trigrams) count as a partial match.
SOFT_THRESHOLD = 0.7
PREFIX_SCORE = 0.8


# A text's distinct content words as (stem, word, weight).
_Terms = tuple[tuple[str, str, float], ...]


@lru_cache(maxsize=2048)
def _terms(text: str) -> _Terms:
    """Return a text's distinct content words as (stem, word, weight), cached for repeat calls."""
    seen: dict[str, tuple[str, str, float]] = {}
    for word in content_tokens(text):
        key = stem(word)
        if key in seen:
            continue
        if word in FRAMING_WORDS or key in FRAMING_WORDS:
            weight = FRAMING_WEIGHT
        elif is_common(word):
            weight = COMMON_WEIGHT
        else:
            weight = 1.0
        seen[key] = (key, word, weight)
    return tuple(seen.values())


def _common_prefix(a: str, b: str) -> int:
    """Return the length of the longest common prefix of two words."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _match(word: str, key: str, others: _Terms) -> float:
    """Return how well a word is matched in another text: 1 for the same stem, else by spelling."""
    best = 0.0
    for other_key, other_word, _ in others:
        if other_key == key:
            return 1.0
        if len(word) >= 5 and len(other_word) >= 5:
            # Derivations the stemmer keeps apart ("disagreed"/"disagreement") share a long prefix.
            prefix = _common_prefix(word, other_word)
            if prefix >= 6 and prefix >= 0.6 * min(len(word), len(other_word)):
                best = max(best, PREFIX_SCORE)
            score = dice(char_ngrams(word), char_ngrams(other_word))
            if score >= SOFT_THRESHOLD and score > best:
                best = score
    return best


def _covered(source: _Terms, target: _Terms) -> tuple[float, float]:
    """Return the matched weight and total weight of the source's words in the target."""
    matched = sum(w * _match(word, key, target) for key, word, w in source)
    return matched, sum(w for _, _, w in source)


def similarity(a: str, b: str) -> float:
    """Return how alike two short texts are in meaning-bearing words, 0 (unrelated) to 1 (same)."""
    terms_a, terms_b = _terms(a), _terms(b)
    if not terms_a or not terms_b:
        return 0.0
    matched_a, total_a = _covered(terms_a, terms_b)
    matched_b, total_b = _covered(terms_b, terms_a)
    # A weighted Dice: symmetric, and a reworded question that adds a few words stays high.
    return min(1.0, (matched_a + matched_b) / (total_a + total_b))


def best_match(text: str, candidates: Sequence[str]) -> tuple[int, float]:
    """Return the index of the candidate most like text and its similarity, (-1, 0) if none."""
    best_index, best_score = -1, 0.0
    for index, candidate in enumerate(candidates):
        score = similarity(text, candidate)
        if score > best_score:
            best_index, best_score = index, score
    return best_index, best_score
