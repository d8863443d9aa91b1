"""allauth as configured: rate limits, password reset, SSO providers switched on by credentials."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "nope"})

    response = client.post(
        reverse("account_login"), {"login": "target@example.com", "password": PASSWORD}
    )

    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_password_reset_sends_a_link_by_email(client):
    UserFactory(email="forgetful@example.com")

    client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})

    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_no_sso_button_without_credentials(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get(reverse("account_login")).content.decode()
    assert "/accounts/google/login/" not in page
    assert "/accounts/oidc/" not in page


def test_sso_providers_appear_when_their_credentials_are_set(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "id", "secret": "s"}]},
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "northbridge",
                    "name": "Northbridge login",
                    "client_id": "id",
                    "secret": "s",
                    "settings": {"server_url": "https://idp.northbridge.example"},
                }
            ]
        },
    }
    page = client.get(reverse("account_login")).content.decode()
    assert "/accounts/google/login/" in page
    assert "Northbridge login" in page
