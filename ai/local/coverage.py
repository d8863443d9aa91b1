"""Key-point coverage: which of a question's key points an answer makes, and where; and which of
its red flags (the mistakes a panel would reject) the answer makes.

Words are matched with their polarity (ai.local.polarity): a point is made by a sentence that
asserts it, not by one that denies or dismisses it with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ai import semantic
from ai.local import polarity
from ai.local.matching import Bag, Index, soft_recall
from ai.local.signals import DUE_DILIGENCE
from ai.text import content_tokens, is_common, sentences, stem, word_set

# A key point counts as covered from this match score up (0..1).
COVERED_AT = 0.5
# Restating the reference's example of a point is strong evidence, but less than stating it.
ANCHOR_CREDIT = 0.9
# An anchor sentence counts as at least this many words when measuring how much of it is restated.
ANCHOR_MIN_WEIGHT = 4.0
# Frequent words ("make", "time") match by chance between long texts, so they weigh little.
COMMON_WEIGHT = 0.3
# A red flag counts as made from this match score up: stricter than a key point, because saying
# a candidate made a mistake they did not make is worse than missing one. Made, it is quoted on
# the report and costs a whole mistake.
RED_FLAG_AT = 0.8
# From this score up it is possibly made: words matched lexically find a mistake told in other
# words only in part, so a near match is evidence, not proof. It costs part of a mistake, growing
# to a whole one at RED_FLAG_AT, and the report says the sentence may read as the flag.
RED_FLAG_POSSIBLE_AT = 0.5
# Either only when its sentence matches the flag this much better than any key point: a sentence
# that fits a good practice as well as the mistake (the same words in another order) is taken as
# the good practice.
RED_FLAG_MARGIN = 0.15
RED_FLAG_MIN_WEIGHT = 4.0
# ...of which the flag's own words (those not in the question, reference or key points) this much.
RED_FLAG_OWN_AT = 0.5
# A key point counts as contradicted from this match of its words denied (see find_mistakes).
CONTRADICTED_AT = 0.5
# Denying this many of the reference's words is free (a strong answer may say "rather than
# guessing"); each further two count as one mistake.
DENIED_FREE = 2
DENIED_PER_MISTAKE = 0.5
# Reporting verbs that open a red flag ("Says an index speeds up writes"); what is said is matched.
_REPORTING = frozenset(
    stem(w)
    for w in word_set(
        "says claims recommends suggests assumes argues insists believes thinks states tells "
        "describes proposes"
    )
)


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


@dataclass(frozen=True)
class _Text:
    """A key point, red flag or reference sentence as matched: its words and those it denies."""

    bag: Bag
    denied: frozenset[str]

    @classmethod
    def of(cls, text: str, exclude_stems: frozenset[str] = frozenset()) -> _Text:
        return cls(Bag.of(text, exclude_stems=exclude_stems) or Bag.of(text), polarity.denied(text))


def _anchor(point: Bag, reference_sentences: Sequence[tuple[_Text, Index]]) -> _Text | None:
    """Return the reference sentence that best exemplifies the key point, if any shares a word."""
    best: _Text | None = None
    best_score = 0.0
    for text, index in reference_sentences:
        score = soft_recall(point, index, weight=_weight)
        if score > best_score:
            best, best_score = text, score
    return best


@lru_cache(maxsize=512)
def _anchors(
    key_points: tuple[str, ...], reference: str, question: str
) -> tuple[_Text | None, ...]:
    """Return each key point's anchor sentence in the reference, cached per question."""
    question_stems = Bag.of(question).stems
    reference_sentences = []
    for sentence in sentences(reference):
        text = _Text(Bag.of(sentence, exclude_stems=question_stems), polarity.denied(sentence))
        reference_sentences.append((text, Index(text.bag)))
    return tuple(
        _anchor(_Text.of(point, question_stems).bag, reference_sentences) for point in key_points
    )


