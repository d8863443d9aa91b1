"""The question bank's curation tool for site staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin

from questionbank.models import (
    CodingProblem,
    FollowUp,
    KeyPoint,
    Question,
    QuestionSet,
    QuestionSetItem,
    RedFlag,
    Skill,
    Track,
)
from questionbank.resources import QuestionResource
from questionbank.services import (
    FOLLOW_UPS_MIN,
    KEY_POINTS_MAX,
    KEY_POINTS_MIN,
    RED_FLAGS_MAX,
    RED_FLAGS_MIN,
)


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0
    fields = ("slug", "name", "description")
    show_change_link = True


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (SkillInline,)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "track", "slug")
    list_filter = ("track",)
    search_fields = ("name", "slug", "description")


class CountedInline(admin.TabularInline):
    """An inline whose number of rows is enforced on save, not only offered on screen."""

    extra = 0
    fields = ("position", "text")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return super().get_formset(request, obj, validate_min=True, validate_max=True, **kwargs)


class KeyPointInline(CountedInline):
    model = KeyPoint
    min_num = KEY_POINTS_MIN
    max_num = KEY_POINTS_MAX


class RedFlagInline(CountedInline):
    """The wrong claims and bad practices a panel would reject, each as the candidate says it."""

    model = RedFlag
    min_num = RED_FLAGS_MIN
    max_num = RED_FLAGS_MAX


class CodingProblemInline(admin.StackedInline):
    """A coding question's function, tests (the hidden ones' outputs never reach a browser),
    reference solution, complexity and step key points, edited as JSON."""

    model = CodingProblem
    extra = 0
    max_num = 1


class FollowUpInline(CountedInline):
    model = FollowUp
    min_num = FOLLOW_UPS_MIN


class TagsField(forms.CharField):
    """Edit a list of tags as comma-separated words."""

    def prepare_value(self, value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else (value or "")

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [t.strip().lower() for t in text.split(",") if t.strip()]


class QuestionForm(forms.ModelForm):
    tags = TagsField(required=False, help_text="Comma-separated, e.g. latency, profiling.")

    class Meta:
        model = Question
        fields = "__all__"  # noqa: DJ007
        widgets = {
            "text": forms.Textarea({"rows": 3}),
            "reference_answer": forms.Textarea({"rows": 8}),
        }


@admin.register(Question)
class QuestionAdmin(ImportExportModelAdmin):
    form = QuestionForm
    resource_classes = (QuestionResource,)
    list_display = ("__str__", "track", "skill", "type", "difficulty", "status", "owner")
    list_filter = ("track", "skill", "type", "difficulty", "status", "owner")
    list_select_related = ("track", "skill__track", "owner")
    search_fields = ("text", "reference_answer", "skill__name")
    autocomplete_fields = ("skill",)
    readonly_fields = ("author", "created_at", "updated_at")
    inlines = (KeyPointInline, RedFlagInline, FollowUpInline, CodingProblemInline)
    actions = ("publish", "archive")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("track", "skill", "type", "status", "owner")}),
        ("Level", {"fields": ("difficulty", "level_min", "level_max")}),
        ("Question", {"fields": ("text", "reference_answer", "tags")}),
        ("History", {"fields": ("author", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Question], status: str) -> None:
        count = queryset.update(status=status, updated_at=timezone.now())
        self.message_user(request, f"{count} question(s) marked {status}.", messages.SUCCESS)

    @admin.action(description="Publish the selected questions")
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._set_status(request, queryset, Question.Status.PUBLISHED)

    @admin.action(description="Archive the selected questions")
    def archive(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._set_status(request, queryset, Question.Status.ARCHIVED)


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    extra = 1
    autocomplete_fields = ("question",)
    fields = ("position", "question")


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "updated_at")
    list_filter = ("owner",)
    search_fields = ("name", "description")
    inlines = (QuestionSetItemInline,)
