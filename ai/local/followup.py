"""Decide what the interviewer does after an answer, and word the follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ai.rubric import Scores
from ai.similarity import similarity

MAX_FOLLOWUPS = 2
STRONG = 7.5  # overall at or above: raise the difficulty
WEAK = 5.0  # overall below: lower the difficulty
FOLLOWUP_BELOW = 6.0  # overall below: the answer is thin enough to follow up
BEHAVIOURAL_TYPES = {"behavioural", "situational"}

# How a follow-up of each kind opens; an interview uses each opening once before repeating any.
OPENERS = {
    "probe": (
        "Let's go one level deeper.",
        "I'd like to dig into that a bit.",
        "Tell me more about that.",
        "Let's stay on that for a moment.",
    ),
    "example": (
        "Can you make that concrete?",
        "Let's ground that in something real.",
        "I'd like to hear how that played out in practice.",
        "Could you give me a specific case?",
    ),
    "clarify": (
        "Let me make sure I follow.",
        "I want to be sure I understood you.",
        "Help me pin that down.",
        "Just so I'm clear.",
    ),
    "challenge": (
        "Let me push back a little.",
        "Let me play devil's advocate.",
        "Not everyone would agree with that.",
        "Let me test that a bit.",
    ),
}
# After "I don't know" there is nothing to go deeper into: another way in, once.
GAVE_UP_OPENERS = (
    "Let's come at it from another angle.",
    "Let's try it a different way.",
    "That's fine, let's approach it differently.",
)
# Words that mark a bank follow-up prompt as suited to each type.
CUES = {
    "probe": ("why", "how", "deeper", "trade", "detail", "what would"),
    "example": ("example", "time", "specific", "tell me about", "walk me", "real", "last"),
    "clarify": ("mean", "clarify", "exactly", "which", "what do you"),
    "challenge": ("what if", "instead", "alternative", "disagree", "wrong", "downside", "risk"),
}
FALLBACKS = {
    "probe": "What would you check first, and why that before anything else?",
    "example": (
        "Can you give me a specific example from your own experience: what you did, and what "
        "happened as a result?"
    ),
    "clarify": (
        "Could you put your main point in a sentence or two, and say what you would do first?"
    ),
    "challenge": (
        "Some would argue for the opposite approach. What are the downsides of yours, and when "
        "would you choose something else?"
    ),
}


@dataclass(frozen=True)
class FollowUpNeed:
    needed: bool
    type: str = ""
    reason: str = ""
    # The candidate gave up ("I don't know"): one more way in, then the next question.
    once: bool = False


def needs_followup(
    scores: Scores, *, red_flags: Sequence[str], missing: Sequence[str], question_type: str
) -> FollowUpNeed:
    """Return whether an answer is thin enough to follow up, with which kind and why."""
    if "empty" in red_flags:
        return FollowUpNeed(False, reason="No answer was given.")
    if "dont_know" in red_flags:
        return FollowUpNeed(
            True, "probe", "The candidate did not know; try another angle once.", once=True
        )
    if "off_topic" in red_flags:
        return FollowUpNeed(True, "clarify", "The answer drifted away from the question.")
    if scores.overall() >= FOLLOWUP_BELOW and len(missing) <= 1:
        return FollowUpNeed(False, reason="The answer covered the question well.")
    if (question_type in BEHAVIOURAL_TYPES and scores.experience < 5) or scores.experience < 3:
        return FollowUpNeed(True, "example", "Nothing concrete from the candidate's experience.")
    if scores.clarity < 4.5 or scores.confidence < 4:
        return FollowUpNeed(True, "clarify", "The answer was vague or hard to follow.")
    if scores.confidence >= 7 and scores.depth < 5.5:
        return FollowUpNeed(True, "challenge", "Confident but one-sided: no trade-offs weighed.")
    return FollowUpNeed(True, "probe", "Shallow: key points missing or no reasons given.")


@dataclass(frozen=True)
class Decision:
    action: str  # "followup" | "next" | "end"
    followup_type: str = ""
    difficulty: int = 5


def decide(
    *,
    need: FollowUpNeed,
    question_score: float,
    last_score: float | None = None,
    followups_asked: int,
    core_asked: int,
    total: int,
    difficulty: int,
    end_requested: bool,
) -> Decision:
    """Return the next step: a follow-up, the next core question (at a new difficulty), or the end.

    `question_score` is the core question's score so far (its answer and any follow-ups), and
    `last_score` its last answer's: the difficulty never drops straight after a strong answer,
    nor rises straight after a weak one.
    """
    last = question_score if last_score is None else last_score
    if end_requested:
        return Decision("end", difficulty=difficulty)
    if need.needed and followups_asked < (1 if need.once else MAX_FOLLOWUPS):
        return Decision("followup", need.type, difficulty)
    if core_asked >= total:
        return Decision("end", difficulty=difficulty)
    if question_score >= STRONG and last >= WEAK:
        difficulty = min(10, difficulty + 1)
    elif question_score < WEAK and last < STRONG:
        difficulty = max(1, difficulty - 1)
    return Decision("next", difficulty=difficulty)


def write_followup(
    followup_type: str,
    *,
    prompts: Sequence[str],
    used: Sequence[str],
    missing: Sequence[str],
    gave_up: bool = False,
    earlier: Sequence[str] = (),
) -> str:
    """Return the follow-up: the bank's best-suited unused prompt, aimed at what was missed;
    without one, a question about a missed point not raised yet, or a general one not asked yet.
    `gave_up`: the last answer was "I don't know", so it is not introduced as going deeper.
    `earlier`: the follow-ups asked before in the interview, whose openings are not reused until
    every one of the kind has been."""
    unused = [p for p in prompts if not any(p in asked for asked in used)]
    raised = " ".join(used).lower()
    fresh = [p for p in missing if _lowered(p).lower() not in raised]

    def fit(prompt: str) -> float:
        lowered = prompt.lower()
        cue = any(word in lowered for word in CUES[followup_type])
        aim = max((similarity(prompt, point) for point in missing), default=0.0)
        return aim + (0.5 if cue else 0.0)

    if unused:
        body = max(unused, key=fit)
    elif fresh and followup_type in ("probe", "challenge"):
        body = f"You haven't touched on this yet: {_lowered(fresh[0])}. How would it fit in?"
    else:
        # The type's own general question, else another type's not asked yet.
        general = [FALLBACKS[followup_type], *FALLBACKS.values()]
        body = next((g for g in general if g.lower() not in raised), general[0])
    return f"{_opener(GAVE_UP_OPENERS if gave_up else OPENERS[followup_type], earlier)} {body}"


def _opener(openers: Sequence[str], earlier: Sequence[str]) -> str:
    """The first opening not used yet in the interview, else the least recently used."""
    fresh = [o for o in openers if not any(asked.startswith(o) for asked in earlier)]
    if fresh:
        return fresh[0]
    last_used = {o: max(i for i, a in enumerate(earlier) if a.startswith(o)) for o in openers}
    return min(openers, key=lambda o: last_used[o])


def _lowered(point: str) -> str:
    point = point.rstrip(".")
    return point[:1].lower() + point[1:]
