"""API: an interview's report (202 while it is written)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.generics import ListAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import AccessRecord, User
from accounts.privacy import access_record
from accounts.selectors import cohort_get, student_get, students_visible_to
from config.errors import RefusalSerializer
from interviews.assignments import standings_of
from interviews.models import Interview
from interviews.selectors import feedback_visible, interview_read, interviews_staff_sees
from interviews.services import interview_read_log
from interviews.state import State
from reports import analytics, pdf, progress, reviews
from reports.models import Report, Review
from resumes.selectors import resumes_of


class ReportSerializer(serializers.ModelSerializer):
    verdict = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = (
            "overall",
            "dimensions",
            "skills",
            "strengths",
            "improvements",
            "verdict",
            "summary",
            "roadmap",
            "questions",
            "delivery",
            "engine",
            "fallbacks",
            "evidence",
            "created_at",
        )

    def get_verdict(self, report: Report) -> str | None:
        return report.get_verdict_display() if report.interview.shows_verdict else None


class InterviewReportView(APIView):
    """The report of one of the signed-in student's interviews, or of a student a coach or admin
    may see; anyone else's is a 404. While a coach holds the feedback, the student gets 202."""

    # What a staff read of it is logged as.
    read_as = AccessRecord.What.REPORT

    @extend_schema(
        responses={
            200: ReportSerializer,
            202: OpenApiResponse(description="The report is being written; ask again shortly."),
            409: RefusalSerializer,
        }
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        user = request.user
        interview = interview_read(user=user, interview_id=pk)  # type: ignore[arg-type]
        if not feedback_visible(interview, user):  # type: ignore[arg-type]
            return Response(
                {
                    "state": "awaiting_review",
                    "message": "Your report is written and awaits your coach's review.",
                },
                status=status.HTTP_202_ACCEPTED,
            )
        report = (
            Report.objects.filter(interview=interview)
            .select_related("interview__organization", "interview__assignment")
            .first()
        )
        if report is not None:
            interview_read_log(viewer=user, interview=interview, what=self.read_as)  # type: ignore[arg-type]
            return Response(ReportSerializer(report).data)
        if interview.state in (State.COMPLETE, State.GENERATING_REPORT):
            return Response(
                {"state": interview.state, "message": "The report is being written."},
                status=status.HTTP_202_ACCEPTED,
            )
        message = (
            "This interview was cancelled before any answer."
            if interview.state == State.CANCELLED
            else "The interview has not ended yet."
        )
        return Response({"code": "no_report", "message": message}, status=status.HTTP_409_CONFLICT)


# --- Coaching: reviews, releasing held feedback, the queue, a student's page ----------------------


class AnswerRatingSerializer(serializers.Serializer):
    turn = serializers.IntegerField(help_text="The turn's position in the interview.")
    rating = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ("id", "reviewer", "comment", "answers", "created_at", "updated_at")

    def get_reviewer(self, review: Review) -> dict[str, Any] | None:
        reviewer = review.reviewer
        return {"id": reviewer.pk, "name": reviewer.get_full_name()} if reviewer else None

    def get_answers(self, review: Review) -> list[dict[str, Any]]:
        return [
            {"turn": a.turn.position, "rating": a.rating, "comment": a.comment}
            for a in review.answers.all()
        ]


class ReviewWriteSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)
    answers = AnswerRatingSerializer(many=True, required=False, default=list)
    release = serializers.BooleanField(
        required=False, default=False, help_text="Also release feedback held for a coach."
    )

    def ratings(self) -> list[reviews.AnswerRating]:
        return [reviews.AnswerRating(**a) for a in self.validated_data["answers"]]


def _review_body(review: Review) -> dict[str, Any]:
    return dict(ReviewSerializer(reviews.reviews_of(review.interview).get(pk=review.pk)).data)


