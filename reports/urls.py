from __future__ import annotations

from django.urls import path

from reports import views

# Under /interviews/, beside the interview's own pages.
urlpatterns = [
    path("<uuid:interview_id>/report/", views.report, name="report"),
]

# The coaching pages, at the top level.
coaching_urlpatterns = [
    path("students/<int:student_id>/", views.student_detail, name="student_detail"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("progress/", views.progress_page, name="progress"),
    path("cohorts/<int:cohort_id>/analytics/", views.cohort_analytics, name="cohort_analytics"),
]
