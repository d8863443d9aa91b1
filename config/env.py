"""The environment the settings read (django-environ), and the readers that need more than one
line: a value from a fixed set, and the single sign-on providers whose credentials are set."""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Return the variable's value, lower-cased, refusing one that is not among the choices."""
    value = env.str(name, default=default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def social_providers() -> dict[str, dict[str, object]]:
    """Return allauth provider settings for each SSO provider whose credentials are set."""
    providers: dict[str, dict[str, object]] = {}
    if env.str("GOOGLE_CLIENT_ID", default=""):
        providers["google"] = {
            "APPS": [
                {"client_id": env.str("GOOGLE_CLIENT_ID"), "secret": env.str("GOOGLE_SECRET")}
            ],
            "SCOPE": ["profile", "email"],
        }
    if env.str("MICROSOFT_CLIENT_ID", default=""):
        providers["microsoft"] = {
            "APPS": [
                {
                    "client_id": env.str("MICROSOFT_CLIENT_ID"),
                    "secret": env.str("MICROSOFT_SECRET"),
                    "settings": {"tenant": env.str("MICROSOFT_TENANT", default="organizations")},
                }
            ]
        }
    if env.str("OIDC_CLIENT_ID", default=""):
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": env.str("OIDC_PROVIDER_ID", default="university"),
                    "name": env.str("OIDC_NAME", default="University login"),
                    "client_id": env.str("OIDC_CLIENT_ID"),
                    "secret": env.str("OIDC_SECRET"),
                    "settings": {"server_url": env.str("OIDC_SERVER_URL")},
                }
            ]
        }
    return providers
