"""API: an interview's report (202 while it is written)."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import RefusalSerializer
from interviews.selectors import interview_get
from interviews.state import State
from reports.models import Report


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
        organization = report.interview.organization
        if organization is not None and not organization.show_readiness_verdict:
            return None
        return report.get_verdict_display()


class InterviewReportView(APIView):
    """The report of one of the signed-in student's interviews; anyone else's is a 404."""

    @extend_schema(
        responses={
            200: ReportSerializer,
            202: OpenApiResponse(description="The report is being written; ask again shortly."),
            409: RefusalSerializer,
        }
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        interview = interview_get(user=request.user, interview_id=pk)  # type: ignore[arg-type]
        report = (
            Report.objects.filter(interview=interview)
            .select_related("interview__organization")
            .first()
        )
        if report is not None:
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
