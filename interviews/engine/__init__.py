"""The AI engines behind small interfaces; settings choose the implementation."""

from __future__ import annotations

from django.conf import settings

from interviews.engine.base import Engine


def get_engine() -> Engine:
    """Return the engine that writes questions, evaluates answers and writes the report."""
    if settings.LLM_PROVIDER == "openai":
        from interviews.engine.llm.engine import OpenAIEngine

        return OpenAIEngine()
    from interviews.engine.local.engine import LocalEngine

    return LocalEngine()
