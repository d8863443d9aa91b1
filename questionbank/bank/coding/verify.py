#!/usr/bin/env python3
"""Check the coding-problem bank (problems.json next to this script).

It checks the file's format (fields, types, counts, unique keys, the pattern vocabulary), then
runs every reference solution, Python in this process and JavaScript under node, on every
example and test, comparing the result with the expected JSON value. It prints one line per
failure and a summary, and exits 1 if anything failed.

    python questionbank/bank/coding/verify.py [path/to/problems.json]

Standard library only; node is looked up as /usr/bin/node, then on PATH (or $NODE).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_PATH = HERE / "problems.json"

PATTERNS = {
    "hashing",
    "two pointers",
    "sliding window",
    "binary search",
    "stack",
    "queue",
    "heap",
    "sorting",
    "prefix sums",
    "intervals",
    "linked list",
    "trees",
    "graphs",
    "bfs",
    "dfs",
    "backtracking",
    "dynamic programming",
    "greedy",
    "strings",
    "matrix",
}
LEVELS = ["intern", "junior", "mid", "senior", "staff", "principal"]
TRACKS = {"software-engineering", "data-engineering", "data-science"}
# Difficulty band -> (difficulties, the levels its problems list).
BANDS = {
    "easy": (range(1, 4), ["intern", "junior", "mid"]),
    "medium": (range(4, 7), ["junior", "mid", "senior"]),
    "hard": (range(7, 11), ["mid", "senior", "staff"]),
}
STEP_COUNTS = {
    "understand": (2, 4),
    "match": (2, 3),
    "plan": (2, 4),
    "implement": (2, 3),
    "review": (2, 3),
    "evaluate": (2, 3),
}
FIELDS = {
    "key": str,
    "title": str,
    "track": str,
    "difficulty": int,
    "levels": list,
    "patterns": list,
    "statement": str,
    "function": dict,
    "params": list,
    "examples": list,
    "constraints": list,
    "reference_solution": dict,
    "tests": list,
    "complexity": dict,
    "reference_answer": str,
    "steps": dict,
}
PROBLEM_COUNT = 40
MIN_DISTINCT_PATTERNS = 14
MAX_ARGS_BYTES = 2048
PY_TIMEOUT_SECONDS = 10
JS_TIMEOUT_SECONDS = 30

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PY_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
JS_NAME_RE = re.compile(r"^[a-z][A-Za-z0-9]*$")


def band_of(difficulty: int) -> str | None:
    for name, (difficulties, _) in BANDS.items():
        if difficulty in difficulties:
            return name
    return None


def words(text: str) -> int:
    return len(text.split())


def same(a: Any, b: Any) -> bool:
    """Deep JSON equality: booleans are not numbers, object key order does not matter."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def check_format(data: Any) -> list[str]:
    """Every way the file departs from the bank's format, one message each."""
    fails: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("problems"), list):
        return ['top level must be {"problems": [...]}']
    if set(data) != {"problems"}:
        fails.append(f"unexpected top-level fields: {sorted(set(data) - {'problems'})}")
    problems = data["problems"]
    if len(problems) != PROBLEM_COUNT:
        fails.append(f"expected {PROBLEM_COUNT} problems, found {len(problems)}")
    keys = Counter(p.get("key") for p in problems if isinstance(p, dict))
    for key, count in keys.items():
        if count > 1:
            fails.append(f"duplicate key {key!r} ({count} times)")
    for index, problem in enumerate(problems):
        label = problem.get("key", f"#{index}") if isinstance(problem, dict) else f"#{index}"
        fails.extend(f"{label}: {msg}" for msg in check_problem(problem))
    pattern_counts = Counter(
        pattern for p in problems if isinstance(p, dict) for pattern in p.get("patterns", [])
    )
    if len(pattern_counts) < MIN_DISTINCT_PATTERNS:
        fails.append(f"only {len(pattern_counts)} distinct patterns (need {MIN_DISTINCT_PATTERNS})")
    return fails


