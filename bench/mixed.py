"""Interviews running while students upload resumes: every interview must finish and every resume
end ready or failed with a reason, however the reading of the documents goes.

The scenario of issue 12 (an outage: resume reads that hung the worker stopped every interview).
`run` drives it against a running Daphne, over the API and the rooms' WebSockets, as students'
browsers would; tests/interviews/test_uploads_beside_interviews.py runs it in the suite and
bench/outage.py measures it (`make bench-outage`).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import websockets
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token

from accounts.models import User

ANSWER = (
    "I would measure first: reproduce the slowdown with a load test, profile the slow request, "
    "and read the query plan. In my last role an N+1 query in the serializer doubled p95; I added "
    "select_related and an index, p95 fell from 800 ms to 120 ms, and a test now guards the "
    "number of queries."
)
EVENT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Student:
    """A signed-in student as a browser holds them: an API token and a session cookie."""

    token: str
    session: str


def enrol(count: int, prefix: str) -> list[Student]:
    """Make `count` students, signed in: an API token and a session each (needs the database)."""
    students = []
    for n in range(count):
        user = User.objects.create_user(email=f"{prefix}{n}@students.example", password=None)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        token, _ = Token.objects.get_or_create(user=user)
        students.append(Student(token=token.key, session=str(session.session_key)))
    return students


@dataclass
class Outcome:
    interviews_finished: int = 0
    interview_errors: Counter[str] = field(default_factory=Counter)
    # Answer sent until the next question (or the end), in ms.
    latencies_ms: list[float] = field(default_factory=list)
    resumes: Counter[str] = field(default_factory=Counter)  # ready / failed / parsing (stuck)
    failed_without_reason: int = 0
    refused_uploads: Counter[int] = field(default_factory=Counter)
    read_seconds: list[float] = field(default_factory=list)
    wall_seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        latencies = sorted(self.latencies_ms)
        reads = sorted(self.read_seconds)
        return {
            "interviews_finished": self.interviews_finished,
            "interview_errors": dict(self.interview_errors),
            "next_question_ms": {
                "p50": round(_percentile(latencies, 50)),
                "p95": round(_percentile(latencies, 95)),
                "max": round(latencies[-1]) if latencies else 0,
                "n": len(latencies),
            },
            "resumes": dict(self.resumes),
            "failed_without_reason": self.failed_without_reason,
            "refused_uploads": dict(self.refused_uploads),
            "read_seconds": {
                "p50": round(_percentile(reads, 50), 2),
                "max": round(reads[-1], 2) if reads else 0,
            },
            "wall_seconds": round(self.wall_seconds, 1),
        }


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(percent) - 1]


async def run(
    base_url: str,
    *,
    interviewees: list[Student],
    uploaders: list[Student],
    pdfs: list[bytes],
    uploads: int,
    questions: int = 3,
    settle_seconds: float = 120.0,
) -> Outcome:
    """Run the interviews and the uploads at once; wait until the resumes settle (or not)."""
    outcome = Outcome()
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        interviews = [
            _interview(http, base_url, student, questions, outcome) for student in interviewees
        ]
        sent = [
            _upload(http, uploaders[n % len(uploaders)], pdfs[n % len(pdfs)], n, outcome)
            for n in range(uploads)
        ]
        results = await asyncio.gather(*interviews, *sent)
        resume_ids = [r for r in results[len(interviews) :] if r is not None]
        await _settle(http, resume_ids, outcome, deadline=time.monotonic() + settle_seconds)
    outcome.wall_seconds = time.monotonic() - started
    return outcome


def _auth(student: Student) -> dict[str, str]:
    return {"Authorization": f"Token {student.token}"}


async def _interview(
    http: httpx.AsyncClient, base_url: str, student: Student, questions: int, outcome: Outcome
) -> None:
    setup = {
        "track": "software-engineering",
        "level": "mid",
        "interview_type": "mixed",
        "num_questions": questions,
    }
    try:
        response = await http.post("/api/v1/interviews/", json=setup, headers=_auth(student))
        response.raise_for_status()
        interview_id = response.json()["id"]
        ws_url = base_url.replace("http", "ws", 1) + f"/ws/interviews/{interview_id}/"
        headers = {"Cookie": f"sessionid={student.session}", "Origin": base_url}
        async with websockets.connect(ws_url, additional_headers=headers) as ws:
            await ws.send(json.dumps({"type": "sync", "after": 0}))
            await ws.send(json.dumps({"type": "start"}))
            turn = 0
            while True:
                event = await _next(ws)
                if event["type"] == "question":
                    turn = event["turn"]
                elif event["type"] == "state" and event["state"] == "listening":
                    sent_at = time.monotonic()
                    answer = {"type": "answer", "text": ANSWER, "turn": turn}
                    await ws.send(json.dumps(answer | {"client_id": uuid.uuid4().hex}))
                    while (reply := await _next(ws))["type"] not in ("question", "completed"):
                        pass
                    outcome.latencies_ms.append((time.monotonic() - sent_at) * 1000)
                    if reply["type"] == "question":
                        turn = reply["turn"]
                elif event["type"] == "report.ready":
                    outcome.interviews_finished += 1
                    return
                elif event["type"] == "error":
                    outcome.interview_errors[event.get("code", "error")] += 1
                    return
    except (httpx.HTTPError, OSError, websockets.WebSocketException, TimeoutError) as error:
        outcome.interview_errors[type(error).__name__] += 1


async def _next(ws: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), EVENT_TIMEOUT))
    return event


async def _upload(
    http: httpx.AsyncClient, student: Student, pdf: bytes, n: int, outcome: Outcome
) -> str | None:
    files = {"file": (f"resume-{n}.pdf", pdf, "application/pdf")}
    try:
        response = await http.post("/api/v1/resumes/", files=files, headers=_auth(student))
    except httpx.HTTPError:
        outcome.refused_uploads[0] += 1
        return None
    if response.status_code != 201:
        outcome.refused_uploads[response.status_code] += 1
        return None
    return f"{student.token}:{response.json()['id']}"


async def _settle(
    http: httpx.AsyncClient, resumes: list[str], outcome: Outcome, *, deadline: float
) -> None:
    """Wait until every uploaded resume is ready or failed; count those still being read.

    Each uploader's list is read once a second (the API's rate limit allows that for hours).
    """
    waiting: dict[str, set[str]] = {}
    for key in resumes:
        token, resume_id = key.split(":")
        waiting.setdefault(token, set()).add(resume_id)
    while any(waiting.values()) and time.monotonic() < deadline:
        for token, ids in waiting.items():
            if not ids:
                continue
            response = await http.get(
                "/api/v1/resumes/", headers={"Authorization": f"Token {token}"}
            )
            if response.status_code != 200:
                continue  # asked again in a second
            for body in response.json()["results"]:
                if body["id"] not in ids or body["status"] == "parsing":
                    continue
                ids.discard(body["id"])
                outcome.resumes[body["status"]] += 1
                if body["status"] == "failed" and not body["error"]:
                    outcome.failed_without_reason += 1
                outcome.read_seconds.append(
                    _seconds_between(body["created_at"], body["updated_at"])
                )
        if any(waiting.values()):
            await asyncio.sleep(1)
    outcome.resumes["parsing"] += sum(len(ids) for ids in waiting.values())


def _seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
