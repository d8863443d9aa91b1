"""Response headers that tell the browser what a page may do: the Permissions-Policy.

The Content-Security-Policy is django-csp's (settings: CONTENT_SECURITY_POLICY): scripts, styles,
fonts and media only from this site, no plugins, no framing. Here, the browser features: no page
may use the camera, geolocation or payments, and only the interview room the microphone
(`allow_microphone`), so that a script injected anywhere else could not listen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

NOTHING = "camera=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), bluetooth=()"
PERMISSIONS_POLICY = f"microphone=(), {NOTHING}"
MICROPHONE_POLICY = f"microphone=(self), {NOTHING}"


class PermissionsPolicy:
    """Middleware: every response gets the Permissions-Policy unless its view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def allow_microphone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that records the student: the microphone for this site's own page only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Permissions-Policy"] = MICROPHONE_POLICY
        return response

    return wrapped
