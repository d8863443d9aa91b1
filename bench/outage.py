"""The outage scenario of issue 12, measured: 20 interviews running while 50 resumes are uploaded.

Run: `make bench-outage` (or `.venv/bin/python bench/outage.py [--code DIR] [--single-worker]`).
It makes a fresh PostgreSQL database, starts Daphne and the workers in the production shape (one
worker for the interviews' steps and one for documents and speech, two pool processes each; with
--single-worker, one worker with two processes for everything, as before issue 12) from the code
in DIR (default: this checkout), drives the scenario (bench/mixed.py) and prints its figures:
interviews finished, resumes ready / failed / still being read, how long each read took, the time
from an answer to the next question, and whether each worker's parent still answers a ping.

Everything it starts is stopped at the end, and the database dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
DB = "rehearse_outage"
REDIS_DB = 7
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# The production settings (DEBUG off) over plain HTTP, shared by every process here: the sessions
# this script signs students in with are checked against the same SECRET_KEY.
ENV = {
    "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DB}",
    "REDIS_URL": f"redis://{HOST}:6379/{REDIS_DB}",
    "DEBUG": "false",
    "SECRET_KEY": "outage-" + secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "EMBEDDINGS": "lexical",
}
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)

from bench import mixed  # noqa: E402
from config.celery import app  # noqa: E402
from tests.resumes import resume_pdfs  # noqa: E402


def _psql(command: str) -> None:
    subprocess.run(["psql", "-q", "-h", HOST, "-U", "postgres", "-c", command], check=True)


def _start(command: list[str], code: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=code,
            env=os.environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _workers(single: bool) -> list[tuple[str, str]]:
    """(name, queues) of each worker; no queues: the worker's default."""
    if single:
        return [("all", "")]
    return [("interviews", "interviews"), ("documents", "documents,speech")]


def _pings(names: list[str]) -> dict[str, bool]:
    replies = app.control.ping(timeout=3) or []
    answered = {name.split("@")[0] for reply in replies for name in reply}
    return {name: name in answered for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--single-worker", action="store_true", help="the shape before issue 12")
    parser.add_argument("--interviews", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--settle", type=float, default=240, help="seconds to wait for reads")
    args = parser.parse_args()
    code = args.code.resolve()
    logs = Path(os.environ.get("BENCH_LOG_DIR", f"/tmp/rehearse-outage-{os.getpid()}"))
    logs.mkdir(parents=True, exist_ok=True)

    _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB}")
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for step in (["migrate", "--noinput", "-v", "0"], ["load_questionbank"]):
            subprocess.run([PYTHON, "manage.py", *step], cwd=code, env=os.environ, check=True)
        port = _free_port()
        base = f"http://{HOST}:{port}"
        daphne = [PYTHON, "-m", "config.serve", "-b", HOST, "-p", str(port)]
        daphne.append("config.asgi:application")
        processes.append(_start(daphne, code, logs / "daphne.log"))
        names = []
        for name, queues in _workers(args.single_worker):
            command = [PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "2"]
            command += ["--loglevel", "INFO", "-n", f"{name}@%h"]
            command += ["--queues", queues] if queues else []
            processes.append(_start(command, code, logs / f"worker-{name}.log"))
            names.append(name)
        _wait_until_up(base, names)

        layouts = ("one_column", "two_columns", "skills_table", "non_english_names")
        pdfs = [getattr(resume_pdfs, name)() for name in layouts]
        pdfs.append(resume_pdfs.long_multipage())
        outcome = asyncio.run(
            mixed.run(
                base,
                interviewees=mixed.enrol(args.interviews, "candidate"),
                uploaders=mixed.enrol(-(-args.uploads // 20), "uploader"),
                pdfs=pdfs,
                uploads=args.uploads,
                settle_seconds=args.settle,
            )
        )
        figures = outcome.summary() | {"workers_answering": _pings(names)}
        print(json.dumps(figures, indent=1))
        print(f"logs in {logs}")
    finally:
        for process in reversed(processes):
            _stop(process)
        _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def _wait_until_up(base: str, workers: list[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200 and all(
                _pings(workers).values()
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("Daphne or a worker did not start; see the logs")


if __name__ == "__main__":
    main()