def check_problem(p: Any) -> list[str]:
    if not isinstance(p, dict):
        return ["problem must be an object"]
    fails: list[str] = []
    for field, kind in FIELDS.items():
        if field not in p:
            fails.append(f"missing field {field!r}")
        elif not isinstance(p[field], kind) or (kind is int and isinstance(p[field], bool)):
            fails.append(f"field {field!r} must be {kind.__name__}")
    extra = set(p) - set(FIELDS)
    if extra:
        fails.append(f"unexpected fields {sorted(extra)}")
    if fails:
        return fails

    if not KEY_RE.match(p["key"]):
        fails.append("key must be kebab-case")
    if not p["title"].strip():
        fails.append("empty title")
    if p["track"] not in TRACKS:
        fails.append(f"unknown track {p['track']!r}")
    band = band_of(p["difficulty"])
    if band is None:
        fails.append(f"difficulty {p['difficulty']} outside 1-10")
    elif p["levels"] != BANDS[band][1]:
        fails.append(f"levels {p['levels']} do not match the {band} band {BANDS[band][1]}")
    if any(level not in LEVELS for level in p["levels"]):
        fails.append(f"unknown level in {p['levels']}")
    if not 1 <= len(p["patterns"]) <= 2 or len(set(p["patterns"])) != len(p["patterns"]):
        fails.append("patterns must list 1-2 distinct patterns")
    for pattern in p["patterns"]:
        if pattern not in PATTERNS:
            fails.append(f"pattern {pattern!r} not in the vocabulary")
    if not 60 <= words(p["statement"]) <= 160:
        fails.append(f"statement has {words(p['statement'])} words (60-160)")
    if not 120 <= words(p["reference_answer"]) <= 220:
        fails.append(f"reference_answer has {words(p['reference_answer'])} words (120-220)")

    fn = p["function"]
    if set(fn) != {"python", "javascript"}:
        fails.append("function must name python and javascript")
    elif not PY_NAME_RE.match(str(fn["python"])) or not JS_NAME_RE.match(str(fn["javascript"])):
        fails.append("function names must be snake_case (python) and camelCase (javascript)")
    params = p["params"]
    if not params or not all(isinstance(x, str) and x for x in params):
        fails.append("params must be non-empty names")
    if not p["constraints"] or not all(isinstance(c, str) and c for c in p["constraints"]):
        fails.append("constraints must be non-empty strings")
    comp = p["complexity"]
    if set(comp) != {"time", "space"} or not all(isinstance(v, str) and v for v in comp.values()):
        fails.append("complexity must have time and space strings")

    fails.extend(check_solution_shape(p))
    fails.extend(check_cases(p))
    fails.extend(check_steps(p["steps"]))
    return fails


def check_solution_shape(p: dict[str, Any]) -> list[str]:
    fails: list[str] = []
    sol, fn, params = p["reference_solution"], p["function"], p["params"]
    if set(sol) != {"python", "javascript"} or not all(isinstance(v, str) for v in sol.values()):
        return ["reference_solution must have python and javascript code"]
    try:
        tree = ast.parse(sol["python"])
    except SyntaxError as exc:
        return [f"python solution does not parse: {exc}"]
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == fn.get("python")]
    if not defs:
        fails.append(f"python solution defines no top-level {fn.get('python')}()")
    elif [a.arg for a in defs[0].args.args] != params:
        fails.append(f"python signature {[a.arg for a in defs[0].args.args]} != params {params}")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                names = [node.module or ""]
            for name in names:
                if name.split(".")[0] not in sys.stdlib_module_names:
                    fails.append(f"python solution imports non-stdlib {name}")
    js_name = re.escape(str(fn.get("javascript")))
    match = re.search(rf"function\s+{js_name}\s*\(([^)]*)\)", sol["javascript"])
    if not match:
        fails.append(f"javascript solution defines no function {fn.get('javascript')}")
    else:
        js_params = [x.strip() for x in match.group(1).split(",") if x.strip()]
        if len(js_params) != len(params):
            fails.append(f"javascript takes {len(js_params)} params, params lists {len(params)}")
    if re.search(r"\brequire\s*\(|\bimport\b", sol["javascript"]):
        fails.append("javascript solution must not import modules")
    return fails


