from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/accommodations/", views.accommodations, name="accommodations"),
    path("profile/export/", views.export_request, name="export_request"),
    path("profile/export/<uuid:export_id>/", views.export_download, name="export_download"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("join/", views.join, name="join"),
    path("organisation/", views.organization, name="organization"),
    path("organisation/roster/", views.roster_import, name="roster_import"),
    path("organisation/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "organisation/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisation/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("cohorts/new/", views.cohort_edit, name="cohort_create"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
]
