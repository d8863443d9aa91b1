"""WebSocket URL routes of every app."""

from __future__ import annotations

from interviews.routing import websocket_urlpatterns as interview_routes

websocket_urlpatterns = [*interview_routes]
