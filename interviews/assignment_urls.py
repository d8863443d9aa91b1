from __future__ import annotations

from django.urls import path

from interviews import views

# Under /assignments/.
urlpatterns = [
    path("", views.assignment_list, name="assignment_list"),
    path("new/", views.assignment_edit, name="assignment_create"),
    path("<int:assignment_id>/", views.assignment_roster, name="assignment_roster"),
    path("<int:assignment_id>/edit/", views.assignment_edit, name="assignment_edit"),
    path("<int:assignment_id>/delete/", views.assignment_delete, name="assignment_delete"),
    path("<int:assignment_id>/start/", views.assignment_start, name="assignment_start"),
]
