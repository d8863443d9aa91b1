from __future__ import annotations

from django.urls import path

from resumes import views

urlpatterns = [
    path("", views.resume_list, name="resume_list"),
    path("<uuid:resume_id>/", views.resume_detail, name="resume_detail"),
    path("<uuid:resume_id>/correct/", views.resume_correct, name="resume_correct"),
    path("<uuid:resume_id>/delete/", views.resume_delete, name="resume_delete"),
    path("<uuid:resume_id>/retry/", views.resume_retry, name="resume_retry"),
    path("<uuid:resume_id>/file/", views.resume_file, name="resume_file"),
]
