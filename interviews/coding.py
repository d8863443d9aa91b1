"""A coding interview: one problem, asked in six steps (Understand, Match, Plan, Implement,
Review, Evaluate), each a core question of the interview with the step's key points; and the
judgement the tests and the complexity add to the engine's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ai.base import EvaluationResult
from ai.rubric import Scores
from interviews.models import Answer, Interview, Turn
from questionbank.coding import STEPS, passed_counts, problem_for_browser, step_of
from questionbank.models import CodingProblem

STEP_COUNT = len(STEPS)
# "O(n log n)", "O(n^2)", "O(1)": the complexities an answer states.
BIG_O = re.compile(r"\bO\s*\(\s*([^()]{1,40})\)", re.IGNORECASE)


def is_coding(interview: Interview) -> bool:
    return interview.interview_type == Interview.Type.CODING


def next_step(turns: list[Turn]) -> str:
    """The key of the step the interview is at: the one after the last core turn's."""
    asked = [t for t in turns if t.kind == Turn.Kind.CORE]
    return STEPS[min(len(asked), STEP_COUNT - 1)].key


def step_turn(problem: CodingProblem, key: str) -> dict[str, Any]:
    """The fields of the core turn that asks a step of the problem."""
    step = step_of(key)
    number = [s.key for s in STEPS].index(key) + 1
    return {
        "text": f"{step.name} (step {number} of {STEP_COUNT}): {step.ask}",
        "reference": problem.question.reference_answer,
        "key_points": list(problem.steps.get(key, [])),
        "step": key,
    }


def question_extra(turn: Turn) -> dict[str, Any]:
    """What the room's question event carries for a coding step: the step and the problem."""
    if not turn.step or turn.question_id is None:
        return {}
    problem = CodingProblem.objects.select_related("question").filter(pk=turn.question_id).first()
    if problem is None:
        return {}
    return {"step": turn.step, "problem": problem_for_browser(problem)}


# --- Judging what the tests and the complexity say ---------------------------------------------


def judged(answer: Answer, result: EvaluationResult) -> EvaluationResult:
    """The engine's verdict on a step's answer, with the tests' for the code and the reference
    complexity's for the Evaluate step."""
    step = answer.turn.step
    if answer.kind == Answer.Kind.SKIPPED or not step:
        return result
    if step == "implement" and answer.code:
        return _tested(answer.code, result)
    if step == "evaluate":
        problem = CodingProblem.objects.filter(pk=answer.turn.question_id).first()
        if problem is not None:
            return _complexity(answer.text, problem, result)
    return result


def _tested(code: dict[str, Any], result: EvaluationResult) -> EvaluationResult:
    passed, total = passed_counts(code)
    share = passed / total if total else 0.0
    hidden = [r for r in code["results"] if r["hidden"]]
    hidden_failed = [r for r in hidden if not r["passed"]]
    visible_failed = [r for r in code["results"] if not r["hidden"] and not r["passed"]]
    score = round(10 * share, 1)
    scores = Scores(
        technical=score,
        depth=score,
        experience=result.scores.experience,
        clarity=max(result.scores.clarity, 5.0) if share == 1 else result.scores.clarity,
        confidence=result.scores.confidence,
    )
    strengths, missing = list(result.strengths), list(result.missing)
    if share == 1:
        strengths.insert(0, f"Your code passed all {total} tests, including the hidden ones.")
    else:
        if visible_failed:
            missing.insert(0, f"Your code failed {len(visible_failed)} of the visible tests.")
        if hidden_failed:
            numbers = ", ".join(str(r["id"] + 1) for r in hidden_failed)
            missing.insert(
                0,
                f"Your code failed {len(hidden_failed)} of {len(hidden)} hidden tests "
                f"(test {numbers}): think about the edge cases they cover.",
            )
    return replace(
        result,
        scores=scores,
        strengths=strengths,
        missing=missing,
        signals={**result.signals, "tests": {"passed": passed, "total": total}},
        followup_needed=bool(hidden_failed or visible_failed),
        followup_type="probe" if hidden_failed or visible_failed else "",
        followup_reason="the code failed some tests" if share < 1 else "",
    )


def normal_big_o(text: str) -> str:
    """ "O(N log N)" and "o(n * log(n))" alike: lower case, no spaces, no multiplication signs."""
    inner = text.lower().replace("log(n)", "logn").replace("\u00b2", "^2")
    return re.sub(r"[\s*\u00b7\u22c5]", "", inner)


def stated_complexities(text: str) -> list[str]:
    return [normal_big_o(found) for found in BIG_O.findall(text)]


def _complexity(text: str, problem: CodingProblem, result: EvaluationResult) -> EvaluationResult:
    reference = (
        normal_big_o(BIG_O.findall(problem.time_complexity)[0])
        if BIG_O.search(problem.time_complexity)
        else ""
    )
    stated = stated_complexities(text)
    scores, mistakes = result.scores, list(result.mistakes)
    strengths, missing = list(result.strengths), list(result.missing)
    if not stated:
        scores = replace(scores, technical=min(scores.technical, 3.0))
        missing.insert(
            0, f"State the time complexity in big-O terms (here {problem.time_complexity})."
        )
        matches = False
    elif reference and stated[0] == reference:
        scores = replace(scores, technical=max(scores.technical, 7.0))
        strengths.insert(0, f"You stated the time complexity correctly: {problem.time_complexity}.")
        matches = True
    else:
        scores = replace(scores, technical=min(scores.technical, 4.0))
        quote = BIG_O.search(text)
        mistakes.append(
            {
                "kind": "red_flag",
                "text": f"States the time complexity as O({stated[0]}); the reference solution's "
                f"is {problem.time_complexity}",
                "evidence": quote.group(0) if quote else "",
            }
        )
        matches = False
    return replace(
        result,
        scores=scores,
        strengths=strengths,
        missing=missing,
        mistakes=mistakes,
        signals={
            **result.signals,
            "complexity": {
                "stated": stated[0] if stated else "",
                "reference": problem.time_complexity,
                "matches": matches,
            },
        },
    )
