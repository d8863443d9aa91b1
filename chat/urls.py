from __future__ import annotations

from django.urls import path

from chat import views

urlpatterns = [
    path("", views.chat, name="chat"),
    path("<uuid:conversation_id>/", views.chat, name="chat_conversation"),
    path("<uuid:conversation_id>/delete/", views.chat_delete, name="chat_delete"),
]
