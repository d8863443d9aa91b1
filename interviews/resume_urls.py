from __future__ import annotations

from django.urls import path

from interviews import resume_views

urlpatterns = [
    path("", resume_views.resume_list, name="resume_list"),
    path("<uuid:resume_id>/", resume_views.resume_detail, name="resume_detail"),
    path("<uuid:resume_id>/delete/", resume_views.resume_delete, name="resume_delete"),
    path("<uuid:resume_id>/retry/", resume_views.resume_retry, name="resume_retry"),
    path("<uuid:resume_id>/file/", resume_views.resume_file, name="resume_file"),
]
