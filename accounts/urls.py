from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/accommodations/", views.accommodations, name="accommodations"),
    path("join/", views.join, name="join"),
    path("organisation/", views.organization, name="organization"),
    path("cohorts/new/", views.cohort_edit, name="cohort_create"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
]
