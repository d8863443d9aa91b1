"""Recorded OpenAI chat-completion responses, in the API's real formats, served at the transport.

`Provider` is an `httpx2.MockTransport` handler: each request to /chat/completions is answered
by the next scripted reply for the schema it asks for ("evaluation", "question", "followup",
"summary", "resume", "job"), or by a default good reply. Requests are kept for assertions.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx2

from ai import providers

CREATED = 1763700000
MODEL = "gpt-4.1-2025-04-14"

Reply = Callable[[httpx2.Request], httpx2.Response]


@contextmanager
def serving(handler: Reply) -> Iterator[None]:
    """For the block, the OpenAI-compatible clients are answered by `handler` at the transport."""
    providers.HTTP_TRANSPORT = httpx2.MockTransport(handler)
    providers.reset()
    try:
        yield
    finally:
        providers.HTTP_TRANSPORT = None
        providers.reset()


def completion(content: str | None, *, refusal: str | None = None) -> Reply:
    """A 200 chat completion whose message carries `content` (or a refusal)."""
    body = {
        "id": "chatcmpl-CT9rWk2yQ0rhe1JvA5mbb3gZ8xYzq",
        "object": "chat.completion",
        "created": CREATED,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": refusal,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 812,
            "completion_tokens": 164,
            "total_tokens": 976,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_b3f1157249",
    }
    return lambda request: httpx2.Response(200, json=body)


def streamed(content: str, *, pieces: int = 6) -> Reply:
    """A 200 streamed chat completion (server-sent events) that writes `content` in pieces."""
    size = max(1, len(content) // pieces)
    chunks = [content[i : i + size] for i in range(0, len(content), size)]

    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        data = {
            "id": "chatcmpl-CT9rXs1bq8CwJ5Hn0pLr3Vd2Q7uWm",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": MODEL,
            "service_tier": "default",
            "system_fingerprint": "fp_b3f1157249",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return f"data: {json.dumps(data)}\n\n"

    events = [chunk({"role": "assistant", "content": "", "refusal": None})]
    events += [chunk({"content": piece}) for piece in chunks]
    events += [chunk({}, "stop"), "data: [DONE]\n\n"]
    body = "".join(events).encode()
    return lambda request: httpx2.Response(
        200, headers={"content-type": "text/event-stream; charset=utf-8"}, content=body
    )


def error(status: int) -> Reply:
    """An error response as the API sends it (429 asks for a retry after 1 ms)."""
    bodies = {
        429: (
            "Rate limit reached for gpt-4.1 in organization org-rehearse on tokens per min "
            "(TPM): Limit 30000, Used 29804, Requested 976. Please try again in 1.56s.",
            "tokens",
            "rate_limit_exceeded",
        ),
        500: (
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            None,
        ),
        401: (
            "Incorrect API key provided: sk-wrong. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
        ),
    }
    message, kind, code = bodies[status]
    headers = {"retry-after-ms": "1"} if status in (429, 500) else {}
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return lambda request: httpx2.Response(status, headers=headers, json=body)


def timeout(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ReadTimeout("timed out", request=request)


def unreachable(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)


# --- Good replies, per schema --------------------------------------------------------------------


def evaluation_json(
    key_points: int, *, score: float = 7.5, followup: bool = False, red_flags: int = 0
) -> str:
    return json.dumps(
        {
            "technical": score,
            "depth": score - 0.5,
            "experience": score - 1,
            "clarity": score,
            "confidence": score,
            "key_points": [
                {"key_point": f"point {i + 1}", "covered": i == 0, "evidence": "an index"}
                for i in range(key_points)
            ],
            "red_flag_verdicts": [
                {"red_flag": f"flag {i + 1}", "made": False, "evidence": ""}
                for i in range(red_flags)
            ],
            "strengths": ["Measured before and after the change"],
            "missing": ["How writes are affected"],
            "red_flags": [],
            "seniority_signals": ["Weighs trade-offs unprompted"],
            "followup_needed": followup,
            "followup_type": "probe" if followup else "",
            "followup_reason": "Did not say why the index helps." if followup else "",
        }
    )


def question_json(text: str) -> str:
    return json.dumps(
        {
            "question": text,
            "reference_answer": "Measure first, find the bottleneck, fix it, then measure again.",
            "key_points": [
                "Measures before changing anything",
                "Finds the bottleneck with a profiler",
                "Checks the fix under realistic load",
            ],
            "red_flags": [
                "Adds a cache before measuring where the time goes",
                "Says the slowness is the users' network and changes nothing",
            ],
        }
    )


FOLLOWUP_JSON = json.dumps(
    {"followup_type": "example", "question": "Tell me about a time you did exactly that."}
)
SUMMARY_JSON = json.dumps(
    {
        "summary": "You handled the performance questions with real numbers and a clear order "
        "of steps. Work next on saying why each fix works before you move on."
    }
)

# How the model reads tests/interviews/resume_pdfs.one_column() and a junior backend advert.
RESUME_JSON = json.dumps(
    {
        "name": "Priya Raman",
        "headline": "Software Engineer",
        "education": [
            {
                "institution": "University of Manchester",
                "qualification": "BSc (Hons) Computer Science with Industrial Experience",
                "dates": "Sep 2020 - Jun 2025",
            }
        ],
        "roles": [
            {
                "title": "Backend Engineering Intern",
                "organisation": "Acme Payments",
                "start": "Jun 2023",
                "end": "Aug 2024",
                "highlights": [
                    "Led the migration of the billing service from MySQL to PostgreSQL with no "
                    "downtime."
                ],
                "tools": ["Postgres", "MySQL", "Django"],
            }
        ],
        "projects": [
            {
                "name": "Food Bank Rota Planner",
                "description": "Django and React app that schedules volunteer shifts.",
                "tools": ["Django", "React"],
            }
        ],
        "skills": ["Python", "Postgres", "Django", "Docker", "Stakeholder updates"],
    },
    ensure_ascii=False,
)
JOB_JSON = json.dumps(
    {
        "title": "Junior Backend Engineer",
        "level": 2,
        "level_reason": "the title says Junior",
        "requirements": ["Python", "Django", "Postgres", "REST APIs"],
        "desirable": ["Kubernetes"],
    }
)


# Distinct questions the fake provider writes, in turn.
WRITTEN_QUESTIONS = [
    "Your checkout API went from 200 ms to 3 s after Tuesday's release. How do you find out why?",
    "A teammate wants to rewrite a legacy billing module from scratch. How do you respond?",
    "Walk me through designing rate limiting for a public API used by ten thousand clients.",
    "You inherit a flaky test suite that fails one run in five. What do you do first?",
    "How would you roll out a database schema change to a table with a billion rows?",
    "A customer reports that they were charged twice. How do you investigate and fix it?",
    "Tell me about a time you disagreed with a code review comment. What happened?",
    "How would you decide between a message queue and direct HTTP calls between two services?",
]


def schema_of(request: httpx2.Request) -> str:
    body = json.loads(request.content)
    return str(body["response_format"]["json_schema"]["name"])


class Provider:
    """A scripted OpenAI-compatible endpoint."""

    def __init__(self) -> None:
        self.script: dict[str, deque[Reply]] = defaultdict(deque)
        self.requests: list[httpx2.Request] = []
        self.questions_written = 0

    def then(self, schema: str, *replies: Reply) -> Provider:
        self.script[schema].extend(replies)
        return self

    def bodies(self, schema: str | None = None) -> list[dict[str, Any]]:
        bodies = [json.loads(r.content) for r in self.requests]
        if schema is None:
            return bodies
        return [b for b in bodies if b["response_format"]["json_schema"]["name"] == schema]

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        schema = schema_of(request)
        if self.script[schema]:
            return self.script[schema].popleft()(request)
        return self.default(schema, request)

    def default(self, schema: str, request: httpx2.Request) -> httpx2.Response:
        if schema == "evaluation":
            user = json.loads(request.content)["messages"][1]["content"]
            points = user.split("<key_points>")[1].split("</key_points>")[0]
            flags = user.split("<red_flags>")[1].split("</red_flags>")[0]
            return completion(evaluation_json(points.count("\n- "), red_flags=flags.count("\n- ")))(
                request
            )
        if schema == "question":
            text = WRITTEN_QUESTIONS[self.questions_written % len(WRITTEN_QUESTIONS)]
            self.questions_written += 1
            return streamed(question_json(text))(request)
        if schema == "followup":
            return completion(FOLLOWUP_JSON)(request)
        if schema == "resume":
            return completion(RESUME_JSON)(request)
        if schema == "job":
            return completion(JOB_JSON)(request)
        return completion(SUMMARY_JSON)(request)
