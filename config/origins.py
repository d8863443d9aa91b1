"""Which pages may open a WebSocket: this site's own, to the scheme, host and port.

Channels' AllowedHostsOriginValidator compares only the Origin's host with ALLOWED_HOSTS, so a page
served from the same host on another port or over plain HTTP could open a student's interview with
their cookie. Here the Origin must be, exactly, the origin the socket was opened on (the request's
Host, with `http` for `ws` and `https` for `wss`, the proxy's scheme behind a TLS proxy), the
site's `SITE_URL`, or one of `CSRF_TRUSTED_ORIGINS`: the rule Django's CSRF check applies to forms.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin(url: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) of an origin or URL, the port written out; None if it is not one."""
    try:
        parts = urlsplit(url.strip().lower())
        port = str(parts.port) if parts.port else DEFAULT_PORTS.get(parts.scheme, "")
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port


def allowed(scope: dict[str, Any]) -> bool:
    """Whether the socket's Origin header is this site's origin."""
    headers = {name: value.decode("latin-1") for name, value in scope.get("headers", [])}
    claimed = origin(headers.get(b"origin", ""))
    if claimed is None:
        return False
    trusted = {origin(url) for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]}
    host = headers.get(b"host", "")
    if host and validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        trusted.add(origin(f"{_scheme(scope, headers)}://{host}"))
    return claimed in trusted


def _scheme(scope: dict[str, Any], headers: dict[bytes, str]) -> str:
    """The page's scheme: the TLS proxy's word for it when there is one (BEHIND_TLS_PROXY; Daphne
    leaves a socket's scope at `ws` behind it), else the socket's own."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        if name in headers:
            return "https" if headers[name] == secure else "http"
    return "https" if scope.get("scheme") == "wss" else "http"


class SameOriginValidator:
    """ASGI middleware: a WebSocket from any other origin is refused before it is accepted."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