class _Sentences:
    """An answer's sentences, with each word's best match per sentence looked up once."""

    def __init__(self, answer: str) -> None:
        """Split the answer into sentences and note which sentences assert or deny each stem."""
        self.texts = sentences(answer)
        self.index = Index.of(answer)
        # (stem, denied) -> the sentences that hold it so.
        self.where: dict[tuple[str, bool], list[int]] = {}
        self.denied: list[frozenset[str]] = []
        # What the candidate waves away of their own practice, per sentence (see _denied).
        self.dismissed: list[frozenset[str]] = []
        for number, text in enumerate(self.texts):
            no = polarity.denied(text)
            self.denied.append(frozenset(stem(word) for word in no))
            self.dismissed.append(polarity.dismissed(text))
            for word in content_tokens(text):
                numbers = self.where.setdefault((stem(word), word in no), [])
                if not numbers or numbers[-1] != number:
                    numbers.append(number)

    def rows(self, text: _Text) -> tuple[list[float], list[list[float]]]:
        """Return the text's word weights and, per word, its best match score in each sentence
        that holds the word the same way (asserted, or denied)."""
        weights, rows = [], []
        for word in text.bag.words:
            row = [0.0] * len(self.texts)
            no = word in text.denied
            for key, score in self.index.matches(word).items():
                for number in self.where.get((key, no), ()):
                    row[number] = max(row[number], score)
            weights.append(_weight(word))
            rows.append(row)
        return weights, rows

    def not_denying(self, text: _Text) -> list[int]:
        """The sentences that deny none of the text's asserted words."""
        asserted = {stem(w) for w in text.bag.words if w not in text.denied}
        return [n for n, no in enumerate(self.denied) if not asserted & no]


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


def _best(scores: Sequence[float], sentences: _Sentences) -> tuple[float, int]:
    """The best window score, and the one sentence it stands on (the better of a pair's two)."""
    n = len(sentences.texts)
    best = max(scores, default=0.0)
    if best <= 0:
        return 0.0, -1
    at = scores.index(best)
    if at >= n:
        at = at - n if scores[at - n] >= scores[at - n + 1] else at - n + 1
    return best, at


def _direct(text: _Text, answer: _Sentences) -> list[float]:
    return _window_scores(*answer.rows(text), len(answer.texts))


def match_key_points(
    key_points: Sequence[str], reference: str, answer: str, question: str = ""
) -> list[PointMatch]:
    """Score each key point against the answer's sentences, directly and via its anchor."""
    # Key points are abstract ("forms a concrete hypothesis") while answers are concrete, so a
    # point also counts as made when the answer restates the reference sentence exemplifying it.
    if not key_points:
        return []
    return _match_points(key_points, reference, _Sentences(answer), question)[0]


def _match_points(
    key_points: Sequence[str], reference: str, answer: _Sentences, question: str
) -> tuple[list[PointMatch], list[list[float]]]:
    """The key points' matches, and each point's direct window scores (for the red flags)."""
    question_stems = Bag.of(question).stems
    anchors = _anchors(tuple(key_points), reference, question)
    n = len(answer.texts)
    matches, direct = [], []
    for point, anchor in zip(key_points, anchors, strict=True):
        text = _Text.of(point, question_stems)
        scores = _direct(text, answer)
        direct.append(scores)
        if anchor is not None:
            # The square root: restating half of the example's words is already a strong match.
            restated = _window_scores(*answer.rows(anchor), n, ANCHOR_MIN_WEIGHT)
            scores = [
                max(s, ANCHOR_CREDIT * math.sqrt(r)) for s, r in zip(scores, restated, strict=True)
            ]
        best, at = _best(scores, answer)
        evidence = answer.texts[at] if at >= 0 else ""
        # With embeddings, a sentence that makes the point in other words counts as well (one
        # that denies the point's words does not).
        candidates = answer.not_denying(text)
        meaning = semantic.closest(point, [answer.texts[c] for c in candidates])
        if meaning is not None and meaning[1] > best:
            best, evidence = meaning[1], answer.texts[candidates[meaning[0]]]
        matches.append(PointMatch(point, min(1.0, best), evidence))
    return matches, direct


