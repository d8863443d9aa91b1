"""The chat coach without a model: answers put together from the passages retrieval finds.

Every answer quotes curated material (a bank question's key points and red flags, a guide's
advice and tips, a skill's description) and names it, so that nothing is made up. A message about
something else is refused; an interview question the material does not cover is said to be
unknown rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai.base import ADVICE_WORDS, Advice, AdviceRequest
from ai.retrieval import Hit, Library, Passage
from ai.similarity import similarity
from ai.text import sentences, stem, tokens, word_set

# Words that make a message about interviews and careers, whatever the track.
TOPIC_WORDS = frozenset(
    stem(word)
    for word in word_set(
        """
    interview interviewer interviewing interviews answer answers answering question questions job
    jobs role roles career careers hire hiring hired recruiter recruitment employer employers
    application applying apply cv resume cover letter salary pay offer negotiate negotiation panel
    assessment star strength strengths weakness weaknesses nervous nerves anxious anxiety prepare
    preparing preparation practise practice practising feedback manager colleague colleagues skill
    skills experience behavioural competency technical coding system design case placement
    internship graduate promotion shortlisted rejection rejected follow-up yourself myself example
    story stories situation company organisation organization ask asking follow
    """
    )
)
# Words that frame a request rather than say what it is about ("what does a good answer to a
# question on X cover?"): they count for little in how much of it a passage accounts for.
FRAMING = frozenset(
    stem(word)
    for word in word_set(
        """
        good strong best answer answers answering question questions cover covers interview
        interviews interviewer say tell respond response handle look like talk tips advice help
        should would could
        """
    )
)
# A short message that leans on the one before it: "and for a teacher?", "what about salary?".
LEANING = re.compile(r"^\s*(and|also|what about|how about|what if|same|ok|okay)\b", re.IGNORECASE)
QUOTED = re.compile(r"[\"'\u2018\u201c]([^\"'\u2019\u201d]{8,})[\"'\u2019\u201d]")

# How much of a message a passage must account for (rarer words weighing more) to answer it.
KNOWN = 0.45
# A guide answers when its relative search score, the message's likeness to one of the ways
# students ask for it and a phrase of its said word for word add up to this.
GUIDE_KNOWN = 1.0
PHRASE_WEIGHT = 0.3
LIKE_ASKED = 0.6
# Less of the message than this, and the guide is not about it (words it never uses).
GUIDE_COVERAGE = 0.5
# Beyond this, a message with no interview word is still about the material ("STAR?").
CLEARLY_ABOUT = 0.6
# A bank question this alike to what the student quotes or asks is that question.
SAME_QUESTION = 0.55
SHOWN_POINTS = 4
# A track's question this close to a guide's subject illustrates the guide for that track.
TRACK_EXAMPLE = 0.25

OFF_TOPIC = (
    "I can only help you prepare for interviews, so I'll leave that one. Ask me how to answer a "
    "question you expect, what a good answer to a question covers, or how to tell a story with "
    "the STAR method."
)
UNKNOWN = (
    "I don't know that from Rehearse's material, and I would rather not guess. I can help with "
    "questions from the bank, the skills of each track, and methods such as STAR: try asking "
    "about a question you expect in your interview."
)


@dataclass(frozen=True)
class Grounding:
    """What a message is about: its track, whether it concerns interviews, the passages found."""

    query: str
    track: str | None
    on_topic: bool
    hits: list[Hit]


def ground(request: AdviceRequest) -> Grounding:
    """Find what the message is about, leaning on the student's previous message when it is a
    short follow-on ("and for a teacher?")."""
    message, library = request.message.strip(), request.library
    earlier = next((text for role, text in reversed(request.history) if role == "student"), "")
    query = message
    if earlier and (LEANING.match(message) or len(tokens(message)) <= 3):
        query = f"{earlier} {message}"
    track = library.track_of(message) or (library.track_of(earlier) if query != message else None)
    hits = library.search(query, track=track, limit=10, light=FRAMING)
    about = {stem(word) for word in tokens(query)} & TOPIC_WORDS
    on_topic = bool(about) or track is not None or bool(hits and hits[0].coverage >= CLEARLY_ABOUT)
    return Grounding(query, track, on_topic, hits)


def advise(request: AdviceRequest) -> Advice:
    """Answer from the material, refuse what is not about interviews, say when nothing fits."""
    grounding = ground(request)
    if not grounding.on_topic:
        return Advice(OFF_TOPIC, "off_topic")
    library, hits = request.library, grounding.hits
    asked = _quoted(request.message) or request.message
    questions = [hit for hit in hits if hit.passage.kind == "question"]
    same = max(questions, key=lambda hit: similarity(asked, hit.passage.title), default=None)
    if same and similarity(asked, same.passage.title) >= SAME_QUESTION:
        return _question(same.passage)
    guide = _guide_for(grounding, library, grounding.query)
    if guide:
        return _guide(guide, grounding, library)
    known = [
        hit.passage for hit in sorted(hits, key=lambda hit: -hit.coverage) if hit.coverage >= KNOWN
    ]
    # A question's points are more use than a skill's description: a question first.
    best = next((p for p in known if p.kind == "question"), known[0] if known else None)
    if best and best.kind == "question":
        return _question(best, closest=True)
    if best and best.kind == "skill":
        return _skill(best, library)
    if grounding.track and (about_track := library.passage(f"track:{grounding.track}")):
        return _track(about_track, library)
    return Advice(UNKNOWN, "unknown")


def _guide_for(grounding: Grounding, library: Library, message: str) -> Passage | None:
    """Return the guide the message asks for, if any: ranked by its search score (relative to the
    best passage's), how like one of the ways students ask for it the message is, and whether
    the message says one of its phrases ("tell me about yourself") word for word. A guide that
    is not the best passage found needs the likeness or the phrase to be chosen."""
    if not grounding.hits:
        return None
    top = grounding.hits[0]
    found = {hit.passage.key: hit.score / top.score for hit in grounding.hits}
    covered = {hit.passage.key: hit.coverage for hit in grounding.hits}
    said = {guide.key for guide, length in library.phrases_in(message, kind="guide") if length >= 2}
    best, best_score = None, 0.0
    for key in {key for key in found if key.startswith("guide:")} | said:
        guide = library.passage(key)
        assert guide is not None
        asked = max((similarity(message, ask) for ask in guide.asks), default=0.0)
        if key not in said and (
            covered.get(key, 0.0) < GUIDE_COVERAGE
            or (key != top.passage.key and asked < LIKE_ASKED)
        ):
            continue
        score = found.get(key, 0.0) + asked + (PHRASE_WEIGHT if key in said else 0.0)
        if score > best_score:
            best, best_score = guide, score
    return best if best_score >= GUIDE_KNOWN else None


def _question(question: Passage, *, closest: bool = False) -> Advice:
    opening = (
        f"The closest question in the bank is \u201c{question.title}\u201d A strong answer covers:"
        if closest
        else f"A strong answer to \u201c{question.title}\u201d covers:"
    )
    parts = [opening, *(f"- {point}" for point in question.points[:SHOWN_POINTS])]
    if question.avoid:
        parts.append(f"A panel marks down an answer that {_lower_first(question.avoid[0])}.")
    return Advice(fit(parts), "answer", (question.key,), question.practice)


def _guide(guide: Passage, grounding: Grounding, library: Library) -> Advice:
    parts = [guide.text, *(f"- {point}" for point in guide.points[:3])]
    if guide.avoid:
        parts.append(f"Avoid: {_lower_first(guide.avoid[0])}.")
    sources, practice = [guide.key], guide.practice
    track = grounding.track
    if track:
        # The same advice for the student's track: one of its own questions on the subject.
        about = " ".join([guide.title, *guide.keywords])
        local = library.search(about, kinds=("question",), track=track, limit=5)
        example = next(
            (
                hit.passage
                for hit in local
                if hit.passage.track == track and hit.coverage >= TRACK_EXAMPLE
            ),
            None,
        )
        name = library.track_names.get(track, track)
        about_track = library.passage(f"track:{track}")
        note = next(
            (
                s
                for s in sentences(about_track.text if about_track else "")
                if "interview" in s.lower()
            ),
            "",
        )
        if example and example.points:
            parts.insert(
                1,
                f"In {name} interviews, for example \u201c{example.title}\u201d, a strong answer "
                f"{_lower_first(example.points[0])}.",
            )
            sources.append(example.key)
            practice = example.practice
        elif about_track and note:
            parts.insert(1, f"For {name} roles: {note} Let your examples show that.")
            sources.append(about_track.key)
    return Advice(fit(parts), "answer", tuple(sources), practice)


def _skill(skill: Passage, library: Library) -> Advice:
    name = library.track_names.get(skill.track, skill.track)
    parts = [f"{skill.title} ({name}): {skill.text}".strip()]
    parts += [f"- {point}" for point in skill.points[:SHOWN_POINTS]]
    return Advice(fit(parts), "answer", (skill.key,), skill.practice)


def _track(track: Passage, library: Library) -> Advice:
    skills = [p.title for p in library.passages if p.kind == "skill" and p.track == track.track]
    parts = [track.text]
    if skills:
        parts.append("Its skills: " + "; ".join(skills) + ".")
    return Advice(fit(parts), "answer", (track.key,), None)


def fit(parts: list[str], words: int = ADVICE_WORDS) -> str:
    """Join the parts, one per line, dropping the later ones (and, for the first, its later
    sentences) that would take the text over `words` words."""
    kept: list[str] = []
    used = 0
    for part in parts:
        count = len(part.split())
        if used + count <= words:
            kept.append(part)
            used += count
        elif not kept:
            lead = ""
            for sentence in sentences(part):
                if len((lead + " " + sentence).split()) > words:
                    break
                lead = f"{lead} {sentence}".strip()
            kept.append(lead or " ".join(part.split()[:words]))
            used = len(kept[0].split())
    return "\n".join(kept)


def _quoted(message: str) -> str:
    found = QUOTED.search(message)
    return found.group(1).strip() if found else ""


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