def check_cases(p: dict[str, Any]) -> list[str]:
    fails: list[str] = []
    examples, tests, nparams = p["examples"], p["tests"], len(p["params"])
    if not 2 <= len(examples) <= 3:
        fails.append(f"{len(examples)} examples (need 2-3)")
    for i, ex in enumerate(examples):
        if not isinstance(ex, dict) or set(ex) != {"args", "expected", "explanation"}:
            fails.append(f"example {i} must have exactly args, expected, explanation")
            continue
        if not isinstance(ex["explanation"], str) or not ex["explanation"].strip():
            fails.append(f"example {i} needs an explanation")
        fails.extend(f"example {i}: {m}" for m in check_args(ex["args"], nparams))
    if not 8 <= len(tests) <= 12:
        fails.append(f"{len(tests)} tests (need 8-12)")
    visible = hidden = 0
    for i, test in enumerate(tests):
        if not isinstance(test, dict) or set(test) != {"args", "expected", "hidden"}:
            fails.append(f"test {i} must have exactly args, expected, hidden")
            continue
        if not isinstance(test["hidden"], bool):
            fails.append(f"test {i}: hidden must be a boolean")
        elif test["hidden"]:
            hidden += 1
        else:
            visible += 1
        fails.extend(f"test {i}: {m}" for m in check_args(test["args"], nparams))
    if visible != 3:
        fails.append(f"{visible} visible tests (need 3)")
    if hidden < 5:
        fails.append(f"{hidden} hidden tests (need at least 5)")
    seen = Counter(json.dumps(t.get("args"), sort_keys=True) for t in tests if isinstance(t, dict))
    if any(count > 1 for count in seen.values()):
        fails.append("two tests have the same args")
    return fails


def check_args(args: Any, nparams: int) -> list[str]:
    if not isinstance(args, list) or len(args) != nparams:
        return [f"args must be a list of {nparams} values"]
    if len(json.dumps(args)) > MAX_ARGS_BYTES:
        return [f"args are over {MAX_ARGS_BYTES} bytes of JSON"]
    return []


def check_steps(steps: dict[str, Any]) -> list[str]:
    fails: list[str] = []
    if set(steps) != set(STEP_COUNTS):
        return [f"steps must be exactly {sorted(STEP_COUNTS)}"]
    for name, (low, high) in STEP_COUNTS.items():
        points = steps[name]
        if not isinstance(points, list) or not low <= len(points) <= high:
            fails.append(f"steps.{name} needs {low}-{high} key points")
            continue
        for point in points:
            if not isinstance(point, str) or not point.strip() or len(point) >= 120:
                fails.append(f"steps.{name}: key point empty or 120+ characters: {point!r:.60}")
    return fails


def cases_of(p: dict[str, Any]) -> list[tuple[str, list[Any], Any]]:
    """(label, args, expected) for every example and test of a well-formed problem."""
    cases = [(f"example {i}", ex["args"], ex["expected"]) for i, ex in enumerate(p["examples"])]
    cases += [(f"test {i}", t["args"], t["expected"]) for i, t in enumerate(p["tests"])]
    return cases


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def run_python(p: dict[str, Any], cases: list[tuple[str, list[Any], Any]]) -> list[str]:
    namespace: dict[str, Any] = {"__name__": f"reference_{p['function']['python']}"}
    try:
        exec(compile(p["reference_solution"]["python"], f"<{p['key']}.py>", "exec"), namespace)
    except Exception as exc:
        return [f"python: solution raised on load: {exc!r}"]
    fn = namespace.get(p["function"]["python"])
    if not callable(fn):
        return [f"python: no function {p['function']['python']}"]
    fails: list[str] = []
    use_alarm = hasattr(signal, "setitimer")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for label, args, expected in cases:
            fresh = json.loads(json.dumps(args))
            try:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, PY_TIMEOUT_SECONDS)
                result = fn(*fresh)
                got = json.loads(json.dumps(result))
            except _Timeout:
                fails.append(f"python {label}: timed out after {PY_TIMEOUT_SECONDS}s")
                continue
            except Exception as exc:
                fails.append(f"python {label}: raised {exc!r}")
                continue
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            if not same(got, expected):
                fails.append(f"python {label}: got {_short(got)}, expected {_short(expected)}")
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, previous)
    return fails


