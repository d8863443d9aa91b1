"""Soft word matching shared by the correctness score and the key-point matcher."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ai.text import char_ngrams, content_tokens, stem

# Two different words count as the same when their character-trigram Dice reaches this: it catches
# typos ("defintion") and derivations the stemmer misses ("simulate"/"simulation") but not
# unrelated words that share a syllable. 0.6-0.75 all give the same calibration r within 0.002.
SOFT_THRESHOLD = 0.65
# Short words share trigrams by accident ("set"/"sea"), so only longer words may match softly.
SOFT_MIN_LENGTH = 4
MAX_CACHED_WORDS = 20_000


class Bag:
    """The distinct content words of a text, one per stem, for matching against other texts."""

    __slots__ = ("stems", "words")

    def __init__(self, words: Iterable[str]) -> None:
        """Keep the first word of each stem, in order."""
        # One entry per stem, so "function" and "functions" count once, not twice.
        by_stem: dict[str, str] = {}
        for word in words:
            by_stem.setdefault(stem(word), word)
        self.words: tuple[str, ...] = tuple(by_stem.values())
        self.stems: frozenset[str] = frozenset(by_stem)

    @classmethod
    def of(cls, text: str, exclude_stems: Iterable[str] = ()) -> Bag:
        """Build the bag of a text's content words, leaving out the given stems."""
        excluded = set(exclude_stems)
        return cls(w for w in content_tokens(text) if stem(w) not in excluded)

    def __len__(self) -> int:
        """Return the number of distinct words."""
        return len(self.words)

    def __add__(self, other: Bag) -> Bag:
        """Return the bag of both bags' words."""
        return Bag(self.words + other.words)


class Index:
    """A text's words indexed by character trigram, so soft look-ups skip unrelated words."""

    def __init__(self, bag: Bag) -> None:
        """Index the bag's longer words by their character trigrams."""
        self.bag = bag
        self._by_gram: dict[str, list[tuple[str, int]]] = {}
        for word in bag.words:
            if len(word) >= SOFT_MIN_LENGTH:
                grams = char_ngrams(word)
                for gram in grams:
                    self._by_gram.setdefault(gram, []).append((stem(word), len(grams)))
        self._cache: dict[str, dict[str, float]] = {}

    @classmethod
    def of(cls, text: str) -> Index:
        """Index the content words of a text."""
        return cls(Bag.of(text))

    def matches(self, word: str) -> dict[str, float]:
        """Return the stems of the indexed words that match a word, with their 0..1 scores."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        own = stem(word)
        found: dict[str, float] = {own: 1.0} if own in self.bag.stems else {}
        if len(word) >= SOFT_MIN_LENGTH:
            grams = char_ngrams(word)
            shared: dict[tuple[str, int], int] = {}
            for gram in grams:
                for item in self._by_gram.get(gram, ()):
                    shared[item] = shared.get(item, 0) + 1
            for (other, size), count in shared.items():
                score = 2 * count / (len(grams) + size)
                if score >= SOFT_THRESHOLD and score > found.get(other, 0.0):
                    found[other] = score
        if len(self._cache) > MAX_CACHED_WORDS:
            # A shared index (a cached reference) must not grow without bound in a long process.
            self._cache.clear()
        self._cache[word] = found
        return found

    def best(self, word: str, within: frozenset[str] | None = None) -> float:
        """Return the best match score of a word among the indexed words, or a subset of stems."""
        found = self.matches(word)
        if within is None:
            return max(found.values(), default=0.0)
        return max((s for k, s in found.items() if k in within), default=0.0)


def soft_recall(
    source: Bag,
    target: Index,
    within: frozenset[str] | None = None,
    weight: Callable[[str], float] | None = None,
) -> float:
    """Return the (weighted) share of the source's words that the target matches, 0..1."""
    if not source.words:
        return 0.0
    if weight is None:
        return sum(target.best(w, within) for w in source.words) / len(source.words)
    weights = [weight(w) for w in source.words]
    total = sum(weights)
    if not total:
        return 0.0
    matched = sum(k * target.best(w, within) for k, w in zip(weights, source.words, strict=True))
    return matched / total
