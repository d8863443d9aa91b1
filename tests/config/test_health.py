"""Health probes: liveness touches nothing, readiness needs the database, Redis and the layer."""

from __future__ import annotations

import pytest
from channels_redis.core import RedisChannelLayer

from config import health

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.django_db
def test_ready_when_the_database_the_cache_and_the_channel_layer_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"},
    }


@pytest.mark.django_db
def test_with_redis_unreachable_not_ready_but_alive(client, settings, monkeypatch):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOWHERE}
    }
    monkeypatch.setattr(health, "get_channel_layer", lambda: RedisChannelLayer(hosts=[NOWHERE]))

    ready = client.get("/healthz")
    alive = client.get("/livez")

    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failing", "channel_layer": "failing"},
    }
    assert "Connection" not in ready.content.decode()  # no error text for an anonymous probe
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}


@pytest.mark.django_db
def test_a_failing_database_makes_the_site_not_ready(client, monkeypatch):
    def down() -> None:
        raise ConnectionError("database down")

    monkeypatch.setitem(health.CHECKS, "database", down)

    assert client.get("/healthz").json()["checks"]["database"] == "failing"
    assert client.get("/livez").status_code == 200


def test_liveness_needs_no_database(client):
    assert client.get("/livez").status_code == 200  # no django_db mark: a query would fail
