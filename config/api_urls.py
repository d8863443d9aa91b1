"""The REST API, version 1, and its OpenAPI schema."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from accounts.api import InvitationViewSet, MemberViewSet
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


class TokenView(ObtainAuthToken):
    """Exchange an email and password for an API token; guesses are rate-limited."""

    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"


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
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
