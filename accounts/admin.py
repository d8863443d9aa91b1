from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import (
    Accommodations,
    Cohort,
    Invitation,
    Membership,
    Organization,
    OrganizationDomain,
    User,
)


class MembershipInline(admin.StackedInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("organization",)


class AccommodationsInline(admin.StackedInline):
    model = Accommodations
    fk_name = "user"
    extra = 0
    readonly_fields = ("updated_by", "updated_at")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "name", "organization", "role", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "_membership__role", "_membership__organization")
    search_fields = ("email", "name")
    inlines = (MembershipInline, AccommodationsInline)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("_membership__organization")

    @admin.display(description="Organisation")
    def organization(self, user: User) -> str:
        return str(user.membership.organization) if user.membership else "—"

    @admin.display(description="Role")
    def role(self, user: User) -> str:
        return user.membership.get_role_display() if user.membership else "—"


class OrganizationDomainInline(admin.TabularInline):
    model = OrganizationDomain
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "join_code",
        "show_readiness_verdict",
        "audio_retention_days",
        "think_time_seconds",
        "answer_pause_seconds",
    )
    search_fields = ("name", "slug")
    prepopulated_fields: ClassVar = {"slug": ("name",)}
    inlines = (OrganizationDomainInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "joined_at")
    list_filter = ("role", "organization")
    search_fields = ("user__email", "user__name", "organization__name")
    autocomplete_fields = ("user", "organization")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "created_at")
    list_filter = ("organization",)
    search_fields = ("name",)
    filter_horizontal = ("students",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organization", "cohort", "invited_by", "created_at", "accepted_at")
    list_filter = ("organization",)
    search_fields = ("email", "name")
    readonly_fields = ("token", "created_at", "accepted_at")
    autocomplete_fields = ("organization", "invited_by")
