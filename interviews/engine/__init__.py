"""The AI engines behind small interfaces; settings choose the implementation."""

from __future__ import annotations

from interviews.engine.base import Engine


def get_engine() -> Engine:
    """Return the engine that evaluates answers and writes follow-ups."""
    from interviews.engine.local.engine import LocalEngine

    return LocalEngine()
