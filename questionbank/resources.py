"""CSV / JSON import and export of questions for the admin (django-import-export)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import CharWidget, ForeignKeyWidget, Widget

from accounts.models import Organization
from questionbank.models import QUESTION_FIELDS, Level, Question, Skill, Track
from questionbank.services import LEVEL_BY_NAME, clean_points, question_set_points


class LinesWidget(Widget):
    """A list of strings as one cell, one item per line."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "\n".join(value or [])


class TagsWidget(Widget):
    """Tags as one comma-separated cell."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        items = value if isinstance(value, list) else str(value or "").split(",")
        return [str(t).strip().lower() for t in items if str(t).strip()]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return ", ".join(value or [])


class LevelWidget(Widget):
    """A level by name (intern … principal)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int:
        name = str(value or "").strip().lower()
        if name not in LEVEL_BY_NAME:
            raise ValueError(f"Unknown level “{value}”; use one of {', '.join(LEVEL_BY_NAME)}.")
        return int(LEVEL_BY_NAME[name])

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return Level(value).name.lower() if value else ""


class SkillWidget(ForeignKeyWidget):
    """A skill by slug, looked up within the row's track."""

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return Skill.objects.filter(track__slug=(row or {}).get("track"))

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except Skill.DoesNotExist:
            raise ValueError(f"No skill “{value}” in track “{(row or {}).get('track')}”.") from None


class QuestionResource(resources.ModelResource):
    track = fields.Field("track", "track", ForeignKeyWidget(Track, field="slug"))
    skill = fields.Field("skill", "skill", SkillWidget(Skill, field="slug"))
    level_min = fields.Field("level_min", "level_min", LevelWidget())
    level_max = fields.Field("level_max", "level_max", LevelWidget())
    owner = fields.Field("owner", "owner", ForeignKeyWidget(Organization, field="slug"))
    tags = fields.Field("tags", "tags", TagsWidget())
    text = fields.Field("text", "text", CharWidget())
    key_points = fields.Field(column_name="key_points", widget=LinesWidget())
    red_flags = fields.Field(column_name="red_flags", widget=LinesWidget())
    follow_ups = fields.Field(column_name="follow_ups", widget=LinesWidget())

    class Meta:
        model = Question
        fields = (
            *QUESTION_FIELDS,
            "key_points",
            "red_flags",
            "follow_ups",
            "tags",
            "status",
            "owner",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = False

    def dehydrate_key_points(self, question: Question) -> str:
        return "\n".join(p.text for p in question.key_points.all())

    def dehydrate_red_flags(self, question: Question) -> str:
        return "\n".join(p.text for p in question.red_flags.all())

    def dehydrate_follow_ups(self, question: Question) -> str:
        return "\n".join(p.text for p in question.follow_ups.all())

    def import_instance(self, instance: Question, row: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance._imported_points = clean_points(  # type: ignore[attr-defined]
                key_points=LinesWidget().clean(row.get("key_points")),
                red_flags=LinesWidget().clean(row.get("red_flags")),
                follow_ups=LinesWidget().clean(row.get("follow_ups")),
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance: Question, row: Any, **kwargs: Any) -> None:
        user = kwargs.get("user")
        if instance.author_id is None and user is not None and user.is_authenticated:
            instance.author = user

    def after_save_instance(self, instance: Question, row: Any, **kwargs: Any) -> None:
        points = instance._imported_points  # type: ignore[attr-defined]
        question_set_points(question=instance, points=points)
