"""The AI engines behind small interfaces; settings choose the implementation.

A plain package, not a Django app: it imports no app, so that every app may use it.
"""

from __future__ import annotations

from django.conf import settings

from ai.base import Engine
from ai.llm.engine import OpenAIEngine
from ai.local.engine import LocalEngine


def get_engine() -> Engine:
    """Return the engine that writes questions, evaluates answers and writes the report."""
    if settings.LLM_PROVIDER == "openai":
        return OpenAIEngine()
    return LocalEngine()
