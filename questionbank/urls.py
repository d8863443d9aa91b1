from __future__ import annotations

from django.urls import path

from questionbank import views

urlpatterns = [
    path("", views.track_list, name="track_list"),
    path("<slug:slug>/", views.track_detail, name="track_detail"),
    path("<slug:slug>/questions/<int:pk>/", views.question_detail, name="question_detail"),
]
