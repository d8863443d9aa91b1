"""Health probes: is the process alive (`/livez`), and can it serve students (`/healthz`)?

`/livez` answers as long as the process does, touching nothing else: a container manager restarts
a web process that stops answering it, and must not restart every web process because Redis is
down. `/healthz` is the readiness check a load balancer and `docker compose` wait on: it answers
200 only when the database, the cache (Redis, where allauth keeps its rate limits and lockouts) and
the channel layer (Redis too, which carries every live interview's events) all answer within
`CHECK_SECONDS`, and 503 naming the failing ones otherwise, without their error text (a probe is
anonymous).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

CHECK_SECONDS = 3


@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {name: _passes(name, check) for name, check in CHECKS.items()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
        },
        status=200 if ready else 503,
    )


def _passes(name: str, check: Callable[[], None]) -> bool:
    try:
        check()
    except Exception:
        logger.warning("readiness check %s failed", name, exc_info=True)
        return False
    return True


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=CHECK_SECONDS)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _channel_layer() -> None:
    async_to_sync(_round_trip)()


async def _round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured")
    channel = await layer.new_channel("readyz.")
    async with asyncio.timeout(CHECK_SECONDS):
        await layer.send(channel, {"type": "readyz"})
        if (await layer.receive(channel)).get("type") != "readyz":
            raise RuntimeError("the channel layer gave back another message")


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "channel_layer": _channel_layer,
}
