"""The browser-facing policy headers: Content-Security-Policy everywhere, the microphone only in
the interview room."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_page_has_a_policy_of_this_site_only_with_no_inline_script(client):
    response = client.get("/accounts/login/")
    directives = _directives(response)

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "<style>" not in response.content.decode()  # the entrance's own styles are a file


def test_no_page_but_the_room_may_use_the_microphone(client_for, student, make_interview):
    client = client_for(student)
    interview = make_interview(student)

    home = client.get("/dashboard/")
    setup = client.get("/interviews/new/")
    room = client.get(f"/interviews/{interview.pk}/")

    assert "microphone=()" in home["Permissions-Policy"]
    assert "microphone=()" in setup["Permissions-Policy"]
    assert room.status_code == 200
    assert room["Permissions-Policy"].startswith("microphone=(self)")
    assert "camera=()" in room["Permissions-Policy"]
    assert "script-src 'self'" in room["Content-Security-Policy"]


def test_the_api_and_the_health_probe_carry_the_headers_too(client):
    assert "microphone=()" in client.get("/livez")["Permissions-Policy"]
    assert "default-src 'self'" in client.get("/livez")["Content-Security-Policy"]


def test_the_api_docs_page_runs_no_inline_script(client):
    page = client.get("/api/v1/docs/").content.decode()
    init = client.get("/api/v1/docs/?script=")

    scripts = [tag for tag in page.split("<script")[1:]]
    assert scripts and all(tag.lstrip().startswith("src=") for tag in scripts)
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()
