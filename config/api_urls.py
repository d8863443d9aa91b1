"""The REST API, version 1, and its OpenAPI schema."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.urls import include, path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from accounts.api import AccessLogView, ExportView, InvitationViewSet, MemberViewSet, MeView
from chat.api import ConversationViewSet
from config.errors import RefusalSerializer
from interviews.api import AssignmentViewSet, InterviewViewSet
from questionbank.api import (
    CentreQuestionViewSet,
    QuestionSetViewSet,
    SkillViewSet,
    TrackViewSet,
)
from reports.api import (
    CohortAnalyticsView,
    InterviewReportPDFView,
    InterviewReportView,
    InterviewReviewsView,
    ProgressView,
    ReleaseView,
    ReviewDetailView,
    ReviewQueueView,
    StudentViewSet,
)
from resumes.api import ResumeViewSet

router = DefaultRouter()
router.register("tracks", TrackViewSet, basename="api-track")
router.register("skills", SkillViewSet, basename="api-skill")
router.register("question-sets", QuestionSetViewSet, basename="api-question-set")
router.register("centre-questions", CentreQuestionViewSet, basename="api-centre-question")
router.register("interviews", InterviewViewSet, basename="api-interview")
router.register("assignments", AssignmentViewSet, basename="api-assignment")
router.register("resumes", ResumeViewSet, basename="api-resume")
router.register("students", StudentViewSet, basename="api-student")
router.register("members", MemberViewSet, basename="api-member")
router.register("invitations", InvitationViewSet, basename="api-invitation")
router.register("conversations", ConversationViewSet, basename="api-conversation")


class LockedOut(Exception):
    """allauth's per-account lockout after failed logins, on the site or here."""


class CredentialsSerializer(AuthTokenSerializer):
    """An email and password, checked as the site's login checks them: through allauth, so that
    failed guesses here and on the login page count towards one lockout per account."""

    def validate(self, attrs: dict[str, str]) -> dict[str, object]:
        request = self.context["request"]._request
        try:
            user = get_adapter(request).authenticate(
                request, email=attrs["username"], password=attrs["password"]
            )
        except ValidationError as error:
            raise LockedOut(error.messages[0]) from error
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                "Unable to log in with provided credentials.", code="authorization"
            )
        return {**attrs, "user": user}


class TokenView(ObtainAuthToken):
    """Exchange an email and password for an API token; guesses are rate-limited per address
    and locked out per account like the site's login. A new password revokes the token."""

    serializer_class = CredentialsSerializer
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong email or password"),
            429: RefusalSerializer,
        },
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except LockedOut as lockout:
            body = {"code": "too_many_login_attempts", "message": str(lockout)}
            return Response(body, status=429)


urlpatterns = [
    path("", include(router.urls)),
    path(
        "interviews/<uuid:pk>/report/", InterviewReportView.as_view(), name="api-interview-report"
    ),
    path(
        "interviews/<uuid:pk>/report.pdf",
        InterviewReportPDFView.as_view(),
        name="api-interview-report-pdf",
    ),
    path(
        "interviews/<uuid:pk>/reviews/",
        InterviewReviewsView.as_view(),
        name="api-interview-reviews",
    ),
    path(
        "interviews/<uuid:pk>/reviews/<int:review_id>/",
        ReviewDetailView.as_view(),
        name="api-interview-review",
    ),
    path("interviews/<uuid:pk>/release/", ReleaseView.as_view(), name="api-interview-release"),
    path("review-queue/", ReviewQueueView.as_view(), name="api-review-queue"),
    path("progress/", ProgressView.as_view(), name="api-progress"),
    path("cohorts/<int:pk>/analytics/", CohortAnalyticsView.as_view(), name="api-cohort-analytics"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("me/export/", ExportView.as_view(), name="api-me-export"),
    path("me/access-log/", AccessLogView.as_view(), name="api-me-access-log"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
