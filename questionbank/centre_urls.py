"""The career centre's own questions and question sets, under /centre/."""

from __future__ import annotations

from django.urls import path

from questionbank import centre_views as views

urlpatterns = [
    path("questions/", views.question_list, name="centre_question_list"),
    path("questions/new/", views.question_edit, name="centre_question_create"),
    path("questions/<int:question_id>/", views.question_edit, name="centre_question_edit"),
    path(
        "questions/<int:question_id>/delete/",
        views.question_delete,
        name="centre_question_delete",
    ),
    path("sets/", views.set_list, name="centre_set_list"),
    path("sets/new/", views.set_create, name="centre_set_create"),
    path("sets/<int:set_id>/", views.set_detail, name="centre_set_detail"),
    path("sets/<int:set_id>/add/", views.set_add, name="centre_set_add"),
    path(
        "sets/<int:set_id>/questions/<int:question_id>/remove/",
        views.set_remove,
        name="centre_set_remove",
    ),
    path(
        "sets/<int:set_id>/questions/<int:question_id>/move/",
        views.set_move,
        name="centre_set_move",
    ),
    path("sets/<int:set_id>/publish/", views.set_publish, name="centre_set_publish"),
    path("sets/<int:set_id>/delete/", views.set_delete, name="centre_set_delete"),
]
