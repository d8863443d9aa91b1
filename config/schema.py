"""The OpenAPI schema's refusals: every operation documents the `{code, message}` body it may
answer with on 400, 401, 403, 404 and 429 (config.errors.api_exception_handler writes them)."""

from __future__ import annotations

from typing import Any

REFUSALS = {
    "400": "The request is not valid (`code: invalid`, with each field's messages), or the "
    "service refused it.",
    "401": "No credentials, or wrong ones.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object for you (another user's is a 404 too), or no such page.",
    "429": "Too many requests; wait and try again.",
}


def document_refusals(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: add the refusals an operation lacks."""
    refusal = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, why in REFUSALS.items():
                responses.setdefault(status, {"description": why, "content": refusal})
    return result
