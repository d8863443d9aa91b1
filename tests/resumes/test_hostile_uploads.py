"""Hostile uploads against the real web tier: Daphne as deployed (config.serve), a documents
worker, PostgreSQL and Redis. While each bad request is handled, the site goes on answering (a
page that needs Django's request thread, within 1 s), and the bad request ends refused with a
reason: a body too large (announced or chunked) with 413 before it is stored, a Flate bomb on
the resume as the worker's refusal, a PDF with a script as a download only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench import mixed
from tests.processes import needs_services
from tests.resumes import resume_pdfs

pytestmark = [pytest.mark.django_db(transaction=True), needs_services]

GIGABYTE = 1024**3
BLOCK = b"x" * (256 * 1024)


@pytest.fixture
def student() -> mixed.Student:
    return mixed.enrol(1, "hostile")[0]


@pytest.fixture
def token(student) -> str:
    return student.token


def responsive_while(url: str, token: str, bad: Callable[[], Any]) -> tuple[Any, list[float]]:
    """Run `bad` in a thread; meanwhile ask for the student's resumes (a view in Django's request
    thread) again and again. Return what `bad` returned and how long each answer took."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = bad()
        except BaseException as error:  # re-raised below, in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    took: list[float] = []
    headers = {"Authorization": f"Token {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=10) as http:
        while thread.is_alive() or len(took) < 3:
            started = time.monotonic()
            assert http.get("/api/v1/resumes/").status_code == 200
            took.append(time.monotonic() - started)
            time.sleep(0.1)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value"), took


def send_body(url: str, head: bytes, chunks: Any) -> tuple[bytes, int]:
    """Send a request's head, then its body until the server stops taking it; return the
    server's answer and how many bytes of the body it took."""
    host, port = url.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(head)
        try:
            for chunk in chunks:
                conn.sendall(chunk)
                sent += len(chunk)
        except OSError:  # the server answered and closed the connection
            pass
        conn.settimeout(10)
        return conn.recv(65536), sent


def rss_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kilobytes) * 1024


def settled(url: str, token: str, resume_id: str, seconds: float = 60) -> dict[str, Any]:
    """The resume once the worker has read or refused it."""
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Token {token}"}
    while True:
        body = httpx.get(f"{url}/api/v1/resumes/{resume_id}/", headers=headers).json()
        if body["status"] != "parsing" or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


@pytest.mark.parametrize("chunked", [False, True], ids=["announced", "chunked"])
def test_a_gigabyte_body_is_refused_as_it_arrives_and_never_held(daphne, token, chunked):
    pid = daphne.process.pid
    before = rss_bytes(pid)
    if chunked:
        head = b"POST /api/v1/resumes/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        body = (b"%x\r\n%s\r\n" % (len(BLOCK), BLOCK) for _ in range(GIGABYTE // len(BLOCK)))
    else:
        head = b"POST /api/v1/resumes/ HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n" % GIGABYTE
        body = (BLOCK for _ in range(GIGABYTE // len(BLOCK)))
    head += b"Authorization: Token %s\r\nContent-Type: application/pdf\r\n\r\n" % token.encode()

    def send() -> tuple[bytes, int]:
        return send_body(daphne.url, head, body)

    (answer, sent), took = responsive_while(daphne.url, token, send)

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"at most 6 MB" in answer
    assert sent < 64 * 1024 * 1024  # it stopped taking the body long before its end
    assert rss_bytes(pid) - before < 64 * 1024 * 1024
    assert max(took) < 1.0, took
    headers = {"Authorization": f"Token {token}"}
    assert httpx.get(f"{daphne.url}/api/v1/resumes/", headers=headers).json()["count"] == 0


def test_a_flate_bomb_is_stored_at_once_and_refused_by_the_worker_while_the_site_answers(
    daphne, worker, token
):
    bomb = resume_pdfs.flate_bomb()
    headers = {"Authorization": f"Token {token}"}

    def upload_and_wait() -> dict[str, Any]:
        files = {"file": ("bomb.pdf", bomb, "application/pdf")}
        started = time.monotonic()
        response = httpx.post(f"{daphne.url}/api/v1/resumes/", files=files, headers=headers)
        assert response.status_code == 201, response.text
        assert time.monotonic() - started < 1.0  # stored unread: opening it is the worker's
        return settled(daphne.url, token, response.json()["id"])

    refused, took = responsive_while(daphne.url, token, upload_and_wait)

    assert refused["status"] == "failed"
    assert "far bigger inside than a resume needs" in refused["error"]
    assert max(took) < 1.0, took
    # The worker is none the worse: the next resume is read.
    files = {"file": ("cv.pdf", resume_pdfs.one_column(), "application/pdf")}
    fine = httpx.post(f"{daphne.url}/api/v1/resumes/", files=files, headers=headers).json()
    assert settled(daphne.url, token, fine["id"])["status"] == "ready"


@pytest.mark.parametrize(
    "make", [resume_pdfs.javascript_pdf, resume_pdfs.html_polyglot], ids=["javascript", "html"]
)
def test_a_pdf_with_a_script_is_read_and_only_ever_served_as_a_download(
    daphne, worker, student, token, make, settings
):
    headers = {"Authorization": f"Token {token}"}

    def upload_and_wait() -> dict[str, Any]:
        files = {"file": ("cv.pdf", make(), "application/pdf")}
        response = httpx.post(f"{daphne.url}/api/v1/resumes/", files=files, headers=headers)
        return settled(daphne.url, token, response.json()["id"])

    resume, took = responsive_while(daphne.url, token, upload_and_wait)

    assert resume["status"] == "ready" and resume["profile"]["name"] == "Priya Raman"
    served = httpx.get(resume["file_url"], cookies={settings.SESSION_COOKIE_NAME: student.session})
    assert served.status_code == 200
    assert served.headers["content-disposition"] == 'attachment; filename="cv.pdf"'
    assert served.headers["x-content-type-options"] == "nosniff"
    assert max(took) < 1.0, took
