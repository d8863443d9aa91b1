"""The interview room's WebSocket, end to end through Channels' WebsocketCommunicator."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework.authtoken.models import Token

from config.asgi import application
from interviews.models import Answer, Interview
from interviews.state import State

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
    # One event loop for the module: each loop's worker threads keep a database connection,
    # so a loop per test would hold one from the pool each.
    pytest.mark.asyncio(loop_scope="module"),
]
ORIGIN = (b"origin", b"http://localhost")
HOST = (b"host", b"localhost")


async def _open(interview_id, user=None, headers=(ORIGIN, HOST)):
    headers = list(headers)
    if user is not None:
        client = Client()
        await sync_to_async(client.force_login)(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    communicator = WebsocketCommunicator(
        application, f"/ws/interviews/{interview_id}/", headers=headers
    )
    connected, _ = await communicator.connect()
    return communicator, connected


async def _until(communicator, type_, **match):
    """Receive events until one of `type_` (matching the given fields) arrives; return all."""
    seen = []
    while True:
        event = await communicator.receive_json_from(timeout=10)
        seen.append(event)
        if event["type"] == type_ and all(event.get(k) == v for k, v in match.items()):
            return seen


async def _state(interview) -> str:
    await interview.arefresh_from_db()
    return interview.state


async def test_an_anonymous_visitor_is_closed_with_4403_and_sent_nothing(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    communicator, connected = await _open(interview.pk)
    assert connected
    assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4403}


async def test_another_users_interview_is_closed_with_4404(student, second_student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    communicator, _ = await _open(interview.pk, second_student)
    assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": 4404}
    assert await _state(interview) == State.READY


async def _token_header(user) -> tuple[bytes, bytes]:
    token, _ = await Token.objects.aget_or_create(user=user)
    return (b"authorization", f"Token {token.key}".encode())


async def test_an_api_client_signs_the_socket_in_with_its_token(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    communicator, connected = await _open(
        interview.pk, headers=(ORIGIN, HOST, await _token_header(student))
    )
    assert connected
    await communicator.send_json_to({"type": "sync", "after": 0})
    await _until(communicator, "state", state="ready")
    await communicator.send_json_to({"type": "start"})
    assert (await _until(communicator, "question"))[-1]["turn"] == 1
    await communicator.disconnect()


async def test_a_token_opens_only_its_owners_interview_and_a_wrong_one_nothing(
    student, second_student, make_interview
):
    interview = await sync_to_async(make_interview)(student)
    others, _ = await _open(
        interview.pk, headers=(ORIGIN, HOST, await _token_header(second_student))
    )
    assert await others.receive_output(timeout=2) == {"type": "websocket.close", "code": 4404}
    wrong, _ = await _open(interview.pk, headers=(ORIGIN, HOST, (b"authorization", b"Token nope")))
    assert await wrong.receive_output(timeout=2) == {"type": "websocket.close", "code": 4403}
    assert await _state(interview) == State.READY


@pytest.mark.parametrize(
    "headers",
    [
        (HOST,),
        ((b"origin", b"https://evil.example"), HOST),
        ((b"origin", b"http://localhost:8081"), HOST),  # the same host on another port
        ((b"origin", b"https://localhost"), HOST),  # or scheme
        ((b"origin", b"http://localhost:8000"), (b"host", b"localhost:8001")),
        ((b"origin", b"http://evil.example"), (b"host", b"evil.example")),  # not an allowed host
        ((b"origin", b"null"), HOST),
    ],
    ids=["none", "foreign", "other-port", "other-scheme", "port-pair", "bad-host", "null"],
)
async def test_a_missing_or_foreign_origin_is_refused(student, make_interview, headers):
    interview = await sync_to_async(make_interview)(student)
    _, connected = await _open(interview.pk, student, headers=headers)
    assert not connected


@pytest.mark.parametrize(
    ("headers", "site"),
    [
        (((b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")), {}),
        (((b"origin", b"HTTP://LOCALHOST:80"), HOST), {}),  # the default port written out
        (((b"origin", b"https://rehearse.example"),), {"SITE_URL": "https://rehearse.example/"}),
        (
            ((b"origin", b"https://localhost"), HOST, (b"x-forwarded-proto", b"https")),
            {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
        ),
    ],
    ids=["same-port", "default-port", "site-url", "behind-tls-proxy"],
)
async def test_the_sites_own_origin_is_accepted(student, make_interview, settings, headers, site):
    for name, value in site.items():
        setattr(settings, name, value)
    interview = await sync_to_async(make_interview)(student)
    ws, connected = await _open(interview.pk, student, headers=headers)
    assert connected
    await ws.disconnect()


async def test_behind_a_tls_proxy_a_plain_http_page_is_not_the_sites_origin(
    student, make_interview, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    interview = await sync_to_async(make_interview)(student)
    headers = (ORIGIN, HOST, (b"x-forwarded-proto", b"https"))
    _, connected = await _open(interview.pk, student, headers=headers)
    assert not connected


async def test_a_full_interview_over_the_websocket(student, make_interview):
    interview = await sync_to_async(make_interview)(student, num_questions=3)
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await _until(ws, "state", state="ready")

    await ws.send_json_to({"type": "start"})
    events = await _until(ws, "state", state="listening")
    questions = [e for e in events if e["type"] == "question"]
    assert questions[0]["number"] == 1 and questions[0]["total"] == 3
    assert "score" not in json.dumps(events)  # scores are never shown during the interview

    answered = 0
    while True:
        answered += 1
        await ws.send_json_to(
            {
                "type": "answer",
                "text": "I would profile first, then fix the slowest query: guessing wastes time.",
                "client_id": f"a{answered}",
            }
        )
        events = await _until(ws, "state")
        while events[-1]["state"] not in ("listening", "complete"):
            events += await _until(ws, "state")
        seqs = [e["seq"] for e in events]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
        if events[-1]["state"] == "complete":
            break
    await _until(ws, "report.ready")
    await ws.disconnect()
    assert await _state(interview) == State.FINISHED
    assert await Answer.objects.filter(interview=interview).acount() == answered


async def test_a_reconnecting_client_gets_exactly_what_it_missed(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    first, _ = await _open(interview.pk, student)
    await first.send_json_to({"type": "sync", "after": 0})
    seen = await _until(first, "state", state="ready")
    await first.disconnect()

    # While the student is away (another tab), the interview moves on.
    other, _ = await _open(interview.pk, student)
    await other.send_json_to({"type": "start"})
    await other.send_json_to({"type": "sync", "after": 0})
    await _until(other, "state", state="listening")
    await other.disconnect()

    again, _ = await _open(interview.pk, student)
    await again.send_json_to({"type": "sync", "after": seen[-1]["seq"]})
    missed = await _until(again, "state", state="listening")
    await again.disconnect()

    assert [e["seq"] for e in missed] == list(range(seen[-1]["seq"] + 1, missed[-1]["seq"] + 1))
    assert [e["type"] for e in missed].count("question") == 1


async def test_the_same_answer_sent_twice_is_stored_once(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await ws.send_json_to({"type": "start"})
    await _until(ws, "state", state="listening")

    message = {
        "type": "answer",
        "text": "My answer, sent twice by a flaky network.",
        "client_id": "dup-1",
    }
    await ws.send_json_to(message)
    await ws.send_json_to(message)
    await _until(ws, "transcript")
    await ws.disconnect()
    assert await Answer.objects.filter(client_id="dup-1").acount() == 1


async def test_bad_messages_get_an_error_and_change_nothing(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    ws, _ = await _open(interview.pk, student)

    await ws.send_to(text_data="{not json")
    assert (await ws.receive_json_from())["code"] == "bad_json"
    await ws.send_json_to({"type": "dance"})
    assert (await ws.receive_json_from())["code"] == "unknown_type"
    await ws.send_json_to(["start"])
    assert (await ws.receive_json_from())["code"] == "bad_message"
    await ws.send_to(bytes_data=b"\x00\x01")
    assert (await ws.receive_json_from())["code"] == "unexpected_binary"
    await ws.send_json_to({"type": "answer", "text": "too early", "client_id": "x"})
    error = await ws.receive_json_from()
    assert error == {
        "type": "error",
        "seq": None,
        "code": "not_started",
        "message": "Start the interview first.",
    }
    await ws.send_json_to({"type": "sync", "after": -3})
    assert (await ws.receive_json_from())["code"] == "bad_sync"
    await ws.disconnect()
    assert await _state(interview) == State.READY


async def test_a_nul_character_or_json_nested_past_the_stack_is_an_error_and_nothing_is_kept(
    student, make_interview
):
    interview = await sync_to_async(make_interview)(student)
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await ws.send_json_to({"type": "start"})
    await _until(ws, "state", state="listening")

    await ws.send_to(
        text_data='{"type": "answer", "text": "I would\\u0000 test", "client_id": "n1"}'
    )
    nul = await _until(ws, "error")
    await ws.send_to(
        text_data='{"type": "audio.end", "client_id": "n2", "browser_transcript": '
        '"a\\u0000b", "x": {"\\u0000": 1}}'
    )
    nul_in_transcript = await _until(ws, "error")
    await ws.send_to(text_data="[" * 30_000 + "]" * 30_000)
    deep = await _until(ws, "error")
    await ws.send_json_to(
        {"type": "answer", "text": "I would write a test \\u0000 first.", "client_id": "n3"}
    )  # the six characters, not a NUL: kept
    await _until(ws, "transcript")
    await ws.disconnect()

    assert nul[-1]["code"] == nul_in_transcript[-1]["code"] == "bad_character"
    assert "cannot be kept" in nul[-1]["message"]
    assert deep[-1]["code"] == "bad_json"
    assert [a.client_id async for a in Answer.objects.all()] == ["n3"]


async def test_an_answer_while_paused_is_refused(student, make_interview):
    interview = await sync_to_async(make_interview)(student)
    ws, _ = await _open(interview.pk, student)
    await ws.send_json_to({"type": "sync", "after": 0})
    await ws.send_json_to({"type": "start"})
    await _until(ws, "state", state="listening")
    await ws.send_json_to({"type": "pause"})
    await _until(ws, "state", state="paused")

    await ws.send_json_to({"type": "answer", "text": "hello", "client_id": "p1"})
    error = await _until(ws, "error")

    assert error[-1]["code"] == "paused" and error[-1]["seq"] is None
    await ws.disconnect()
    assert await Answer.objects.acount() == 0
    assert (await Interview.objects.aget(pk=interview.pk)).state == State.PAUSED


async def test_a_second_tab_answering_a_question_already_answered_gets_an_error(
    student, make_interview
):
    interview = await sync_to_async(make_interview)(student)
    first, _ = await _open(interview.pk, student)
    second, _ = await _open(interview.pk, student)
    for ws in (first, second):
        await ws.send_json_to({"type": "sync", "after": 0})
    await first.send_json_to({"type": "start"})
    question = (await _until(second, "question"))[-1]
    await _until(second, "state", state="listening")

    answer = "I would reproduce it, then profile it, because guessing wastes time."
    await first.send_json_to(
        {"type": "answer", "text": answer, "client_id": "a", "turn": question["turn"]}
    )
    await _until(second, "state", state="listening")  # the interviewer has asked the next one
    await second.send_json_to(
        {"type": "answer", "text": "Mine too.", "client_id": "b", "turn": question["turn"]}
    )
    error = await _until(second, "error")

    assert error[-1]["code"] == "question_moved_on" and error[-1]["seq"] is None
    for ws in (first, second):
        await ws.disconnect()
    assert [a.client_id async for a in Answer.objects.all()] == ["a"]
