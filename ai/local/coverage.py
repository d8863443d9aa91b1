"""Key-point coverage: which of a question's key points an answer makes, and where."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ai import semantic
from ai.local.matching import Bag, Index, soft_recall
from ai.text import is_common, sentences

# A key point counts as covered from this match score up (0..1).
COVERED_AT = 0.5
# Restating the reference's example of a point is strong evidence, but less than stating it.
ANCHOR_CREDIT = 0.9
# An anchor sentence counts as at least this many words when measuring how much of it is restated.
ANCHOR_MIN_WEIGHT = 4.0
# Frequent words ("make", "time") match by chance between long texts, so they weigh little.
COMMON_WEIGHT = 0.3


@dataclass(frozen=True)
class PointMatch:
    """How well the answer makes one key point, and the answer sentence that makes it best."""

    key_point: str
    score: float
    evidence: str

    @property
    def covered(self) -> bool:
        """Tell whether the answer makes the point."""
        return self.score >= COVERED_AT


def _weight(word: str) -> float:
    """Return a word's weight when matching key points: low for very common words."""
    return COMMON_WEIGHT if is_common(word) else 1.0


def _anchor(point: Bag, reference_sentences: Sequence[tuple[Bag, Index]]) -> Bag | None:
    """Return the reference sentence that best exemplifies the key point, if any shares a word."""
    best: Bag | None = None
    best_score = 0.0
    for bag, index in reference_sentences:
        score = soft_recall(point, index, weight=_weight)
        if score > best_score:
            best, best_score = bag, score
    return best


@lru_cache(maxsize=512)
def _anchors(key_points: tuple[str, ...], reference: str, question: str) -> tuple[Bag | None, ...]:
    """Return each key point's anchor sentence in the reference, cached per question."""
    question_stems = Bag.of(question).stems
    reference_sentences = []
    for text in sentences(reference):
        bag = Bag.of(text, exclude_stems=question_stems)
        reference_sentences.append((bag, Index(bag)))
    return tuple(
        _anchor(Bag.of(point, exclude_stems=question_stems) or Bag.of(point), reference_sentences)
        for point in key_points
    )


class _Sentences:
    """An answer's sentences, with each word's best match per sentence looked up once."""

    def __init__(self, answer: str) -> None:
        """Split the answer into sentences and note which sentences hold each stem."""
        self.texts = sentences(answer)
        self.index = Index.of(answer)
        self.where: dict[str, list[int]] = {}
        for number, text in enumerate(self.texts):
            for key in Bag.of(text).stems:
                self.where.setdefault(key, []).append(number)

    def rows(self, bag: Bag) -> tuple[list[float], list[list[float]]]:
        """Return the bag's word weights and, per word, its best match score in each sentence."""
        weights, rows = [], []
        for word in bag.words:
            row = [0.0] * len(self.texts)
            for key, score in self.index.matches(word).items():
                for number in self.where.get(key, ()):
                    row[number] = max(row[number], score)
            weights.append(_weight(word))
            rows.append(row)
        return weights, rows


def _window_scores(
    weights: Sequence[float], rows: Sequence[Sequence[float]], n: int, floor: float = 0.0
) -> list[float]:
    """Return the weighted recall in each sentence, then in each pair of neighbouring sentences."""
    # The floor stands in for the total weight of very short bags, so one shared word out of two
    # is not half a match.
    total = max(sum(weights), floor)
    if not total or not n:
        return [0.0] * max(0, 2 * n - 1)
    single = [
        sum(w * row[i] for w, row in zip(weights, rows, strict=True)) / total for i in range(n)
    ]
    # A point is often made across two sentences ("I'd try X. That's because Y."), so pairs count.
    pairs = [
        sum(w * max(row[i], row[i + 1]) for w, row in zip(weights, rows, strict=True)) / total
        for i in range(n - 1)
    ]
    return single + pairs


def match_key_points(
    key_points: Sequence[str], reference: str, answer: str, question: str = ""
) -> list[PointMatch]:
    """Score each key point against the answer's sentences, directly and via its anchor."""
    # Key points are abstract ("forms a concrete hypothesis") while answers are concrete, so a
    # point also counts as made when the answer restates the reference sentence exemplifying it.
    if not key_points:
        return []
    question_stems = Bag.of(question).stems
    anchors = _anchors(tuple(key_points), reference, question)
    answer_sentences = _Sentences(answer)
    n = len(answer_sentences.texts)
    matches = []
    for point, anchor in zip(key_points, anchors, strict=True):
        point_bag = Bag.of(point, exclude_stems=question_stems) or Bag.of(point)
        scores = _window_scores(*answer_sentences.rows(point_bag), n)
        if anchor is not None:
            # The square root: restating half of the example's words is already a strong match.
            restated = _window_scores(*answer_sentences.rows(anchor), n, ANCHOR_MIN_WEIGHT)
            scores = [
                max(s, ANCHOR_CREDIT * math.sqrt(r)) for s, r in zip(scores, restated, strict=True)
            ]
        best = max(scores, default=0.0)
        evidence = ""
        if best > 0:
            # The evidence is one sentence: for a winning pair, the better of its two sentences.
            at = scores.index(best)
            if at >= n:
                at = at - n if scores[at - n] >= scores[at - n + 1] else at - n + 1
            evidence = answer_sentences.texts[at]
        # With embeddings, a sentence that makes the point in other words counts as well.
        meaning = semantic.closest(point, answer_sentences.texts)
        if meaning is not None and meaning[1] > best:
            at, best = meaning
            evidence = answer_sentences.texts[at]
        matches.append(PointMatch(point, min(1.0, best), evidence))
    return matches
