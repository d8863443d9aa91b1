"""Surface signals in an answer: hedges, fillers, reasons, STAR shape and concrete detail."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai.local import polarity
from ai.text import STOP_WORDS, find_occurrences, normalise, sentences, tokens, word_set

HEDGES: tuple[str, ...] = (
    "i think", "i guess", "i suppose", "i believe", "i feel like", "maybe", "perhaps",
    "probably", "possibly", "kind of", "sort of", "i'm not sure", "not sure", "not really sure",
    "i'm not certain", "might be", "could be", "somewhat", "more or less", "i'd say", "hopefully",
    "i don't know", "i dont know", "not really", "or something", "something like that",
    "i would try", "try something", "i'm not an expert", "if i remember correctly",
)  # fmt: skip
FILLERS: tuple[str, ...] = (
    "um", "umm", "uh", "uhh", "erm", "er", "hmm", "you know", "i mean", "basically",
    "literally", "so yeah", "and stuff", "or whatever",
)  # fmt: skip
# Phrases of giving up; an answer made mostly of these is a non-answer.
GIVE_UP: tuple[str, ...] = (
    "i don't know", "i dont know", "i do not know", "no idea", "not sure", "i can't remember",
    "i don't remember", "i dont remember", "i have no experience", "i've never", "never done",
    "i'd have to look it up", "i would have to look it up", "i'd have to google",
    "can't think of", "cannot think of", "no clue", "i'm not really sure", "don't really know",
    "really don't know", "don't really remember", "not familiar with", "haven't come across",
)  # fmt: skip
# The steps of due diligence: checking, asking, telling, recording. An answer that denies them
# ("I didn't bother checking", "without telling him") is careless, whatever the question.
DUE_DILIGENCE = word_set(
    """
    check checks checked checking verify verified measure measured measuring test tested testing
    ask asked asking tell told telling consult consulted review reviewed reviewing confirm
    confirmed escalate escalated document documented record recorded report reported raise raised
    rerun screen screened investigate investigated pilot piloted inform informed involve involved
    listen listened plan planned baseline monitor monitored validate validated reproduce
    reproduced analyse analysed analyze analyzed assess assessed discuss discussed explain
    explained apologise apologised apologize apologized disclose disclosed flag flagged
    sensitivity sensitivities research compare compared benchmark prototype interview survey
    feedback consent permission approval audit reconcile reconciled trace traced calculate
    calculated estimate estimated double-check
    """
)
# Phrases that wave away care, rules or other people: "a waste of time", "that's their fault",
# "I didn't see any point asking", "post-mortems just give people excuses". Matched in lower case.
DISMISSIVE = re.compile(
    r"\b(?:"
    r"waste of (?:time|effort)|slows? (?:you|us|me|people|everyone|things|the team|\w+s) down|"
    r"gets? in the way|doesn'?t (?:really )?matter|"
    r"does not matter|overkill|overrated|box[- ]ticking|red tape|pointless|not my problem|"
    r"(?:their|his|her|the \w+'s) fault|resistance to change|look(?:s|ing)? (?:weak|bad)|"
    r"makes? excuses|give \w+ (?:an )?excuses?|perfectly (?:fine|acceptable|safe)|no need|"
    r"not (?:needed|necessary|worth (?:the (?:time|effort|bother)|bothering|doing))|unnecessary|"
    r"(?:don'?t|didn'?t|wouldn'?t|never) bother|"
    r"nobody needs|no one needs|just ignore|keep (?:it|that|this) (?:quiet|to myself)|"
    r"(?:fix|fixed|change|changed|correct|corrected|edit|edited|delete|deleted|drop|dropped)"
    r" (?:it |them |the \w+ )?quietly|quietly (?:fix|fixed|change|changed|correct|corrected|"
    r"edit|edited|delete|deleted|drop|dropped)|"
    r"kept (?:it|that|this) (?:quiet|to myself)|"
    r"(?:don'?t|didn'?t|do not|did not|never) see (?:much|any|the) (?:value|point)|"
    r"(?:doesn'?t|didn'?t) worry me|nothing to worry about|st(?:oo|a)nd firm|"
    r"(?:mostly|purely) academic|only really (?:needed|matters)|can wait|regardless of|"
    r"(?:make|making) a fuss|far too slow|just (?:create|creates|give|gives|add|adds) (?:\w+ )?"
    r"(?:work|excuses|noise|paperwork)|cut(?:ting)? corners"
    r")\b"
)


def dismissals(text: str) -> list[str]:
    """The DISMISSIVE phrases the text says, not those it denies ("rather than quietly...")."""
    found = []
    for sentence in sentences(text):
        lowered = normalise(sentence)
        denied = polarity.denied(sentence)
        for match in DISMISSIVE.finditer(lowered):
            words = tokens(match.group(0))
            if words and words[-1] in denied and words[0] not in polarity.NEGATORS:
                continue
            found.append(match.group(0))
    return found


# Explaining why ("because") and weighing alternatives ("instead") both show depth.
WHY: tuple[str, ...] = (
    "because", "so that", "in order to", "which means", "that means", "that way", "therefore",
    "as a result", "the reason", "since", "so it", "so the", "so we", "so i", "which is why",
    "that's why",
)  # fmt: skip
ALTERNATIVES: tuple[str, ...] = (
    "trade-off", "tradeoff", "however", "instead", "rather than", "the downside", "downside",
    "depends on", "it depends", "on the other hand", "whereas", "otherwise", "unless", "the risk",
    "at the cost of", "the cost",
)  # fmt: skip
REASONS: tuple[str, ...] = WHY + ALTERNATIVES
TRADE_OFFS: tuple[str, ...] = (
    "trade-off", "tradeoff", "downside", "on the other hand", "pros and cons",
    "at the cost of", "depends on", "it depends", "the risk", "the cost", "versus", "balance",
    "rather than", "worth it", "at the expense of",
)  # fmt: skip
CONNECTIVES: tuple[str, ...] = (
    "first", "firstly", "to start", "i'd start", "i would start", "then", "next", "after that",
    "second", "secondly", "third", "finally", "lastly", "in the end", "as a result", "so",
    "because", "for example", "for instance", "once", "meanwhile", "in parallel", "afterwards",
    "overall", "in short", "to sum up", "that meant", "which meant",
)  # fmt: skip
STAR_MARKERS: dict[str, tuple[str, ...]] = {
    "situation": (
        "when i was", "at my", "in my first year", "in my second year", "in my final year",
        "in my third year", "last year", "last summer", "last winter", "last month",
        "years ago", "during my", "in a project", "on a project", "we were", "our team",
        "there was", "i was working", "while working", "at the time", "in my last job",
        "in my previous", "on placement", "on a placement", "on my placement", "in my role",
    ),
    "task": (
        "i was responsible", "my role", "i needed to", "i had to", "my job was", "the goal was",
        "i was asked to", "we needed to", "we had to", "the task", "i was tasked",
        "my responsibility", "the challenge was", "the problem was", "the aim was",
        "i wanted to", "my goal", "our goal", "the deadline",
    ),
    "result": (
        "as a result", "in the end", "resulted in", "which meant", "the outcome", "we delivered",
        "went live", "reduced", "increased", "improved", "saved", "led to", "eventually",
        "ended up", "successfully", "on time", "the result", "we got", "we won", "we hit",
        "stabilised", "was resolved", "fixed it", "afterwards", "since then", "i learned",
        "i learnt", "what i took from", "the feedback was",
    ),
}  # fmt: skip
SENIORITY: dict[str, tuple[str, ...]] = {
    "discusses trade-offs": TRADE_OFFS,
    "mentions mentoring/ownership": (
        "mentor", "mentored", "mentoring", "coached", "coaching", "onboarded", "took ownership",
        "i owned", "i led", "led the", "i drove", "i championed", "i taught", "trained the",
        "accountable", "i ran the", "i set the direction", "delegated",
    ),
    "reflects on lessons": (
        "i learned", "i learnt", "lesson", "took from it", "in hindsight",
        "looking back", "now i always", "i now", "i'd do differently", "would do differently",
        "next time i", "from then on",
    ),
    "prevents recurrence": (
        "regression test", "so it can't", "so it cannot", "never happens again", "postmortem",
        "post-mortem", "root cause", "prevent", "guard against", "runbook", "checklist",
    ),
    "verifies with data": (
        "measure", "metric", "dashboard", "monitor", "confirm", "verify", "validated", "a/b test",
        "p95", "p99", "baseline", "benchmark",
    ),
    "involves stakeholders": (
        "stakeholder", "product manager", "leadership", "aligned with", "the client",
        "the customer", "the business", "other teams", "the team lead", "my manager",
    ),
}  # fmt: skip

# Past-tense verbs without "-ed" that narrate first-hand action; "was"/"had" narrate states.
_IRREGULAR_PAST = word_set(
    """
    built led made took wrote set ran spoke sent found gave got brought began chose drew drove
    kept left met paid put read said saw sold spent stood taught told thought understood went
    won rang did split shut cut caught dealt held sought bought fought flew grew knew rebuilt
    rewrote overcame undertook
    """
)
_NOT_ACTIONS = word_set("need used based called named supposed tired bored scared")
_FIRST_PERSON = re.compile(
    r"\b(?:i|we)\s+(?:(?:then|also|quickly|immediately|just|first)\s+)?([a-z]+)"
)
_NUMBER = re.compile(
    r"(?<![\w.])(?:[£$€]\s?)?\d+(?:[.,]\d+)*(?:\s?(?:%|percent|k|m|ms|x))?(?![\w])|"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|hundreds|thousand|thousands|million|millions|half|double|twice|"
    r"tripled|doubled|halved)\b"
)
# A number with a unit of impact: "72%", "3 seconds", "£40k", "200 users", "twice as fast".
_IMPACT = re.compile(
    r"(?:[£$€]\s?\d[\d,.]*\s?(?:k|m|bn|million)?|\b\d[\d,.]*\s?(?:%|percent|per cent|x\b|ms\b|"
    r"milliseconds|seconds|minutes|hours|days|weeks|months|times|users|customers|people|"
    r"patients|students|pupils|clients|requests|orders|rows|points|k\b|million)|"
    r"\b(?:doubled|tripled|halved|twice as)\b)"
)
# Acronyms and product-style names (SBAR, NEWS2, PostgreSQL, DevTools, 4AT, p95) in raw text.
_NAMED = re.compile(
    r"\b(?:[A-Z][A-Z0-9]{1,7}s?|[A-Z][a-z]+[A-Z][A-Za-z]+|\d+[A-Z]{1,4}|[a-z]\d{2})\b"
)
_NOT_NAMES = word_set("I OK AM PM UK US TV ID IT HR CEO CV")
# Common tools, technologies and standards, for transcripts that arrive in lower case.
TOOLS = word_set(
    """
    python java javascript typescript sql postgres postgresql mysql sqlite redis kafka rabbitmq
    docker kubernetes terraform aws gcp azure git github gitlab jira confluence react vue angular
    django flask node graphql rest grpc http https s3 lambda linux nginx spark airflow dbt
    snowflake bigquery redshift tableau looker excel powerpoint pandas numpy jupyter sklearn
    pytorch tensorflow figma salesforce hubspot datadog grafana prometheus sentry jenkins
    elasticsearch mongodb cassandra dynamodb cdn oauth jwt devtools lighthouse selenium cypress
    pytest junit postman slack trello asana notion miro sbar news2 ifrs gaap vba bloomberg
    moodle
    """
)


@dataclass(frozen=True)
class Signals:
    """What the surface of an answer shows, before any scoring."""

    words: int
    sentences: list[str]
    hedges: list[str]
    fillers: list[str]
    give_ups: list[str]
    reasons: list[str]
    connectives: list[str]
    star: dict[str, bool]
    numbers: int
    first_person_actions: int
    hypothetical_actions: int
    named_tools: list[str]
    time_place: int
    impact: list[str]
    seniority: list[str]
    # Phrases waving away care, rules or other people (DISMISSIVE), as said.
    dismissive: list[str]
    # The share of the words that are function words ("the", "because", "I"): about half in
    # spoken or written prose, a quarter or less in a list of buzzwords.
    function_share: float

    def rate(self, count: int) -> float:
        """Return a count per 100 words, treating short answers as 30 words long."""
        return 100 * count / max(self.words, 30)


def _filler_likes(text: str) -> int:
    """Count "like" used as a filler: set off by commas, or after "so" or "was" before a comma."""
    return len(re.findall(r"(?:^|[,.!?]\s*|\b(?:so|and|but|was|is|were)\s+)like\s*,", text)) + len(
        re.findall(r",\s*like\s+(?:um|uh|you know|i|we|it|so)\b", text)
    )


def _first_person_actions(text: str) -> tuple[int, int]:
    """Count first-person past actions ("I built") and hypothetical ones ("I'd check")."""
    past = 0
    for verb in _FIRST_PERSON.findall(text):
        if verb in _NOT_ACTIONS:
            continue
        if verb in _IRREGULAR_PAST or (verb.endswith("ed") and len(verb) > 4):
            past += 1
    hypothetical = len(re.findall(r"\b(?:i|we)(?:'d| would| will|'ll)\s+[a-z]+", text))
    return past, hypothetical


def named_tools(raw: str) -> list[str]:
    """Return the distinct tools, technologies and standards the answer names, as written."""
    found: dict[str, str] = {}
    for match in _NAMED.findall(raw):
        if match not in _NOT_NAMES:
            found.setdefault(match.lower(), match)
    for match in re.finditer(r"[A-Za-z0-9]+", raw):
        word = match.group()
        if word.lower() in TOOLS:
            found.setdefault(word.lower(), word)
    return list(found.values())


def signals(answer: str) -> Signals:
    """Read the hedges, fillers, reasons, structure and concrete detail of an answer."""
    text = normalise(answer)
    toks = tokens(text)
    fillers = find_occurrences(toks, FILLERS) + ["like"] * _filler_likes(text)
    past, hypothetical = _first_person_actions(text)
    star = {part: bool(find_occurrences(toks, markers)) for part, markers in STAR_MARKERS.items()}
    star["action"] = past + hypothetical > 0
    star = {k: star[k] for k in ("situation", "task", "action", "result")}
    return Signals(
        words=len(toks),
        sentences=sentences(answer),
        hedges=find_occurrences(toks, HEDGES),
        fillers=fillers,
        give_ups=find_occurrences(toks, GIVE_UP),
        reasons=find_occurrences(toks, REASONS),
        connectives=find_occurrences(toks, CONNECTIVES),
        star=star,
        numbers=len(_NUMBER.findall(text)),
        first_person_actions=past,
        hypothetical_actions=hypothetical,
        named_tools=named_tools(answer),
        # When and where it happened ("last year", "at my internship", "in 2023").
        time_place=len(find_occurrences(toks, STAR_MARKERS["situation"]))
        + len(re.findall(r"\b(?:19|20)\d\d\b", text)),
        impact=_IMPACT.findall(text),
        seniority=_seniority(toks, text),
        dismissive=dismissals(answer),
        function_share=sum(t in STOP_WORDS for t in toks) / len(toks) if toks else 0.0,
    )


def _seniority(toks: list[str], text: str) -> list[str]:
    """Return the seniority signals an answer shows, in a fixed order."""
    found = {name for name, phrases in SENIORITY.items() if find_occurrences(toks, phrases)}
    if _IMPACT.search(text):
        found.add("quantifies impact")
    names = list(SENIORITY)
    order = [names[0], "quantifies impact", *names[1:]]
    return [name for name in order if name in found]
