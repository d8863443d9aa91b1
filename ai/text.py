"""Text helpers: tokens, stop words, stems, sentences, phrase search, and the folding the bank's
duplicate check and the question picker compare texts by."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer

# Words and numbers; an inner apostrophe keeps contractions ("don't") whole, so phrases such as
# "i don't know" match, and an inner dot keeps decimals ("3.5") as one token.
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+|\.[0-9]+)*")
# A sentence ends at . ! ? followed by space, or at a line break; not after "e.g." or "i.e.".
_SENTENCE_END = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?])\s+|\n+", re.IGNORECASE)


_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+", re.UNICODE)


def normalize_text(text: str) -> str:
    """Return text folded for comparison: lower case, no accents, punctuation or extra spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_LETTERS_AND_DIGITS.findall(folded))


def word_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a literal word list as a set."""
    return frozenset(text.split())


# A small general-English stop list: function words carry no subject matter, so matching them
# against a reference would only reward fluent padding.
STOP_WORDS: frozenset[str] = word_set(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each either else etc even ever every few for from further
    get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it
    it's its itself just let's may me might more most much must mustn't my myself neither no nor
    not now of off often on once one only or other ought our ours ourselves out over own per
    quite rather really same shall shan't she she'd she'll she's should shouldn't since so some
    such than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've this those though through thus to too under until up upon us very
    via was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    whether which while who who's whom whose why why's will with within without won't would
    wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    """
)

# Very frequent general-English content words ("make", "time", "people", "two"). They are not
# stop words, but two long texts share many of them by chance, so matchers that compare long
# texts give them little weight.
COMMON_WORDS: frozenset[str] = word_set(
    """
    able accept across act actually add ago agree allow almost along already always another
    answer anyone anything anyway appear approach area around ask away back bad base basic
    become begin believe best better big bit bring build call came care carry case cause
    certain chance change check choose clear close come common complete consider continue
    could course create current day deal decide different do done during each early easy else
    end enough even example expect experience explain fact fair fall far feel few fine find
    first follow form full general get give go good great group grow happen hard help high
    hold home hope idea important include involve keep kind know large last late later lead
    learn least leave less level life light like likely line little live long look lose lot
    low main major make many matter mean meet might mind moment move much need never new next
    nice normal note nothing notice number offer often old open order others part particular
    pass past people person place plan play point possible pretty probably problem provide put
    question quick quickly quite rather reach read ready real really reason remember result
    right run said same saw say see seem sense set several show side simple since small
    something sometimes soon sort specific start state still stop sure take talk tell term
    thing think thought time today together told took top toward tried true try turn type
    understand usually use used using want way week well went whole work world worth year yes
    two three four five six seven eight nine ten hundred thousand million
    """
)

_STEMMER = snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    """Return the text in lower case with curly apostrophes straightened."""
    return text.lower().replace("\u2019", "'")


def tokens(text: str) -> list[str]:
    """Split text into lower-case word and number tokens."""
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the English Snowball stem of one lower-case word."""
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    """Return the stems of COMMON_WORDS."""
    return frozenset(stem(w) for w in COMMON_WORDS)


def is_common(word: str) -> bool:
    """Tell whether a word is a very frequent general-English word, by stem."""
    return stem(word) in _common_stems()


def content_tokens(text: str) -> list[str]:
    """Return the tokens of text that are not stop words."""
    return [t for t in tokens(text) if t not in STOP_WORDS]


def sentences(text: str) -> list[str]:
    """Split text into trimmed, non-empty sentences."""
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p and p.strip()]


@lru_cache(maxsize=65536)
def char_ngrams(word: str, n: int = 3) -> frozenset[str]:
    """Return the character n-grams of a word padded with boundary marks."""
    padded = f"<{word}>"
    if len(padded) <= n:
        return frozenset({padded})
    return frozenset(padded[i : i + n] for i in range(len(padded) - n + 1))


def dice(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    """Return the Dice coefficient of two sets, 0 when both are empty."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@lru_cache(maxsize=512)
def _phrase_table(phrases: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Return the phrases as token tuples, longest first, tokenised once per phrase list."""
    table = {tuple(tokens(p)): p for p in phrases}
    return tuple(sorted(((k, v) for k, v in table.items() if k), key=lambda kv: -len(kv[0])))


def find_occurrences(text_tokens: Sequence[str], phrases: Iterable[str]) -> list[str]:
    """Return each whole-word occurrence of the phrases, longest first, never overlapping."""
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(text_tokens):
        positions.setdefault(token, []).append(i)
    # "i'm not sure" must not also count as "not sure", so a matched token is used up.
    used: set[int] = set()
    found: list[tuple[int, str]] = []
    for target, phrase in _phrase_table(tuple(phrases)):
        n = len(target)
        for i in positions.get(target[0], ()):
            span = range(i, i + n)
            if tuple(text_tokens[i : i + n]) == target and used.isdisjoint(span):
                used.update(span)
                found.append((i, phrase))
    return [phrase for _, phrase in sorted(found)]
