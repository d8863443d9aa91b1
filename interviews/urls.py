from __future__ import annotations

from django.urls import path

from interviews import views

urlpatterns = [
    path("", views.history, name="interview_history"),
    path("new/", views.setup, name="interview_setup"),
    path("<uuid:interview_id>/", views.room, name="interview_room"),
    path("<uuid:interview_id>/delete/", views.interview_delete, name="interview_delete"),
    path("<uuid:interview_id>/turns/<int:position>/audio/", views.turn_audio, name="turn_audio"),
    path(
        "<uuid:interview_id>/turns/<int:position>/answer-audio/",
        views.answer_audio,
        name="answer_audio",
    ),
]
