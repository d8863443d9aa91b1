"""Coding problems: their steps (UMPIRE), loading the starter set, what the browser may see of
their tests, and the check of the results a browser sends back.

Submitted code never runs on the server: the candidate's browser runs it (Pyodide for Python, a
Worker for JavaScript) on every test's arguments, and sends what each call returned. The server
knows the expected outputs of the hidden tests and decides which passed; a result that claims a
pass its output does not earn is refused.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from config.errors import Refused
from questionbank.models import CodingProblem, KeyPoint, Question, Skill, Track
from questionbank.services import LEVEL_BY_NAME

PROBLEMS = Path(__file__).resolve().parent / "bank" / "coding" / "problems.json"
LANGUAGES = ("python", "javascript")


@dataclass(frozen=True)
class CodingStep:
    key: str
    name: str
    ask: str  # what the interviewer asks at this step


STEPS = (
    CodingStep(
        "understand",
        "Understand",
        "Restate the problem in your own words, ask the clarifying questions you would ask, and "
        "work through one of the examples.",
    ),
    CodingStep("match", "Match", "Which pattern or technique fits this problem, and why?"),
    CodingStep("plan", "Plan", "Describe your plan step by step, in pseudocode."),
    CodingStep(
        "implement",
        "Implement",
        "Write the function in the editor, run it on the examples, and submit it when you are "
        "ready: it is then run on every test, including hidden ones.",
    ),
    CodingStep(
        "review",
        "Review",
        "Walk through your code on one of the test cases, and say which edge cases it handles.",
    ),
    CodingStep(
        "evaluate",
        "Evaluate",
        "What are the time and space complexity of your solution, and what trade-offs would you "
        "consider?",
    ),
)
STEP_KEYS = tuple(step.key for step in STEPS)
CODING_SKILL = {
    "slug": "coding",
    "name": "Coding and algorithms",
    "description": (
        "Solving a programming problem in an interview: understanding it, choosing a pattern, "
        "planning, writing working code, testing it and weighing its complexity."
    ),
}
# What a browser may send: a source of this size, outputs of this size each.
MAX_SOURCE_CHARS = 20_000
MAX_OUTPUT_CHARS = 10_000


def step_of(key: str) -> CodingStep:
    return next(step for step in STEPS if step.key == key)


# --- Loading the starter set ------------------------------------------------------------------


def problems_load(path: Path = PROBLEMS) -> int:
    """Create the file's coding problems that are not in the bank yet, for the tracks that
    exist; return how many were created. A problem is a published question of type coding, in
    its track's coding skill, with its CodingProblem. One already loaded is the curators' (an
    edit in the admin is never overwritten)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    tracks = {track.slug: track for track in Track.objects.all()}
    loaded_before = set(
        Question.objects.filter(bank_key__startswith="coding:").values_list("bank_key", flat=True)
    )
    loaded = 0
    with transaction.atomic():
        for entry in data["problems"]:
            track = tracks.get(entry["track"])
            if track is None or f"coding:{entry['key']}" in loaded_before:
                continue
            _load(entry, track, _coding_skill(track))
            loaded += 1
    return loaded


def _coding_skill(track: Track) -> Skill:
    skill, _ = Skill.objects.get_or_create(
        track=track,
        slug=CODING_SKILL["slug"],
        defaults={"name": CODING_SKILL["name"], "description": CODING_SKILL["description"]},
    )
    return skill


def _load(entry: dict[str, Any], track: Track, skill: Skill) -> None:
    levels = [LEVEL_BY_NAME[name] for name in entry["levels"]]
    question = Question.objects.create(
        bank_key=f"coding:{entry['key']}",
        **{
            "track": track,
            "skill": skill,
            "type": Question.Type.CODING,
            "difficulty": entry["difficulty"],
            "level_min": min(levels),
            "level_max": max(levels),
            "text": " ".join(entry["statement"].split()),
            "reference_answer": entry["reference_answer"].strip(),
            "tags": entry["patterns"],
            "status": Question.Status.PUBLISHED,
        },
    )
    points = [point for key in STEP_KEYS for point in entry["steps"][key]]
    KeyPoint.objects.bulk_create(
        KeyPoint(question=question, text=text[:300], position=i) for i, text in enumerate(points)
    )
    CodingProblem.objects.create(
        question=question,
        **{
            "title": entry["title"],
            "patterns": entry["patterns"],
            "function": entry["function"],
            "params": entry["params"],
            "examples": entry["examples"],
            "constraints": entry["constraints"],
            "reference_solution": entry["reference_solution"],
            "tests": entry["tests"],
            "time_complexity": entry["complexity"]["time"],
            "space_complexity": entry["complexity"]["space"],
            "steps": {key: entry["steps"][key] for key in STEP_KEYS},
        },
    )


