"""API: set up interviews, list them, follow one, end it (the report: reports.api)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import RefusalSerializer, Refused
from interviews import selectors, services
from interviews.models import MAX_QUESTIONS, MIN_QUESTIONS, Interview
from questionbank.models import Level, QuestionSet, Skill, Track
from resumes.personal import personal_context

LEVEL_NAMES = {level.name.lower(): int(level) for level in Level}


class InterviewCreateSerializer(serializers.Serializer):
    track = serializers.SlugRelatedField(slug_field="slug", queryset=Track.objects.all())
    level = serializers.ChoiceField(choices=list(LEVEL_NAMES))
    interview_type = serializers.ChoiceField(choices=Interview.Type.choices)
    skills = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Skill.objects.all(), required=False
    )
    num_questions = serializers.IntegerField(
        min_value=MIN_QUESTIONS, max_value=MAX_QUESTIONS, default=8
    )
    answer_mode = serializers.ChoiceField(
        choices=Interview.AnswerMode.choices, default=Interview.AnswerMode.TEXT
    )
    question_set = serializers.PrimaryKeyRelatedField(
        queryset=QuestionSet.objects.all(), required=False, allow_null=True
    )
    resume = serializers.UUIDField(
        required=False, allow_null=True, help_text="One of your resumes (ready) to be asked about."
    )
    job_description = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A job advert to prepare for (at most 20,000 characters).",
    )


class PreviewSerializer(serializers.Serializer):
    track = serializers.SlugRelatedField(slug_field="slug", queryset=Track.objects.all())
    resume = serializers.UUIDField(required=False, allow_null=True)
    job_description = serializers.CharField(required=False, allow_blank=True)


class TurnSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.CharField()
    followup_type = serializers.CharField()
    text = serializers.CharField()
    skill = serializers.CharField(source="skill.name", default="")
    answer = serializers.SerializerMethodField()

    def get_answer(self, turn: Any) -> dict[str, Any] | None:
        answer = getattr(turn, "answer", None)
        if answer is None:
            return None
        return {"kind": answer.kind, "text": answer.text, "received_at": answer.received_at}


class InterviewSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    ws_url = serializers.SerializerMethodField()
    room_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields: tuple[str, ...] = (
            "id",
            "state",
            "track",
            "level",
            "interview_type",
            "num_questions",
            "answer_mode",
            "progress",
            "score",
            "created_at",
            "started_at",
            "completed_at",
            "ws_url",
            "room_url",
            "report_url",
        )

    def get_level(self, interview: Interview) -> str:
        return Level(interview.level).name.lower()

    def get_progress(self, interview: Interview) -> dict[str, int]:
        return interview.progress

    def get_score(self, interview: Interview) -> int | None:
        report = getattr(interview, "report", None)
        return report.overall if report else None

    def get_ws_url(self, interview: Interview) -> str:
        request = self.context["request"]
        scheme = "wss" if request.is_secure() else "ws"
        return f"{scheme}://{request.get_host()}/ws/interviews/{interview.pk}/"

    def get_room_url(self, interview: Interview) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("interview_room", args=[interview.pk])
        )

    def get_report_url(self, interview: Interview) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api-interview-report", args=[interview.pk])
        )


class InterviewDetailSerializer(InterviewSerializer):
    turns = TurnSerializer(many=True, read_only=True)

    class Meta(InterviewSerializer.Meta):
        fields = (*InterviewSerializer.Meta.fields, "resume", "job_profile", "focus", "turns")


class InterviewViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in student's interviews; anyone else's is a 404."""

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Interview.objects.none()
        interviews = selectors.interviews_of(self.request.user)  # type: ignore[arg-type]
        if self.action == "retrieve":
            interviews = interviews.prefetch_related("turns__answer", "turns__skill")
        return interviews

    def get_serializer_class(self) -> Any:
        return {
            "create": InterviewCreateSerializer,
            "retrieve": InterviewDetailSerializer,
        }.get(self.action, InterviewSerializer)

    @extend_schema(responses={201: InterviewSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = InterviewCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["level"] = LEVEL_NAMES[data["level"]]
        try:
            interview = services.interview_create(user=request.user, **data)  # type: ignore[arg-type]
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        body = InterviewSerializer(interview, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=PreviewSerializer, responses={200: None, 400: RefusalSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """What an interview set up with this resume and job advert would be about: the job's
        title, level and requirements as read, and the skills it would cover first, and why."""
        incoming = PreviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            personal = personal_context(
                user=request.user,  # type: ignore[arg-type]
                resume_id=data.get("resume"),
                job_description=data.get("job_description", ""),
            )
        except Refused as refusal:
            return Response(refusal.as_body(), status=status.HTTP_400_BAD_REQUEST)
        job = personal.job_profile
        return Response(
            {
                "job": {**job.as_dict(), "level_label": job.level_label} if job else None,
                "claims": personal.claims,
                "focus": [asdict(f) for f in personal.focus_explained(data["track"])],
            }
        )

    @extend_schema(request=None, responses={200: InterviewSerializer, 409: RefusalSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        interview = self.get_object()
        try:
            services.interview_end(interview_id=interview.pk, user=request.user)  # type: ignore[arg-type]
        except Refused as refusal:
            return Response(refusal.as_body(), status=status.HTTP_409_CONFLICT)
        interview.refresh_from_db()
        return Response(InterviewSerializer(interview, context={"request": request}).data)
