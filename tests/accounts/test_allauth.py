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


def test_the_admins_own_login_form_cannot_be_guessed_at(client):
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    for _ in range(30):
        client.post("/admin/login/", {"username": "admin@example.com", "password": "nope"})

    right = client.post("/admin/login/", {"username": "admin@example.com", "password": PASSWORD})

    assert right.status_code == 302
    assert right["Location"].startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302  # not signed in


def test_staff_sign_in_through_the_site_login_under_its_lockout_and_reach_the_admin(client):
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    sent = client.get("/admin/")
    login = client.get(sent["Location"], follow=True)
    assert login.status_code == 200 and "password" in login.content.decode()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "admin@example.com", "password": "nope"})
    locked = client.post(
        reverse("account_login"), {"login": "admin@example.com", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in locked.content.decode()
    cache.clear()  # the lockout over

    signed_in = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": "admin@example.com", "password": PASSWORD},
        follow=True,
    )

    assert signed_in.request["PATH_INFO"] == "/admin/"
    assert "Site administration" in signed_in.content.decode()


def _token(client, email: str, password: str):
    return client.post(reverse("api-token"), {"username": email, "password": password})


def test_the_token_endpoint_shares_the_site_logins_lockout(client):
    UserFactory(email="target@example.com")
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "no"})
    assert _token(client, "target@example.com", "nope").status_code == 400
    assert _token(client, "target@example.com", "nope again").status_code == 400

    locked = _token(client, "target@example.com", PASSWORD)

    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_login_attempts"
    assert "Too many failed login attempts" in locked.json()["message"]
    cache.clear()
    assert _token(client, "target@example.com", PASSWORD).json()["token"]


def test_a_password_reset_revokes_the_api_token(client):
    from rest_framework.test import APIClient

    UserFactory(email="forgetful@example.com")
    token = _token(client, "forgetful@example.com", PASSWORD).json()["token"]
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/interviews/").status_code == 200

    client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    link = next(w for w in mail.outbox[0].body.split() if "/password/reset/key/" in w)
    form = client.get(link, follow=True)
    new = "a-New-passw0rd-2026"
    changed = client.post(
        form.request["PATH_INFO"], {"password1": new, "password2": new}, follow=True
    )

    assert "changed" in changed.content.decode().lower()
    assert api.get("/api/v1/interviews/").status_code == 401
    assert _token(client, "forgetful@example.com", new).json()["token"] != token


def test_saving_a_user_without_a_new_password_keeps_the_token(client):
    from rest_framework.authtoken.models import Token

    user = UserFactory(email="keeper@example.com")
    token = Token.objects.create(user=user)
    user.first_name = "Kept"
    user.save()
    user.save(update_fields=["last_login"])
    assert Token.objects.filter(pk=token.pk).exists()

    user.set_password("another-Passw0rd-1")
    user.save()
    assert not Token.objects.filter(user=user).exists()
