"""Sample where the CPU goes during the benchmark, by process tree, from /proc.

    python bench/cpustat.py LOGFILE name=pid [name=pid ...]

Besides the named trees it finds PostgreSQL (the postmaster and its backends) and Redis. A tree's
CPU is, for every live process in it, user + system time plus that of its reaped children, so
short-lived PostgreSQL backends are counted too. Samples every BENCH_CPU_INTERVAL seconds
(default 5) until SIGTERM, writes one line per sample to LOGFILE, then prints a summary: the
mean and the peak share of one core each tree used, and the whole machine's busy share. When the
load script's results (BENCH_RESULTS) give the window from the first answer to the last reply,
it also prints the CPU of the samples inside that window: per tree, and per answer.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections import defaultdict

TICKS = os.sysconf("SC_CLK_TCK")
CORES = len(os.sched_getaffinity(0))
INTERVAL = float(os.environ.get("BENCH_CPU_INTERVAL", "5"))


def processes() -> dict[int, tuple[str, int, int]]:
    """Return pid -> (comm, ppid, cpu ticks including reaped children)."""
    return {pid: (comm, ppid, total) for pid, (comm, ppid, total, _) in raw_processes().items()}


def raw_processes() -> dict[int, tuple[str, int, int, int]]:
    """Return pid -> (comm, ppid, cpu ticks including reaped children, its own cpu ticks)."""
    table: dict[int, tuple[str, int, int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        ppid = int(fields[1])
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        table[int(entry)] = (comm, ppid, utime + stime + cutime + cstime, utime + stime)
    return table


def machine_ticks() -> tuple[int, int]:
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def roots(table: dict[int, tuple[str, int, int]], named: dict[str, int]) -> dict[str, int]:
    found = dict(named)
    for pid, (comm, ppid, _) in table.items():
        parent = table.get(ppid, ("", 0, 0))[0]
        if comm == "postgres" and parent != "postgres":
            found.setdefault("postgres", pid)
        elif comm.startswith("redis-server") and not parent.startswith("redis-server"):
            found.setdefault("redis", pid)
    return found


def tree_members(table: dict[int, tuple[str, int, int]], root: int) -> set[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (_, ppid, _) in table.items():
        children[ppid].append(pid)
    members, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in members:
            members.add(pid)
            todo.extend(children.get(pid, []))
    return members


def tree_ticks(table: dict[int, tuple[str, int, int]], root: int) -> int:
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (_, ppid, _) in table.items():
        children[ppid].append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][2]
            todo.extend(children.get(pid, []))
    return total


def main() -> None:
    logfile = sys.argv[1]
    named = {arg.split("=", 1)[0]: int(arg.split("=", 1)[1]) for arg in sys.argv[2:]}
    stop = False

    def on_term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)

    raw = raw_processes()
    table = {pid: row[:3] for pid, row in raw.items()}
    trees = roots(table, named)
    previous = {name: tree_ticks(table, pid) for name, pid in trees.items()}
    # Every other process, by its own CPU (what else competed for the cores, e.g. other work).
    own_before = {pid: row[3] for pid, row in raw.items()}
    others: dict[str, int] = defaultdict(int)
    previous_machine = machine_ticks()
    previous_at = time.monotonic()
    first = dict(previous), previous_machine, previous_at
    peaks: dict[str, float] = defaultdict(float)
    peak_machine = 0.0
    samples = 0
    # Per sample: its start and end on the wall clock, each tree's ticks, the machine's busy ticks.
    timeline: list[tuple[float, float, dict[str, int], int]] = []
    wall = time.time()
    with open(logfile, "w") as log:
        log.write(
            "seconds " + " ".join(trees) + " machine_busy (percent of one core; machine: of all)\n"
        )
        while not stop:
            slept = 0.0
            while slept < INTERVAL and not stop:
                time.sleep(0.25)
                slept += 0.25
            raw = raw_processes()
            table = {pid: row[:3] for pid, row in raw.items()}
            at = time.monotonic()
            span = (at - previous_at) * TICKS
            if span <= 0:
                continue
            row = []
            spent: dict[str, int] = {}
            for name, pid in trees.items():
                # A tree whose root has exited keeps its last total (its CPU is not lost).
                ticks = tree_ticks(table, pid) if pid in table else previous[name]
                share = 100 * (ticks - previous[name]) / span
                spent[name] = ticks - previous[name]
                peaks[name] = max(peaks[name], share)
                previous[name] = ticks
                row.append(f"{share:5.0f}")
            ours = set().union(*(tree_members(table, pid) for pid in trees.values()))
            for pid, (comm, _, _, own) in raw.items():
                if pid not in ours and pid != os.getpid():
                    others[comm] += own - own_before.get(pid, 0)
            own_before = {pid: row[3] for pid, row in raw.items()}
            busy, total = machine_ticks()
            machine_share = 100 * (busy - previous_machine[0]) / max(1, total - previous_machine[1])
            peak_machine = max(peak_machine, machine_share)
            timeline.append((wall, wall + at - previous_at, spent, busy - previous_machine[0]))
            wall += at - previous_at
            previous_machine, previous_at = (busy, total), at
            samples += 1
            log.write(f"{at - first[2]:7.0f} " + " ".join(row) + f" {machine_share:5.0f}\n")
            log.flush()

    span = (previous_at - first[2]) * TICKS
    if samples == 0 or span <= 0:
        print("cpu: no samples taken")
        return
    busy_share = (
        100 * (previous_machine[0] - first[1][0]) / max(1, previous_machine[1] - first[1][1])
    )
    print(
        f"CPU during the load ({samples} samples of {INTERVAL:g}s, {CORES} cores; "
        "percent of ONE core, so 100% = a full core):"
    )
    for name, pid in trees.items():
        mean = 100 * (previous[name] - first[0][name]) / span
        print(f"  {name:10s} (pid {pid:>7}): mean {mean:5.0f}%   peak {peaks[name]:5.0f}%")
    busiest = sorted(others.items(), key=lambda item: -item[1])[:4]
    listed = ", ".join(f"{comm} {100 * ticks / span:.0f}%" for comm, ticks in busiest if ticks > 0)
    print(f"  other processes on the machine (mean): {listed or 'none'}")
    print(
        f"  machine busy: mean {busy_share:3.0f}%   peak {peak_machine:3.0f}%"
        f"  (of all {CORES} cores)"
    )
    print(f"  timeline: {logfile}")
    per_answer(timeline, list(trees))


def per_answer(timeline: list[tuple[float, float, dict[str, int], int]], names: list[str]) -> None:
    """Print the CPU of the samples between the first answer and the last reply, per answer."""
    try:
        with open(os.environ["BENCH_RESULTS"]) as f:
            results = json.load(f)
        start, end = results["window_wall"]
        rate = float(results["answers_per_second"])
    except (KeyError, OSError, TypeError, ValueError):
        return
    inside = [sample for sample in timeline if sample[0] >= start and sample[1] <= end]
    seconds = sum(stop - begin for begin, stop, _, _ in inside)
    if not inside or not rate > 0:
        return
    answers = rate * seconds
    spent = {name: sum(sample[2].get(name, 0) for sample in inside) / TICKS for name in names}
    busy = sum(sample[3] for sample in inside) / TICKS
    print(
        f"While the interviews ran ({len(inside)} samples inside the answers' window, "
        f"~{answers:.0f} answers at {rate:.1f}/s):"
    )
    shares = ", ".join(f"{name} {100 * cpu / seconds:.0f}%" for name, cpu in spent.items())
    print(f"  mean share of one core: {shares}; machine busy {100 * busy / seconds / CORES:.0f}%")
    parts = ", ".join(f"{name} {1000 * cpu / answers:.1f}" for name, cpu in spent.items())
    print(f"  CPU per answer: {1000 * busy / answers:.0f} ms on the machine ({parts} ms)")


if __name__ == "__main__":
    main()
