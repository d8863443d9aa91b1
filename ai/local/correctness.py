"""Technical correctness of an answer against a reference answer, from a few features.

The score predicts a 0-5 human grade as a linear function of three lexical features, and a fourth
when a sentence-embedding method is in use (weights fitted on the ASAG development set), divided
by 5 and bent smoothly into 0..1:

- recall: the square root of the share of the reference's content words that the answer uses,
  matched by stem or by spelling (character trigrams), after dropping words that are already in
  the question, because students and candidates parrot the question without understanding it;
- topicality: the share of the answer's content words that occur in the question or the
  reference, which rewards staying on the subject and paraphrases that reuse the question's terms;
- length: the log of the number of content words, capped, because human graders give more credit
  to answers that explain than to bare phrases, with diminishing returns;
- meaning (embeddings only): how close the answer comes to the reference in meaning, which credits
  a paraphrase in other words that the lexical features miss.

The square root reflects how graders mark: covering a third of the reference's wording usually
earns most of the credit (grades rise steeply at first and then flatten).

An answer as good as the reference scores about 1. A genuine attempt that shares no words with the
reference still gets the intercept (about 0.54), because graders credit paraphrases a lexical
score cannot see; refusals ("I don't know", "not answered") score 0, and long answers that barely
touch the question or reference are shrunk towards 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ai import semantic
from ai.local.matching import Bag, Index, soft_recall
from ai.text import content_tokens, is_common, normalise, tokens

# Fitted by least squares of the human grade (0-5) on [1, recall, topicality, length] over the
# 1,068 answered items of ../shared/data/asag-dev.jsonl (non-answers excluded, they score 0);
# reproduce with `manage.py calibrate_evaluator ../shared/data/asag-dev.jsonl --fit`.
# Order: intercept, recall, topicality, length. The intercept is the credit graders give any
# genuine attempt (a lexical score cannot tell a paraphrase from a wrong answer, so it should not
# give a genuine attempt 0); off-topic answers and refusals do not get it.
FITTED_WEIGHTS: tuple[float, float, float, float] = (2.70, 1.43, 0.55, 0.26)
# The same fit with the meaning feature of the local model appended (`--similarity local --fit`).
# Provider embeddings use them too, read through their own levels (`semantic.Method.closeness`).
MEANING_WEIGHTS: tuple[float, float, float, float, float] = (2.78, 1.24, 0.29, 0.17, 0.65)
# The scale of the human grades the weights were fitted to.
GRADE_SCALE = 5.0
# Predicted grade fractions above this bend towards 1 instead of being cut off at 1.
SOFT_CLIP_FROM = 0.9
# Answers longer than this many content words get no more credit for length.
LENGTH_CAP = 15
# A long answer that shares less than this with the question and reference is off the subject.
# The bar scales with the size of the reference's vocabulary, because a long reference offers an
# on-topic answer many words to reuse while a one-line reference (as in ASAG) offers almost none;
# below OFF_TOPIC_MIN_CONTEXT words there is too little to judge, so nothing is off-topic.
# With the bank's ~90-word references, genuine answers reach 0.25-0.6, answers to other questions
# 0.05-0.15 (0.22 at most) and a holiday story 0.16 at most.
OFF_TOPIC_RELEVANCE = 0.2
OFF_TOPIC_MIN_CONTEXT = 20
OFF_TOPIC_FULL_CONTEXT = 60
OFF_TOPIC_MIN_WORDS = 20
COMMON_WEIGHT = 0.3
# With key points, the technical score is half reference overlap and half key-point coverage.
KEY_POINT_SHARE = 0.5

# A whole answer that says nothing: ASAG marks skipped questions "not answered", and candidates
# say "I don't know" or "pass". Matched against the whole answer, not a phrase inside it.
_NON_ANSWER = re.compile(
    r"^\W*(?:(?:sorry|um+|uh+|hmm+|well|honestly)\W+)*"
    r"(?:not answered|no answer|none given|i (?:really )?(?:do not|don't|dont) know"
    r"(?: the answer)?|i have no idea|no idea|not sure|i'm not sure|i am not sure|idk|n/?a|"
    r"pass|skip|no comment|nothing|i can't answer(?: that)?|i cannot answer(?: that)?)"
    r"(?:\W+(?:sorry|um+|uh+|honestly))*\W*$"
)


@dataclass(frozen=True)
class Features:
    """The features of one answer that the correctness score combines."""

    recall: float
    topicality: float
    # Topicality with very common words ("year", "people") weighing little, for spotting rambles:
    # two long narratives share those words whatever they are about.
    specific_topicality: float
    length: float
    content_words: int
    context_words: int
    non_answer: bool
    # How close the answer comes to the reference in meaning, 0..1; None without embeddings.
    meaning: float | None = None

    def relevance(self) -> float:
        """Return how much the answer engages with the question and reference, 0..1."""
        return max(self.recall**2, self.specific_topicality)

    def off_topic_bar(self) -> float:
        """Return the relevance below which this answer, if long, is off the subject."""
        ramp = (self.context_words - OFF_TOPIC_MIN_CONTEXT) / (
            OFF_TOPIC_FULL_CONTEXT - OFF_TOPIC_MIN_CONTEXT
        )
        return OFF_TOPIC_RELEVANCE * min(1.0, max(0.0, ramp))

    def is_off_topic(self) -> bool:
        """Tell whether a substantial answer barely touches the question or reference."""
        return (
            not self.non_answer
            and self.content_words >= OFF_TOPIC_MIN_WORDS
            and self.relevance() < self.off_topic_bar()
        )

    def vector(self) -> tuple[float, ...]:
        """Return the features in the order of their weights, with 1 for the intercept."""
        lexical = (1.0, self.recall, self.topicality, self.length)
        return lexical if self.meaning is None else (*lexical, self.meaning)

    def weights(self) -> tuple[float, ...]:
        """Return the fitted weights of these features."""
        return FITTED_WEIGHTS if self.meaning is None else MEANING_WEIGHTS


def is_non_answer(answer: str) -> bool:
    """Tell whether the whole answer is empty or a refusal such as "I don't know"."""
    text = normalise(answer).strip()
    # Only stop words is still an answer ("one", "both"), so emptiness means no words at all.
    return not tokens(text) or bool(_NON_ANSWER.match(text))


def _specific_weight(word: str) -> float:
    """Return a word's weight when judging topicality: low for very common words."""
    return COMMON_WEIGHT if is_common(word) else 1.0