class InterviewReviewsView(APIView):
    """An interview's reviews: the student and their coaches read them; a coach or admin of the
    student posts one (a second one by the same reviewer is refused: edit it instead)."""

    @extend_schema(responses={200: ReviewSerializer(many=True)})
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        interview = interview_read(user=request.user, interview_id=pk)  # type: ignore[arg-type]
        if not feedback_visible(interview, request.user):  # type: ignore[arg-type]
            return Response([])
        return Response(ReviewSerializer(reviews.reviews_of(interview), many=True).data)

    @extend_schema(request=ReviewWriteSerializer, responses={201: ReviewSerializer})
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        incoming = ReviewWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = request.user
        try:
            review = reviews.review_save(
                by=user,  # type: ignore[arg-type]
                interview_id=pk,
                comment=incoming.validated_data["comment"],
                answers=incoming.ratings(),
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        if incoming.validated_data["release"]:
            reviews.feedback_release(by=user, interview_id=pk)  # type: ignore[arg-type]
        return Response(_review_body(review), status=status.HTTP_201_CREATED)


class ReviewDetailView(APIView):
    """One's own review of an interview: change it or delete it."""

    @extend_schema(request=ReviewWriteSerializer, responses={200: ReviewSerializer})
    def patch(self, request: Request, pk: uuid.UUID, review_id: int) -> Response:
        incoming = ReviewWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            review = reviews.review_save(
                by=request.user,  # type: ignore[arg-type]
                interview_id=pk,
                comment=incoming.validated_data["comment"],
                answers=incoming.ratings(),
                review_id=review_id,
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return Response(_review_body(review))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: uuid.UUID, review_id: int) -> Response:
        reviews.review_delete(by=request.user, interview_id=pk, review_id=review_id)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class QueueItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    student = serializers.SerializerMethodField()
    track = serializers.CharField(source="track.slug")
    assignment = serializers.IntegerField(source="assignment_id", allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_student(self, interview: Interview) -> dict[str, Any]:
        return {"id": interview.user_id, "name": interview.user.get_full_name()}


class ReleaseView(APIView):
    """Release feedback a coach held: the student can then read the report."""

    @extend_schema(request=None, responses={200: QueueItemSerializer})
    def post(self, request: Request, pk: uuid.UUID) -> Response:
        interview = reviews.feedback_release(by=request.user, interview_id=pk)  # type: ignore[arg-type]
        return Response({"id": str(interview.pk), "feedback_held": interview.feedback_held})


class ReviewQueueView(ListAPIView):
    """The finished interviews of your students whose feedback waits for a coach, oldest first."""

    serializer_class = QueueItemSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Interview.objects.none()
        return reviews.review_queue(self.request.user)  # type: ignore[arg-type]


class ProgressView(APIView):
    """The signed-in student's progress: each skill's and dimension's score per finished
    interview, the trends in words, mastery per skill with its likely range, and the key points
    they keep missing (see reports.progress)."""

    @extend_schema(responses={200: None})
    def get(self, request: Request) -> Response:
        return Response(progress.as_data(progress.progress_of(request.user)))  # type: ignore[arg-type]


class CohortAnalyticsView(APIView):
    """A cohort's analytics for its coaches and the centre's admins: every table of the page as
    a header and rows (skill x student mastery, key points and questions missed most,
    participation by week, scores by month), and how many students and answers they rest on."""

    @extend_schema(responses={200: None})
    def get(self, request: Request, pk: int) -> Response:
        cohort = cohort_get(user=request.user, cohort_id=pk)  # type: ignore[arg-type]
        found = analytics.cohort_analytics(cohort)
        tables = {}
        for name in analytics.TABLES:
            header, rows = analytics.table(found, name)
            tables[name] = {"header": header, "rows": rows}
        return Response(
            {
                "cohort": {"id": cohort.pk, "name": cohort.name},
                "students": len(found.students),
                "answers": found.answers,
                "active_students": found.active,
                "min_students": analytics.MIN_STUDENTS,
                "tables": tables,
            }
        )


class StudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()


class StudentViewSet(viewsets.ReadOnlyModelViewSet):
    """The students a coach (those of the cohorts they coach) or admin (every student of the
    organisation) may see; with `retrieve`, their interviews, resumes and assigned practice."""

    serializer_class = StudentSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return students_visible_to(self.request.user)  # type: ignore[arg-type]

    @extend_schema(responses={200: None})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        student = student_get(user=request.user, student_id=kwargs["pk"])  # type: ignore[arg-type]
        access_record(viewer=request.user, student=student, what=AccessRecord.What.STUDENT)  # type: ignore[arg-type]
        interviews = interviews_staff_sees(request.user).filter(user=student)  # type: ignore[arg-type]
        return Response(
            {
                **StudentSerializer(student).data,
                "cohorts": [{"id": c.pk, "name": c.name} for c in student.cohorts.all()],
                "interviews": [
                    {
                        "id": str(i.pk),
                        "track": i.track.slug,
                        "state": i.state,
                        "assignment": i.assignment_id,
                        "feedback_held": i.feedback_held,
                        "score": getattr(getattr(i, "report", None), "overall", None),
                        "created_at": i.created_at,
                        "completed_at": i.completed_at,
                    }
                    for i in interviews.order_by("-created_at")
                ],
                "resumes": [
                    {
                        "id": str(r.pk),
                        "title": r.title,
                        "status": r.status,
                        "created_at": r.created_at,
                    }
                    for r in resumes_of(student).order_by("-created_at")
                ],
                "assignments": [
                    {
                        "id": s.assignment.pk,
                        "title": s.assignment.title,
                        "due_at": s.assignment.due_at,
                        "attempts": s.attempts,
                        "finished": s.finished,
                        "late": s.late,
                    }
                    for s in standings_of(student)
                ],
            }
        )


# --- The report as a PDF --------------------------------------------------------------------------


class PDFRenderer(BaseRenderer):
    """Send a PDF that the view has rendered as the response's body, unchanged."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return bytes(data)


class InterviewReportPDFView(InterviewReportView):
    """The report as a PDF for A4 or Letter paper (`?paper=a4|letter`, A4 by default), to the
    same people as the JSON report; while there is none to read, the same 202 or 409 as it."""

    renderer_classes = (PDFRenderer,)
    read_as = AccessRecord.What.REPORT_PDF

    @extend_schema(
        operation_id="interviews_report_pdf_retrieve",
        parameters=[OpenApiParameter("paper", enum=list(pdf.PAPERS), default="a4")],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The report as a PDF attachment."
            ),
            (202, "application/json"): OpenApiResponse(
                description="The report is being written, or awaits a coach's review."
            ),
            (400, "application/json"): RefusalSerializer,
            (409, "application/json"): RefusalSerializer,
        },
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        paper = request.query_params.get("paper", "a4")
        if paper not in pdf.PAPERS:
            return Response(
                {"code": "bad_paper", "message": "Choose a4 or letter paper."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        answer = super().get(request, pk)
        if answer.status_code != status.HTTP_200_OK:
            return answer
        interview = interview_read(user=request.user, interview_id=pk)  # type: ignore[arg-type]
        body = pdf.report_pdf(
            interview=interview,
            report=interview.report,
            reviews=reviews.reviews_of(interview),
            paper=paper,
        )
        return Response(
            body,
            content_type=PDFRenderer.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{pdf.report_filename(interview)}"',
                "Cache-Control": "private",
            },
        )

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # A refusal or an error (202, 400, 404, 409, a 406 for an Accept without PDF) is JSON.
        if isinstance(response, Response) and not isinstance(response.data, bytes):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
