from __future__ import annotations

from django.urls import path

from reports import views

# Under /interviews/, beside the interview's own pages.
urlpatterns = [
    path("<uuid:interview_id>/report/", views.report, name="report"),
]
