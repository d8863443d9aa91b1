"""Read-only views of interviews for site staff investigating a student's problem."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.models import AccessRecord
from interviews import services
from interviews.models import Answer, Assignment, Event, Interview, Turn


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields  # shown, never a form field (asked_at and created_at are not editable)


class TurnInline(ReadOnlyInline):
    model = Turn
    fields = ("position", "number", "kind", "followup_type", "text", "asked_at")


class EventInline(ReadOnlyInline):
    model = Event
    fields = ("seq", "type", "payload", "created_at")


class LoggedReads(admin.ModelAdmin):
    """Site staff opening a student's interview, or an answer of it, is logged, as a coach's
    read is (the student and their centre's admins see it)."""

    def read_interview(self, obj: Any) -> Interview:
        raise NotImplementedError

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            services.interview_read_log(
                viewer=request.user,  # type: ignore[arg-type]
                interview=self.read_interview(obj),
                what=AccessRecord.What.INTERVIEW,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Interview)
class InterviewAdmin(LoggedReads):
    list_display = (
        "created_at",
        "user",
        "track",
        "level",
        "interview_type",
        "state",
        "organization",
    )
    list_filter = ("state", "track", "interview_type", "organization")
    search_fields = ("user__email", "id")
    list_select_related = ("user", "track", "organization")
    readonly_fields = [f.name for f in Interview._meta.fields]
    inlines = (TurnInline, EventInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def read_interview(self, obj: Interview) -> Interview:
        return obj


@admin.register(Answer)
class AnswerAdmin(LoggedReads):
    list_display = ("received_at", "interview", "kind", "client_id")
    list_filter = ("kind",)
    search_fields = ("interview__user__email", "client_id")
    readonly_fields = [f.name for f in Answer._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def read_interview(self, obj: Answer) -> Interview:
        return obj.interview


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Practice coaches set; coaches and admins manage it on the site, staff look here."""

    list_display = ("title", "organization", "cohort", "track", "opens_at", "due_at")
    list_filter = ("organization",)
    search_fields = ("title",)
    raw_id_fields = ("students", "created_by", "cohort", "question_set")
    date_hierarchy = "due_at"
