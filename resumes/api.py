"""API: the student's resumes: upload, read, correct the skills, delete, retry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import Refused, refusal_response
from resumes import services
from resumes.models import Resume
from resumes.selectors import resumes_of


class RoleSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.NAME_CHARS)
    organisation = serializers.CharField(
        max_length=services.NAME_CHARS, required=False, allow_blank=True
    )
    start = serializers.CharField(max_length=services.DATES_CHARS, required=False, allow_blank=True)
    end = serializers.CharField(max_length=services.DATES_CHARS, required=False, allow_blank=True)
    highlights = serializers.ListField(
        child=serializers.CharField(max_length=services.HIGHLIGHT_CHARS, allow_blank=True),
        max_length=services.MAX_HIGHLIGHTS,
        required=False,
        help_text="What the student did there, one item each; the tools are found from these.",
    )


class EducationSerializer(serializers.Serializer):
    institution = serializers.CharField(
        max_length=services.NAME_CHARS, required=False, allow_blank=True
    )
    qualification = serializers.CharField(
        max_length=services.NAME_CHARS, required=False, allow_blank=True
    )
    dates = serializers.CharField(max_length=services.DATES_CHARS, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("institution") or attrs.get("qualification")):
            raise serializers.ValidationError("Give the institution or the qualification.")
        return attrs


class ResumeSerializer(serializers.ModelSerializer):
    skills = serializers.ListField(child=serializers.CharField(max_length=60), max_length=60)
    # Written here, read back in `profile`.
    roles = RoleSerializer(
        many=True, max_length=services.MAX_ROLES, write_only=True, required=False
    )
    education = EducationSerializer(
        many=True, max_length=services.MAX_EDUCATION, write_only=True, required=False
    )
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Resume
        fields = (
            "id",
            "title",
            "status",
            "error",
            "pages",
            "size",
            "active_content",
            "profile",
            "skills",
            "skills_edited",
            "roles",
            "roles_edited",
            "education",
            "education_edited",
            "engine",
            "fallback",
            "file_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = tuple(f for f in fields if f not in ("skills", "roles", "education"))

    def get_file_url(self, resume: Resume) -> str:
        return self.context["request"].build_absolute_uri(reverse("resume_file", args=[resume.pk]))


class ResumeUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The resume as a PDF, at most 5 MB and 10 pages.")


class ResumeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in student's resumes; anyone else's is a 404."""

    serializer_class = ResumeSerializer
    parser_classes = (parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Resume.objects.none()
        return resumes_of(self.request.user)  # type: ignore[arg-type]

    @extend_schema(request=ResumeUploadSerializer, responses={201: ResumeSerializer})
    def create(self, request: Request) -> Response:
        """Upload a PDF resume; a worker reads it (status `parsing`, then `ready` or `failed`).

        A body announced over the limit is refused unread (resumes.middleware).
        """
        upload = request.FILES.get("file")
        if upload is None:
            return refusal_response(
                Refused("no_file", "Choose your resume's PDF file to upload (field `file`).")
            )
        try:
            resume = services.resume_upload(user=request.user, upload=upload)  # type: ignore[arg-type]
        except Refused as refusal:
            return refusal_response(refusal)
        body = ResumeSerializer(resume, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResumeSerializer, responses={200: ResumeSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Correct what was read from the resume: any of `skills` (names), `roles` and
        `education` (entries, replacing all of them); a re-read keeps the corrected parts.
        """
        resume = self.get_object()
        incoming = ResumeSerializer(resume, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        corrected = incoming.validated_data
        try:
            with transaction.atomic():  # every part given, or none
                if "skills" in corrected:
                    resume = services.resume_set_skills(resume=resume, skills=corrected["skills"])
                if "roles" in corrected:
                    resume = services.resume_set_roles(resume=resume, roles=corrected["roles"])
                if "education" in corrected:
                    resume = services.resume_set_education(
                        resume=resume, education=corrected["education"]
                    )
        except Refused as refusal:
            return refusal_response(refusal)
        return Response(ResumeSerializer(resume, context={"request": request}).data)

    def perform_destroy(self, instance: Resume) -> None:
        services.resume_delete(resume=instance)

    @extend_schema(request=None, responses={200: ResumeSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Read a resume again after it failed."""
        resume = services.resume_retry(resume=self.get_object())
        return Response(ResumeSerializer(resume, context={"request": request}).data)


def resume_file_response(resume: Resume) -> FileResponse:
    """The stored PDF, to those who may read it, under its label rather than its stored name.

    Shown in the browser only once the worker has found it free of scripts, actions and HTML;
    until then, and for ever if it has any, it is a download, never opened by the browser.
    """
    inline = resume.status == Resume.Status.READY and not resume.active_content
    response = FileResponse(
        resume.file.open("rb"),
        content_type="application/pdf",
        as_attachment=not inline,
        filename=f"{resume.title}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
