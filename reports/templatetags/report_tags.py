"""Template filters of the report page."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def clock(seconds: float | None) -> str:
    """Show a length of time as minutes and seconds: 95.4 → "1:35"."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


@register.filter
def get_item(mapping: dict[object, object] | None, key: object) -> object:
    """Look up a key in a dict from a template: `{{ by_position|get_item:q.position }}`."""
    return (mapping or {}).get(key)
