"""For migrations that move a model to another app: its content type (and with it its
permissions and admin history) follows it."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def content_type_moves(model: str, *, old_app: str, new_app: str) -> migrations.RunPython:
    """Return the operation that gives the model's content type to its new app."""

    def move(apps: Any, schema_editor: Any) -> None:
        content_types = apps.get_model("contenttypes", "ContentType").objects
        if not content_types.filter(app_label=new_app, model=model).exists():
            content_types.filter(app_label=old_app, model=model).update(app_label=new_app)

    return migrations.RunPython(move, migrations.RunPython.noop)
