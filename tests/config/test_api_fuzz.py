"""Schemathesis against the API's own schema, in process: for every operation a bounded number of
generated requests, signed in as a student with data of her own. No answer is a 5xx, and every
answer (status, content type, body) is one the schema documents."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Read at collection, through the app itself (making the schema reads no table).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def token(student, finished_interview) -> str:
    """A student with a finished interview, signed in by her API token."""
    finished_interview(student)
    return Token.objects.create(user=student).key


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,  # the same requests every run: a failure here is never a fluke
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def test_a_bad_field_and_an_unknown_address_get_the_refusal_body(student, client_for):
    api = client_for(student)
    bad = api.post(
        "/api/v1/interviews/preview/", {"track": "no-such"}, content_type="application/json"
    )
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "invalid" and body["message"].startswith("track: ")
    assert set(body["errors"]) == {"track"}
    nowhere = api.get("/api/v1/students/not-a-number/")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "not_found"
    assert client_for(student).get("/no-such-page/").status_code == 404  # the site's own page


def test_the_schema_documents_every_refusal_with_its_body():
    operation = schema["/api/v1/interviews/{id}/end/"]["POST"].definition.raw
    for status in ("400", "401", "403", "404", "409", "429"):
        assert status in operation["responses"], status
    refusal = operation["responses"]["404"]["content"]["application/json"]["schema"]
    assert refusal == {"$ref": "#/components/schemas/Refusal"}
