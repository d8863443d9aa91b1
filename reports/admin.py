"""Coaches' reviews, for site staff looking into a complaint (coaches write them on the site)."""

from __future__ import annotations

from django.contrib import admin

from reports.models import AnswerReview, Review


class AnswerReviewInline(admin.TabularInline):
    model = AnswerReview
    extra = 0
    raw_id_fields = ("turn",)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("interview", "reviewer", "created_at", "updated_at")
    raw_id_fields = ("interview", "reviewer")
    inlines = (AnswerReviewInline,)
