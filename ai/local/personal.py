"""Questions about the candidate's own resume, written by the local engine from templates.

A behavioural question asks about something they did (a role's deed in their own words becomes
the story to tell) or is set in one of their roles or projects; a technical question names the
tools they claim that the bank question probes. Without a resume, the bank's question as it is.
"""

from __future__ import annotations

import re

from ai.base import QuestionBrief, WrittenQuestion

# What a strong story about their own work covers: the evaluator checks the answer against these.
# Worded as such stories are told (matched word by word by the local evaluator); the first names the
# work itself ("the migration of the billing service ...").
STORY_KEY_POINTS = (
    "Why {work} mattered, and their own role in it",
    "Says specifically what went wrong or was hardest",
    "What they did themselves to fix the problem, and why",
    "The result, with a number: what changed in time, errors, cost or downtime",
    "Says what they learned or would do differently next time",
)
# The mistakes a panel rejects in such a story.
STORY_RED_FLAGS = (
    "Says everything went smoothly and nothing went wrong",
    "Takes sole credit for work the team did together",
    "Blames colleagues or the client for what went wrong",
    "Says they kept the problem from their manager until it was fixed",
)
STORY_REFERENCE = (
    "A strong answer tells, in order, the story of how the candidate {deed}{where}. It sets the "
    "scene in a sentence or two: what the work was for, who was involved and what the candidate "
    "was responsible for. It names one real problem, such as a deadline at risk, a bug, a "
    "disagreement or a wrong assumption, rather than saying everything went smoothly. It "
    "describes what the candidate did themselves, step by step and why, and gives the result "
    "with a number or a concrete outcome. It ends with what they learned or would do differently."
)


def write(brief: QuestionBrief) -> WrittenQuestion:
    """Return the bank question made about the candidate, when their resume gives the means."""
    anchor = brief.anchor
    if brief.question_type == "behavioural" and anchor is not None:
        if anchor.deed:
            text = (
                f"Your resume says you {anchor.deed}{anchor.where}. Tell me about that: what "
                "went wrong along the way, and what did you do about it?"
            )
            reference = STORY_REFERENCE.format(deed=anchor.deed, where=anchor.where)
            work = anchor.deed.split(" ", 1)[-1]  # "led the migration of ..." -> "the migration..."
            points = tuple(point.format(work=work) for point in STORY_KEY_POINTS)
            return WrittenQuestion(text, reference, points, STORY_RED_FLAGS)
        return WrittenQuestion(f"Thinking of {anchor.label}: {_lower_first(brief.bank_question)}")
    named = _named(brief)
    if named:
        return WrittenQuestion(
            f"You list {and_join(named[:3])} on your resume. {brief.bank_question}"
        )
    return WrittenQuestion(brief.bank_question)


def _named(brief: QuestionBrief) -> list[str]:
    """The claims the question is about: those its question or reference names, else (for a
    technical question) every claim on its skill."""
    if brief.question_type == "behavioural":
        return []
    about = f"{brief.bank_question} {brief.bank_reference}"
    named = [
        c
        for c in brief.claimed
        if re.search(rf"(?<![\w+#]){re.escape(c)}(?![\w+#])", about, re.IGNORECASE)
    ]
    return named or (list(brief.claimed) if brief.question_type == "technical" else [])


def and_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _lower_first(text: str) -> str:
    """ "Tell me about…" -> "tell me about…", but never "I" or an acronym."""
    first = text.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first[1].isupper()):
        return text
    return text[:1].lower() + text[1:]
