"""Plain-language strengths and gaps for the student, quoting their own words."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ai.local.coverage import PointMatch
from ai.local.matching import Bag, Index, soft_recall
from ai.local.signals import ALTERNATIVES, TRADE_OFFS, WHY, Signals
from ai.text import normalise, sentences

MAX_STRENGTHS = 5
QUOTE_WORDS = 14
# A reference sentence the answer echoes less than this is reported as missed (no key points).
SENTENCE_COVERED_AT = 0.4

# Verbs whose last consonant doubles before "-ing" although they have two syllables.
_DOUBLING = (
    "admit", "commit", "omit", "permit", "refer", "prefer", "occur", "control", "regret",
    "forget", "begin", "upset", "reset", "rerun", "outrun", "submit", "transmit", "embed",
)  # fmt: skip
_IRREGULAR_ING = {"is": "being", "has": "having", "does": "doing", "goes": "going"}
_VOWELS = "aeiou"


def quote(text: str, max_words: int = QUOTE_WORDS) -> str:
    """Return text trimmed to a few words, with an ellipsis when cut, for quoting back."""
    words = text.strip().split()
    clipped = " ".join(words[:max_words]).rstrip(",;:")
    return clipped + ("…" if len(words) > max_words else "")


def _gerund(verb: str) -> str:
    """Turn a third-person verb ("tries", "uses", "sets") into its -ing form."""
    lower = verb.lower()
    if lower in _IRREGULAR_ING:
        return _IRREGULAR_ING[lower]
    if lower.endswith("ies"):
        return lower[:-3] + "ying"
    base = lower[:-2] if lower.endswith(("sses", "shes", "ches", "xes", "zzes")) else lower[:-1]
    if base.endswith("ee") or base.endswith("ye"):
        return base + "ing"
    if base.endswith("e"):
        return base[:-1] + "ing"
    is_cvc = (
        len(base) >= 3
        and base[-1] not in _VOWELS + "wxy"
        and base[-2] in _VOWELS
        and base[-3] not in _VOWELS
    )
    # British spelling doubles a final l after a single vowel: "modelling", "labelling".
    british_l = base.endswith("l") and base[-2] in _VOWELS and base[-3] not in _VOWELS
    if base.endswith(_DOUBLING) or (len(base) <= 4 and is_cvc) or british_l:
        return base + base[-1] + "ing"
    return base + "ing"


def as_phrase(key_point: str) -> str:
    """Rephrase a rubric key point ("Tries to…") as a noun phrase ("trying to…")."""
    text = key_point.strip().rstrip(".")
    first, _, rest = text.partition(" ")
    punctuation = first[len(first.rstrip(",;:")) :]
    head, _, word = first.rstrip(",;:").rpartition("-")
    lower = word.lower()
    # Only third-person present verbs ("Uses", "Checks") become gerunds; "Used", "Quickly" stay.
    if lower in _IRREGULAR_ING or (lower.endswith("s") and not lower.endswith(("ss", "us", "is"))):
        word = _gerund(word)
        first = (f"{head}-{word}" if head else word) + punctuation
    phrase = f"{first} {rest}".strip()
    return phrase[:1].lower() + phrase[1:]


def _clause_from(answer_sentences: Sequence[str], phrases: Sequence[str]) -> str:
    """Return the first clause that starts at one of the phrases, for quoting."""
    for sentence in answer_sentences:
        lowered = normalise(sentence)
        for phrase in phrases:
            match = re.search(rf"\b{re.escape(phrase)}\b", lowered)
            if match:
                return quote(sentence[match.start() :])
    return ""


def _around(answer_sentences: Sequence[str], pattern: str, words: int = 6) -> str:
    """Return the words around the first occurrence of a pattern, quoted."""
    for sentence in answer_sentences:
        at = normalise(sentence).find(pattern) if pattern else -1
        if at >= 0:
            before = sentence[:at].split()[-words:]
            after = sentence[at:].split()[: words + 1]
            text = " ".join(before + after).strip(" ,;:")
            lead = "…" if len(sentence[:at].split()) > words else ""
            tail = "…" if len(sentence[at:].split()) > words + 1 else ""
            return f"{lead}{text}{tail}"
    return ""


def strengths(
    sig: Signals,
    points: Sequence[PointMatch],
    question_type: str,
    confident: bool,
    faulted: Collection[str] = (),
) -> list[str]:
    """Return what the answer did well, most important first, quoting the answer.

    Nothing is praised from a sentence that is `faulted` (it made a mistake).
    """
    found: list[str] = []
    sound = [s for s in sig.sentences if s not in faulted]
    covered = [p for p in points if p.covered and p.evidence not in faulted]
    for point in sorted(covered, key=lambda p: -p.score)[:2]:
        found.append(f'You covered {as_phrase(point.key_point)}: "{quote(point.evidence)}"')
    reason = _clause_from(sound, [r for r in WHY if r in sig.reasons])
    if reason:
        found.append(f'You explained why: "{reason}"')
    trade_off = _clause_from(sound, [t for t in TRADE_OFFS if t in sig.reasons])
    alternative = _clause_from(sound, [a for a in ALTERNATIVES if a in sig.reasons])
    if trade_off:
        found.append(f'You weighed a trade-off: "{trade_off}"')
    elif alternative:
        found.append(f'You considered the alternative: "{alternative}"')
    impact = next((_around(sound, i) for i in sig.impact if _around(sound, i)), "")
    if impact:
        found.append(f'You quantified it: "{impact}"')
    star_parts = [part for part, present in sig.star.items() if present]
    if question_type in ("behavioural", "situational") and len(star_parts) >= 3:
        parts = ", ".join(star_parts[:-1]) + " and " + star_parts[-1]
        found.append(f"Your story was easy to follow: it had a clear {parts}.")
    if sig.named_tools:
        found.append(f"You named specific tools and methods: {', '.join(sig.named_tools[:4])}.")
    if confident and not sig.hedges and sig.words >= 40 and not faulted:
        found.append("You spoke in clear, committed statements without hedging.")
    return found[:MAX_STRENGTHS]


def missing(points: Sequence[PointMatch], reference: str, answer: str, question: str) -> list[str]:
    """Return the key points the answer missed, or the reference's missed content if none given."""
    if points:
        return [f"Missed: {as_phrase(p.key_point)}" for p in points if not p.covered]
    question_stems = Bag.of(question).stems
    answer_index = Index.of(answer)
    parts = [(part, Bag.of(part, exclude_stems=question_stems)) for part in sentences(reference)]
    if len(parts) > 1:
        return [
            f'Missed: "{quote(part, 20)}"'
            for part, bag in parts
            if bag and soft_recall(bag, answer_index) < SENTENCE_COVERED_AT
        ]
    bag = Bag.of(reference, exclude_stems=question_stems) or Bag.of(reference)
    absent = [w for w in bag.words if answer_index.best(w) == 0]
    if not absent:
        return []
    return ["Missed: the reference answer also mentions " + ", ".join(f'"{w}"' for w in absent[:5])]