@dataclass(frozen=True)
class Mistakes:
    """The red flags an answer makes, and the key points it denies or dismisses."""

    red_flags: list[PointMatch]
    contradicted: list[PointMatch]
    # The reference's (uncommon) words the answer denies, however it words the rest: a strong
    # answer rarely denies more than one of them, a confidently wrong one several.
    denied: frozenset[str] = frozenset()
    # The sentence that denies most of them, and the words it denies there.
    most_denying: tuple[str, tuple[str, ...]] = ("", ())
    # Red flags the answer may make (a near match): part of a mistake each.
    possible: list[PointMatch] = field(default_factory=list)

    @property
    def quoted(self) -> set[str]:
        """The sentences a red flag (made or possible) or a contradicted key point quotes."""
        return {m.evidence for m in (*self.red_flags, *self.possible, *self.contradicted)}

    @property
    def sentences(self) -> set[str]:
        """Every sentence faulted: those quoted, and the one waving most away when it counts."""
        found = self.quoted
        if len(self.denied) > DENIED_FREE and self.most_denying[0]:
            found.add(self.most_denying[0])
        return found

    @property
    def weight(self) -> float:
        """How many mistakes the answer counts as making, for scoring."""
        return (
            len(self.red_flags)
            + sum(_possibility(m.score) for m in self.possible)
            + DENIED_PER_MISTAKE * max(0, len(self.denied) - DENIED_FREE)
        )


@dataclass(frozen=True)
class Judged:
    """Which key points an answer makes, the mistakes it makes, and how much of it is about what
    a good answer says."""

    points: list[PointMatch]
    mistakes: Mistakes
    # The mean, over the answer's sentences, of how closely each says a key point or a sentence
    # of the reference (0..1; 1 with neither to compare): a confidently wrong answer spends its
    # sentences on other claims.
    focus: float = 1.0


@dataclass(frozen=True)
class _Question:
    """What judging answers to one question needs of it, prepared once per question."""

    question_stems: frozenset[str]
    reference_sentences: tuple[_Text, ...]
    flags: tuple[tuple[str, _Text, _Text], ...]  # (flag, its text, its own words' text)
    points: tuple[tuple[_Text, _Text], ...]  # (key point's text, the same denied)
    asserted: frozenset[str]  # what a careful answer does, by stem (see _denied_reference)


@lru_cache(maxsize=512)
def _prepared(
    red_flags: tuple[str, ...], key_points: tuple[str, ...], reference: str, question: str
) -> _Question:
    question_stems = Bag.of(question).stems
    # The words of the question and of good practice; a flag's other words are what make it.
    known = question_stems | Bag.of(" ".join([reference, *key_points])).stems
    flags = []
    for flag in red_flags:
        text = _Text.of(flag, _REPORTING)
        own = Bag(w for w in text.bag.words if stem(w) not in known)
        if own:  # else nothing tells the mistake from good practice by its words
            flags.append((flag, text, _Text(own, text.denied)))
    points = []
    for point in key_points:
        text = _Text.of(point, question_stems)
        points.append((text, _Text(text.bag, frozenset(text.bag.words) - text.denied)))
    said = " ".join([reference, *key_points])
    asserted = {stem(w) for w in content_tokens(said) if not is_common(w)} | _diligence_stems()
    asserted -= {stem(w) for w in polarity.denied(said)} | question_stems
    return _Question(
        question_stems,
        tuple(_Text.of(sentence, question_stems) for sentence in sentences(reference)),
        tuple(flags),
        tuple(points),
        frozenset(asserted),
    )