# --- What the browser sees, and what it sends back ----------------------------------------------


def browser_tests(problem: CodingProblem) -> list[dict[str, Any]]:
    """Every test's arguments, numbered; the expected output of the visible ones only."""
    return [
        {"id": index, "args": test["args"], "hidden": bool(test.get("hidden"))}
        | ({} if test.get("hidden") else {"expected": test["expected"]})
        for index, test in enumerate(problem.tests)
    ]


def problem_for_browser(problem: CodingProblem) -> dict[str, Any]:
    """What the room shows and runs: never a hidden test's expected output or the solution."""
    return {
        "title": problem.title,
        "statement": problem.question.text,
        "function": problem.function,
        "params": problem.params,
        "examples": problem.examples,
        "constraints": problem.constraints,
        "tests": browser_tests(problem),
    }


def code_check(problem: CodingProblem, code: object) -> dict[str, Any]:
    """Return the submitted code and its results as they are stored, each test's pass decided
    here from its output; refuse what is malformed, and a claimed result its output does not
    match.

    `code` is {"language", "source", "results": [{"id", "output", "error", "ms", "passed"}]},
    with one result per test: the output is what the function returned (JSON), or `error` says
    why there is none (an exception, the time limit).
    """
    if not isinstance(code, dict):
        raise Refused("bad_code", "Send your code as {language, source, results}.")
    language, source, results = code.get("language"), code.get("source"), code.get("results")
    if language not in LANGUAGES:
        raise Refused("bad_language", "Write your code in Python or JavaScript.")
    if not isinstance(source, str) or not source.strip():
        raise Refused("empty_code", "Your code is empty. Write the function, then submit it.")
    if len(source) > MAX_SOURCE_CHARS:
        raise Refused(
            "code_too_long",
            f"Your code is {len(source):,} characters; the limit is {MAX_SOURCE_CHARS:,}. "
            "An interview solution is a function or two: submit just that.",
        )
    if not isinstance(results, list) or len(results) != len(problem.tests):
        raise Refused(
            "bad_results",
            "Your code's results are incomplete: run it on every test again, then submit.",
        )
    checked = []
    for index, (test, result) in enumerate(zip(problem.tests, results, strict=True)):
        if not isinstance(result, dict) or result.get("id") != index:
            raise Refused("bad_results", "Your code's results are out of order: submit again.")
        error = str(result.get("error") or "")[:300]
        output = result.get("output")
        if len(json.dumps(output, default=str)) > MAX_OUTPUT_CHARS:
            output, error = None, error or "the output was too large to keep"
        passed = not error and _same(output, test["expected"])
        if result.get("passed") is not None and bool(result["passed"]) != passed:
            raise Refused(
                "results_disagree",
                "Your code's results do not agree with the tests' expected outputs. Run it "
                "again and submit what it returns.",
            )
        ms = result.get("ms")
        checked.append(
            {
                "id": index,
                "hidden": bool(test.get("hidden")),
                "passed": passed,
                "error": error,
                "ms": round(float(ms), 1) if isinstance(ms, int | float) and ms >= 0 else None,
                # A hidden test's arguments and output stay on the server's side of the report.
                "output": output,
            }
        )
    return {"language": language, "source": source, "results": checked}


def passed_counts(code: dict[str, Any]) -> tuple[int, int]:
    results = code.get("results", [])
    return sum(1 for r in results if r["passed"]), len(results)


def _same(output: Any, expected: Any) -> bool:
    """Equal as JSON values: key order aside; true is not 1; 0.1 + 0.2 is 0.3."""
    if isinstance(expected, bool) or isinstance(output, bool):
        return type(output) is type(expected) and output == expected
    if isinstance(expected, int | float) and isinstance(output, int | float):
        return math.isclose(output, expected, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, list) and isinstance(output, list):
        return len(output) == len(expected) and all(map(_same, output, expected))
    if isinstance(expected, dict) and isinstance(output, dict):
        return output.keys() == expected.keys() and all(
            _same(output[k], expected[k]) for k in expected
        )
    return output == expected and type(output) is type(expected)
