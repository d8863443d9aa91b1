"""Whether a text asserts a thing or denies it: "I'd write a failing test first" makes the point
that "I wouldn't bother with a failing test" dismisses, with the same words.

Each word of a text is read as affirmed or denied. A negator ("not", "never", "without", "no
need to", "rather than", "skip") denies the words after it in its clause, for a few words or until
a word that starts a new clause ("but", "and", "because"); a dismissal after the fact ("is
overkill", "isn't needed", "a waste of time") denies the words before it in its clause. Two
negations cancel: "I never skip the tests" affirms the tests. Key points and red flags are read the
same way, so that "Escalates without waiting for the next observations" is matched by an answer
that escalates and does not wait, not by one that waits.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ai.text import normalise, tokens, word_set

# Deny what follows them.
NEGATORS = word_set(
    """
    not no never without nor neither none nobody nothing don't dont doesn't didn't won't wouldn't
    shouldn't can't cannot couldn't isn't aren't wasn't weren't haven't hasn't hadn't mustn't
    needn't shan't skip skips skipped skipping ignore ignores ignored ignoring bypass bypassed
    bypassing avoid avoided forgo forgot dismiss dismissed dismissing instead rather rarely seldom
    hardly barely
    """
)
# After "instead"/"rather": "instead of X", "rather than X" deny X; "rather"/"instead" alone do not.
_NEED_NEXT = {"instead": "of", "rather": "than"}
# Deny what comes before them in their clause: "a test here is overkill".
DISMISSALS = word_set("overkill unnecessary pointless needless optional redundant")
# A negator then one of these ("isn't needed", "not worth it") also denies what came before.
_NEEDED = word_set("needed necessary required worth important useful helpful essential")
# Start a new clause, ending a negator's reach.
CLAUSE_WORDS = word_set(
    """
    but and then so because which although though yet while whereas however instead otherwise
    once after before until unless when if
    """
)
SCOPE = 6  # words a negator reaches at most
_CLAUSES = re.compile(r"[,;:()\u2013\u2014]|\s-\s|[.!?](?:\s|$)")


@lru_cache(maxsize=4096)
def read(text: str) -> tuple[tuple[str, bool], ...]:
    """Return each word of the text with whether it is denied, in order."""
    read: list[tuple[str, bool]] = []
    for clause in _CLAUSES.split(normalise(text)):
        read.extend(_clause(tokens(clause)))
    return tuple(read)


def _clause(words: list[str]) -> list[tuple[str, bool]]:
    flips = [0] * len(words)
    for at, word in enumerate(words):
        following = words[at + 1] if at + 1 < len(words) else ""
        if word in _NEED_NEXT and following != _NEED_NEXT[word]:
            continue
        if word in NEGATORS:
            if following in _NEEDED:  # "a test isn't needed": what came before is denied
                _flip(flips, range(at))
            _flip(flips, _reach(words, at + 1))
        elif word in DISMISSALS:
            _flip(flips, range(at))
    return [(word, flips[at] % 2 == 1) for at, word in enumerate(words)]


def _reach(words: list[str], start: int) -> range:
    """The words a negator at start - 1 denies."""
    end = start
    while end < len(words) and end - start < SCOPE and words[end] not in CLAUSE_WORDS:
        end += 1
    return range(start, end)


def _flip(flips: list[int], where: range) -> None:
    for at in where:
        flips[at] += 1


def denied(text: str) -> frozenset[str]:
    """Return the words the text denies (see `read`)."""
    return frozenset(word for word, no in read(text) if no)


# A negation about someone else ("she hadn't signed it", "they didn't escalate") or an outcome
# ("nothing reached the patient") is not the candidate waving a step of their own away.
OTHERS = word_set("he she they he'd she'd they'd he's she's they're colleague")
_OUTCOMES = word_set("nothing nobody none neither")
# "I hadn't checked the register" sets the scene of a mistake the story goes on to tell; it is not
# the candidate saying the step does not matter.
_BACKGROUND = word_set("hadn't")
_SUBJECT_REACH = 3  # words before a negator that may hold its subject


def dismissed(text: str) -> frozenset[str]:
    """Return the words the text denies of the speaker's own practice: "I'd skip the tests" and
    "a test is overkill" dismiss the tests; "she hadn't signed the chart", "I hadn't checked"
    (the scene of a story) and "nothing reached the patient" dismiss nothing."""
    found: set[str] = set()
    for clause in _CLAUSES.split(normalise(text)):
        words = tokens(clause)
        for at, (word, no) in enumerate(_clause(words)):
            if no and _dismissed_by_speaker(words, at):
                found.add(word)
    return frozenset(found)


def _dismissed_by_speaker(words: list[str], at: int) -> bool:
    """Tell whether the negator that denies the word at `at` speaks of the speaker's practice."""
    for start in range(at - 1, max(-1, at - SCOPE - 1), -1):
        negator = words[start]
        if negator not in NEGATORS or at not in _reach(words, start + 1):
            continue
        previous = words[start - 1] if start else ""
        if negator in _BACKGROUND or negator in _OUTCOMES or (negator, previous) == ("not", "had"):
            return False
        return not any(w in OTHERS for w in words[max(0, start - _SUBJECT_REACH) : start])
    return True  # denied by a dismissal after the fact ("is overkill", "isn't needed")
