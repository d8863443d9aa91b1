"""Find the bank's own material for a student's question: Okapi BM25 over stemmed words.

The chat coach answers from what the bank already says (questions, their key points and red flags,
skills and their resources, the coaching guides), so everything it tells a student can be traced
to a curated source. `Library` indexes those passages once; `search` ranks them for a message and
says how much of the message each one accounts for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ai.text import content_tokens, find_occurrences, stem, tokens


@dataclass(frozen=True)
class Passage:
    """One piece of curated material: a bank question, a skill or a coaching guide."""

    key: str  # "question:12", "skill:4", "guide:star-method": what a reply cites
    kind: str  # question | skill | guide
    title: str  # the question as asked, the skill's or the guide's name
    text: str = ""  # more to search: a reference answer, a description, a guide's advice
    points: tuple[str, ...] = ()  # what a strong answer covers (a guide: its tips)
    avoid: tuple[str, ...] = ()  # what a panel would reject (a guide: common mistakes)
    keywords: tuple[str, ...] = ()  # words a student asking about it would use
    track: str = ""  # the track's slug ("" for general material, shown with every track)
    asks: tuple[str, ...] = ()  # a guide: ways students ask for it
    practice: tuple[str, str] | None = None  # (track, skill) to practise it in


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # BM25, for ranking
    coverage: float  # 0-1: the share of the message's rarer words the passage contains


@dataclass
class Library:
    """The passages, indexed for search, and the words that name each track."""

    passages: Sequence[Passage]
    # Track slug -> the words or phrases that name it ("nurse", "product manager").
    track_words: Mapping[str, Iterable[str]] = field(default_factory=dict)
    track_names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Imported here: rank_bm25 brings numpy, whose BLAS starts threads, and the processes
        # that fork (the worker's parent, the reading process) must start without any.
        from rank_bm25 import BM25Okapi

        self._terms = [_terms(_searchable(passage)) for passage in self.passages]
        self._vocabulary = [set(terms) for terms in self._terms]
        self._bm25 = BM25Okapi(self._terms) if self.passages else None
        self._by_key = {passage.key: passage for passage in self.passages}
        self._rarest = max(self._bm25.idf.values(), default=1.0) if self._bm25 else 1.0
        self._track_phrases = {
            track: [frozenset(_terms(phrase)) for phrase in phrases]
            for track, phrases in self.track_words.items()
        }
        self._track_stems = {
            track: frozenset().union(*phrases) if phrases else frozenset()
            for track, phrases in self._track_phrases.items()
        }

    def search(
        self,
        text: str,
        *,
        kinds: Iterable[str] = (),
        track: str | None = None,
        limit: int = 5,
        light: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """Return the passages that best answer text, best first (of `kinds`, and of `track`
        or general when a track is given). Words whose stems are `light` (the request's framing:
        "good answer", "question") count for little in the coverage."""
        query = _terms(text)
        if track:
            # Within a track, the words that named it ("nurse") say nothing more.
            query = [
                term for term in query if term not in self._track_stems.get(track, ())
            ] or query
        if not query or self._bm25 is None:
            return []
        wanted = set(kinds)
        scores = self._bm25.get_scores(query)
        # A word no passage has is the rarest of all: the material does not speak of it.
        weights = {
            term: max(self._bm25.idf.get(term, self._rarest), 0.05) * (0.1 if term in light else 1)
            for term in set(query)
        }
        # Only framing words: nothing the material could be about.
        total = sum(weights.values()) if set(query) - light else float("inf")
        hits = []
        for index, passage in enumerate(self.passages):
            if wanted and passage.kind not in wanted:
                continue
            if track is not None and passage.track not in (track, ""):
                continue
            if scores[index] <= 0:
                continue
            vocabulary = self._vocabulary[index]
            covered = sum(weight for term, weight in weights.items() if term in vocabulary)
            hits.append(Hit(passage, float(scores[index]), covered / total))
        hits.sort(key=lambda hit: hit.score, reverse=True)
        return hits[:limit]

    def phrases_in(self, text: str, *, kind: str) -> list[tuple[Passage, int]]:
        """Return the passages of a kind one of whose keywords the text says word for word
        ("tell me about yourself", "salary"), with the longest such keyword's length in words,
        longest first."""
        words = tokens(text)
        found = []
        for passage in self.passages:
            if passage.kind != kind or not passage.keywords:
                continue
            said = find_occurrences(words, passage.keywords)
            if said:
                found.append((passage, max(len(tokens(phrase)) for phrase in said)))
        found.sort(key=lambda item: item[1], reverse=True)
        return found

    def track_of(self, text: str) -> str | None:
        """Return the track the text names ("for a nursing role"), or None."""
        stems = set(_terms(text))
        counts = sorted(
            (
                (sum(len(phrase) for phrase in phrases if phrase and phrase <= stems), track)
                for track, phrases in self._track_phrases.items()
            ),
            reverse=True,
        )
        # None when no track is named, or two are named as much ("engineer").
        if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
            return None
        return counts[0][1]

    def passage(self, key: str) -> Passage | None:
        return self._by_key.get(key)


def _terms(text: str) -> list[str]:
    return [stem(word) for word in content_tokens(text)]


def _searchable(passage: Passage) -> str:
    # The title and the words students use count twice: they say what the passage is about.
    about = " ".join([passage.title, *passage.keywords, *passage.asks])
    return " ".join([about, about, passage.text, *passage.points, *passage.avoid])