def judge(
    key_points: Sequence[str],
    red_flags: Sequence[str],
    reference: str,
    answer: str,
    question: str,
) -> Judged:
    """Return the key points the answer makes, and the red flags it makes and key points it
    contradicts, each with the sentence that does it.

    A flag is made by a sentence that says what it says (with its polarity), clearly better than
    that sentence fits any key point or sentence of the reference (good practice, often in the
    same words). A key point is contradicted by a sentence that denies its words ("I wouldn't
    bother with a failing test") better than any sentence asserts them.
    """
    answer_sentences = _Sentences(answer)
    matched, point_scores = (
        _match_points(key_points, reference, answer_sentences, question) if key_points else ([], [])
    )
    prepared = _prepared(tuple(red_flags), tuple(key_points), reference, question)
    n = len(answer_sentences.texts)
    # What good practice says, matched to each sentence and pair: the flags' rivals, and the focus.
    rivals = point_scores + [
        _direct(sentence, answer_sentences) for sentence in prepared.reference_sentences
    ]
    focus = sum(max(r[i] for r in rivals) for i in range(n)) / n if n and rivals else 1.0
    made: list[PointMatch] = []
    possible: list[PointMatch] = []
    for flag, text, own in prepared.flags:
        if not any(answer_sentences.index.matches(word) for word in own.bag.words):
            continue  # none of its own words is in the answer: it cannot be made
        # A short flag is matched as if it had RED_FLAG_MIN_WEIGHT: two shared words are not it.
        scores = _window_scores(*answer_sentences.rows(text), n, RED_FLAG_MIN_WEIGHT)
        best, at = _best(scores, answer_sentences)
        if best < RED_FLAG_POSSIBLE_AT:
            continue
        window = scores.index(best)
        made_own = _window_scores(*answer_sentences.rows(own), n)[window]
        rival = max((r[window] for r in rivals), default=0.0)
        if made_own >= RED_FLAG_OWN_AT and best - rival >= RED_FLAG_MARGIN:
            match = PointMatch(flag, min(1.0, best), answer_sentences.texts[at])
            (made if best >= RED_FLAG_AT else possible).append(match)
    contradicted = []
    denying = frozenset().union(*answer_sentences.denied)
    for (_, flipped), point, match in zip(prepared.points, key_points, matched, strict=True):
        if not denying & flipped.bag.stems:
            continue  # the answer denies none of its words
        best, at = _best(_direct(flipped, answer_sentences), answer_sentences)
        sentence = answer_sentences.texts[at] if at >= 0 else ""
        # Said once is faulted once.
        flagged = any(m.evidence == sentence for m in (*made, *possible))
        if best >= CONTRADICTED_AT and best > match.score and not flagged:
            contradicted.append(PointMatch(point, min(1.0, best), sentence))
    return Judged(
        matched,
        Mistakes(
            made, contradicted, *_denied(answer_sentences, prepared.asserted), possible=possible
        ),
        focus,
    )


def _possibility(score: float) -> float:
    """How much of a mistake a red flag matched this well counts as (1 from RED_FLAG_AT up)."""
    return min(1.0, max(0.0, (score - RED_FLAG_POSSIBLE_AT) / (RED_FLAG_AT - RED_FLAG_POSSIBLE_AT)))


def find_mistakes(
    red_flags: Sequence[str], key_points: Sequence[str], reference: str, answer: str, question: str
) -> Mistakes:
    """Return the mistakes an answer makes (see `judge`)."""
    return judge(key_points, red_flags, reference, answer, question).mistakes


def _denied(
    answer: _Sentences, asserted: frozenset[str]
) -> tuple[frozenset[str], tuple[str, tuple[str, ...]]]:
    """The stems the answer denies of what a careful answer does (the reference's and key
    points' uncommon words, and the steps of due diligence), and the sentence denying most."""
    denied = frozenset(stem(w) for w in frozenset().union(*answer.dismissed)) & asserted
    most: tuple[str, tuple[str, ...]] = ("", ())
    if denied:
        for text, dismissed in zip(answer.texts, answer.dismissed, strict=True):
            content = set(content_tokens(text))
            hits = tuple(dict.fromkeys(w for w in dismissed if w in content and stem(w) in denied))
            if len(hits) > len(most[1]):
                most = (text, hits)
    return denied, most


@lru_cache(maxsize=1)
def _diligence_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in DUE_DILIGENCE)