@lru_cache(maxsize=512)
def _context_index(reference: str, question: str) -> Index:
    """Index the reference's and question's words, cached as one question gets many answers."""
    return Index(Bag.of(reference) + Bag.of(question))


def features(question: str, reference: str, answer: str) -> Features:
    """Compute the correctness features of an answer against the question and reference."""
    question_bag = Bag.of(question)
    answer_index = Index.of(answer)
    # Words the question already gives away say nothing about understanding; fall back to the
    # whole reference when it only restates the question.
    demoted = Bag.of(reference, exclude_stems=question_bag.stems) or Bag.of(reference)
    recall = math.sqrt(soft_recall(demoted, answer_index))
    context = _context_index(reference, question)
    topicality = soft_recall(answer_index.bag, context)
    specific = soft_recall(answer_index.bag, context, weight=_specific_weight)
    words = len(content_tokens(answer))
    meaning = semantic.closest(answer, [reference])
    return Features(
        recall=recall,
        topicality=topicality,
        specific_topicality=specific,
        length=math.log1p(min(words, LENGTH_CAP)),
        content_words=words,
        context_words=len(context.bag),
        non_answer=is_non_answer(answer),
        meaning=None if meaning is None else meaning[1],
    )


def reference_score(feats: Features, weights: Sequence[float] | None = None) -> float:
    """Return the 0..1 score of the features against the reference alone."""
    if feats.non_answer:
        return 0.0
    if weights is None:
        weights = feats.weights()
    # The weights predict a 0-5 grade; answers as good as the reference predict above 5.
    predicted = sum(w * x for w, x in zip(weights, feats.vector(), strict=True))
    score = _soft_clip(predicted / GRADE_SCALE)
    # Length must not buy credit: a long answer that shares almost nothing with the question or
    # reference is a ramble, so its score shrinks steeply with how little it engages.
    if feats.is_off_topic():
        score *= (feats.relevance() / feats.off_topic_bar()) ** 2
    return max(0.0, score)


def _soft_clip(value: float) -> float:
    """Map a predicted grade fraction into 0..1, bending smoothly towards 1 above SOFT_CLIP_FROM."""
    # A hard clip at 1 would tie the best answers; bending keeps their order (and 0.01 of r).
    if value <= SOFT_CLIP_FROM:
        return max(0.0, value)
    room = 1.0 - SOFT_CLIP_FROM
    return SOFT_CLIP_FROM + room * (1.0 - math.exp(-(value - SOFT_CLIP_FROM) / room))


def combine(reference_part: float, key_point_scores: Sequence[float]) -> float:
    """Blend the reference score with the mean key-point coverage, when there are key points."""
    if not key_point_scores:
        return reference_part
    coverage = sum(key_point_scores) / len(key_point_scores)
    return (1 - KEY_POINT_SHARE) * reference_part + KEY_POINT_SHARE * coverage
