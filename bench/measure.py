"""What the load test measures beyond its own clock: percentiles, the database, the machine."""

from __future__ import annotations

import os
import platform
import statistics
from typing import Any


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def spread(values: list[float]) -> str:
    if not values:
        return "n/a (none measured)"
    return (
        f"p50 {percentile(values, 50):.0f}  p95 {percentile(values, 95):.0f}  "
        f"p99 {percentile(values, 99):.0f}  max {max(values):.0f}  "
        f"(mean {statistics.fmean(values):.0f}, n={len(values)})"
    )


def check_database(
    database_url: str,
    client_ids: list[str],
    interview_ids: list[str],
    answer_clock: dict[str, list[tuple[float, float]]],
) -> dict[str, Any]:
    """Look every sent client_id up in interviews_answer; also the interviews' final states."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT client_id, count(*) FROM interviews_answer WHERE client_id = ANY(%s) "
            "GROUP BY client_id",
            (client_ids,),
        ).fetchall()
        found: dict[str, int] = dict(rows)
        states: dict[str, int] = dict(
            conn.execute(
                "SELECT state, count(*) FROM interviews_interview WHERE id = ANY(%s::uuid[]) "
                "GROUP BY state",
                (interview_ids,),
            ).fetchall()
        )
        reports = conn.execute(
            "SELECT count(*) FROM reports_report WHERE interview_id = ANY(%s::uuid[])",
            (interview_ids,),
        ).fetchone()
        events = conn.execute(
            "SELECT interview_id::text, type, payload->>'state', "
            "extract(epoch FROM created_at)::float8 FROM interviews_event "
            "WHERE interview_id = ANY(%s::uuid[]) ORDER BY interview_id, seq",
            (interview_ids,),
        ).fetchall()
    return {
        "lost": len([c for c in client_ids if c not in found]),
        "doubled": len([n for n in found.values() if n > 1]),
        "states": states,
        "reports": reports[0] if reports else None,
        "phases": phases(events, answer_clock),
    }


PHASES = (
    "answer sent -> stored (Daphne, `transcript` logged)",
    "stored -> evaluate task running (`evaluating`)",
    "evaluating -> evaluated (the engine)",
    "evaluated -> deciding (same task, same transaction)",
    "deciding -> next question/completed logged",
    "next question logged -> received by the client",
)


def phases(
    events: list[tuple[str, str, str | None, float]],
    answer_clock: dict[str, list[tuple[float, float]]],
) -> dict[str, list[float]]:
    """Split each answer's latency by the event log's timestamps (same machine clock, ms)."""
    found: dict[str, list[float]] = {name: [] for name in PHASES}
    answer_index: dict[str, int] = {}
    cycle: dict[str, float] | None = None
    current = ""
    for interview_id, kind, state, at in events:
        if interview_id != current:
            current, cycle = interview_id, None
        if kind == "transcript":
            cycle = {"stored": at}
        elif cycle is None:
            continue
        elif kind == "state" and state in ("evaluating", "deciding"):
            cycle.setdefault(state, at)
        elif kind == "evaluated":
            cycle.setdefault("evaluated", at)
        elif kind in ("question", "completed"):
            cycle["next"] = at
            k = answer_index.get(interview_id, 0)
            answer_index[interview_id] = k + 1
            clock = answer_clock.get(interview_id, [])
            marks = [
                clock[k][0] if k < len(clock) else None,
                cycle.get("stored"),
                cycle.get("evaluating"),
                cycle.get("evaluated"),
                cycle.get("deciding"),
                cycle.get("next"),
                clock[k][1] if k < len(clock) else None,
            ]
            for name, start, end in zip(PHASES, marks, marks[1:], strict=False):
                if start is not None and end is not None:
                    found[name].append((end - start) * 1000)
            cycle = None
    return found


def machine() -> str:
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            memory = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    nproc = len(os.sched_getaffinity(0))
    return f"nproc {nproc}, {model}{memory}, {platform.platform()}"