JS_HARNESS = """
"use strict";
%(code)s
;
function __same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => __same(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return __same(ka, kb) && ka.every((k) => __same(a[k], b[k]));
  }
  return false;
}
const __cases = JSON.parse(%(cases)s);
const __out = [];
for (const [label, args, expected] of __cases) {
  try {
    if (typeof %(name)s !== "function") throw new Error("no function %(name)s");
    const result = %(name)s(...JSON.parse(JSON.stringify(args)));
    const text = JSON.stringify(result);
    if (text === undefined) { __out.push([label, "returned undefined"]); continue; }
    const got = JSON.parse(text);
    if (!__same(got, expected)) __out.push([label, "got " + text]);
  } catch (e) {
    __out.push([label, "raised " + e]);
  }
}
process.stdout.write(JSON.stringify(__out));
"""


def find_node() -> str | None:
    for candidate in (os.environ.get("NODE"), "/usr/bin/node", shutil.which("node")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def run_js(p: dict[str, Any], cases: list[tuple[str, list[Any], Any]], node: str) -> list[str]:
    name = p["function"]["javascript"]
    script = JS_HARNESS % {
        "code": p["reference_solution"]["javascript"],
        "cases": json.dumps(json.dumps([list(c) for c in cases])),
        "name": name,
    }
    expected_by_label = {label: expected for label, _, expected in cases}
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False, encoding="utf-8") as f:
        f.write(script)
        path = f.name
    try:
        proc = subprocess.run(
            [node, path], capture_output=True, text=True, timeout=JS_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return [f"javascript: timed out after {JS_TIMEOUT_SECONDS}s"]
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        return [f"javascript: node exited {proc.returncode}: {proc.stderr.strip()[:300]}"]
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [f"javascript: unreadable output {proc.stdout[:200]!r}"]
    return [
        f"javascript {label}: {message[:200]}, expected {_short(expected_by_label.get(label))}"
        for label, message in out
    ]


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 200 else text[:197] + "..."


def summary(problems: list[dict[str, Any]]) -> list[str]:
    patterns = Counter(x for p in problems for x in p.get("patterns", []))
    tracks = Counter(p.get("track") for p in problems)
    bands = Counter(band_of(p.get("difficulty", 0)) for p in problems)
    return [
        "patterns: " + ", ".join(f"{k} {v}" for k, v in sorted(patterns.items())),
        "tracks: " + ", ".join(f"{k} {v}" for k, v in sorted(tracks.items())),
        "difficulty: " + ", ".join(f"{b} {bands.get(b, 0)}" for b in BANDS),
    ]


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"FAIL cannot load {path}: {exc}")
        return 1
    failures = check_format(data)
    problems = data.get("problems", []) if isinstance(data, dict) else []
    node = find_node()
    if node is None:
        failures.append("node not found: JavaScript solutions not run")
    runnable = [p for p in problems if isinstance(p, dict) and not check_problem(p)]
    cases_run = 0
    for p in runnable:
        cases = cases_of(p)
        cases_run += len(cases)
        failures.extend(f"{p['key']}: {m}" for m in run_python(p, cases))
        if node is not None:
            failures.extend(f"{p['key']}: {m}" for m in run_js(p, cases, node))
    for line in failures:
        print(f"FAIL {line}")
    if problems and isinstance(problems, list):
        for line in summary([p for p in problems if isinstance(p, dict)]):
            print(line)
    print(
        f"{len(problems)} problems, {len(runnable)} well-formed, {cases_run} cases run in "
        f"Python and JavaScript: {len(failures)} failure(s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
