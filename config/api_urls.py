"""The REST API, version 1, and its OpenAPI schema."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from interviews.api import InterviewViewSet
from questionbank.api import SkillViewSet, TrackViewSet
from reports.api import InterviewReportView
from resumes.api import ResumeViewSet

router = DefaultRouter()
router.register("tracks", TrackViewSet, basename="api-track")
router.register("skills", SkillViewSet, basename="api-skill")
router.register("interviews", InterviewViewSet, basename="api-interview")
router.register("resumes", ResumeViewSet, basename="api-resume")


class TokenView(ObtainAuthToken):
    """Exchange an email and password for an API token; guesses are rate-limited."""

    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"


urlpatterns = [
    path("", include(router.urls)),
    path(
        "interviews/<uuid:pk>/report/", InterviewReportView.as_view(), name="api-interview-report"
    ),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
