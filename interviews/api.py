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

from accounts.models import User
from accounts.selectors import cohorts_for, students_visible_to
from config.errors import RefusalSerializer, Refused
from interviews import assignments, selectors, services
from interviews.models import MAX_ATTEMPTS, MAX_QUESTIONS, MIN_QUESTIONS, Assignment, Interview
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
            "feedback_held",
            "assignment",
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
        if report is None or interview.feedback_held:
            return None
        return report.overall

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
    mixins.DestroyModelMixin,
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

    @extend_schema(responses={204: None, 404: RefusalSerializer, 409: RefusalSerializer})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete the interview for good: its answers, recordings, report and reviews."""
        interview = self.get_object()
        try:
            services.interview_delete(interview_id=interview.pk, user=request.user)  # type: ignore[arg-type]
        except Refused as refusal:
            return Response(refusal.as_body(), status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)

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


# --- Assigned practice --------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment as coaches set it and students see it."""

    track = serializers.SlugRelatedField(slug_field="slug", queryset=Track.objects.all())
    level = serializers.ChoiceField(choices=list(LEVEL_NAMES))
    # Written as ids and checked against who the coach may reach (see save_for); read back as ids.
    cohort = serializers.IntegerField(
        required=False, allow_null=True, write_only=True, help_text="A cohort you coach."
    )
    students = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        write_only=True,
        help_text="Ids of students you coach, besides the cohort's.",
    )
    question_set = serializers.PrimaryKeyRelatedField(
        queryset=QuestionSet.objects.all(), required=False, allow_null=True
    )
    max_attempts = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ATTEMPTS,
        allow_null=True,
        required=False,
        help_text="1 to 5, or null for any number.",
    )
    roster_url = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ("id", "cohort", "students", *assignments.FIELDS, "created_at", "roster_url")
        read_only_fields = ("id", "created_at", "roster_url")

    def to_representation(self, instance: Assignment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["level"] = Level(instance.level).name.lower()
        data["cohort"] = instance.cohort_id
        data["students"] = [s.pk for s in instance.students.all()]
        return data

    def get_roster_url(self, assignment: Assignment) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api-assignment-roster", args=[assignment.pk])
        )

    def save_for(self, user: User, assignment: Assignment | None = None) -> Assignment:
        """Set or change the assignment through the service, its errors as API errors."""
        values = dict(self.validated_data)
        if "level" in values:
            values["level"] = LEVEL_NAMES[values["level"]]
        cohort_id = values.pop("cohort", assignment.cohort_id if assignment else None)
        student_ids = values.pop(
            "students", [s.pk for s in assignment.students.all()] if assignment else []
        )
        cohort = cohorts_for(user).filter(pk=cohort_id).first() if cohort_id else None
        if cohort_id and cohort is None:
            raise serializers.ValidationError({"cohort": ["No cohort you coach has this id."]})
        students = list(students_visible_to(user).filter(pk__in=student_ids))
        unknown = sorted(set(student_ids) - {s.pk for s in students})
        if unknown:
            raise serializers.ValidationError(
                {"students": [f"Not students you coach: {', '.join(map(str, unknown))}."]}
            )
        try:
            return assignments.assignment_save(
                by=user, assignment=assignment, cohort=cohort, students=students, **values
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error


class AssignmentRosterRowSerializer(serializers.Serializer):
    student = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=assignments.STATUS_ORDER)
    attempts = serializers.IntegerField()
    latest_score = serializers.IntegerField(allow_null=True)
    best_score = serializers.IntegerField(allow_null=True)
    reports = serializers.ListField(child=serializers.DictField())

    def get_student(self, row: assignments.RosterRow) -> dict[str, Any]:
        return {"id": row.student.pk, "name": row.student.name, "email": row.student.email}


class AssignmentViewSet(viewsets.ModelViewSet):
    """Practice set by coaches: coaches and admins set and change the assignments they manage;
    a student lists and starts their own. Anything else is a 404."""

    serializer_class = AssignmentSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        user = self.request.user
        membership = user.membership  # type: ignore[union-attr]
        if membership is not None and membership.is_staff_role:
            found = assignments.assignments_managed_by(user)  # type: ignore[arg-type]
        else:
            found = assignments.assignments_of(user)  # type: ignore[arg-type]
        return found.prefetch_related("students")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = serializer.save_for(self.request.user)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = serializer.save_for(self.request.user, serializer.instance)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._managed(kwargs["pk"])
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assignments.assignment_delete(by=request.user, assignment_id=kwargs["pk"])  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _managed(self, pk: object) -> Assignment:
        return assignments.assignment_managed(user=self.request.user, assignment_id=pk)  # type: ignore[arg-type]

    @extend_schema(responses={200: AssignmentRosterRowSerializer(many=True)})
    @action(detail=True, methods=["get"], url_name="roster")
    def roster(self, request: Request, pk: str | None = None) -> Response:
        """Every assigned student with status, attempts, latest and best score and reports;
        `?sort=name|status|attempts|latest|best` and `?order=desc`."""
        assignment = self._managed(pk)
        rows = assignments.roster(
            assignment,
            sort=request.query_params.get("sort", "name"),
            descending=request.query_params.get("order") == "desc",
            viewer=request.user,  # type: ignore[arg-type]
        )
        return Response(AssignmentRosterRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={201: InterviewSerializer, 409: RefusalSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        """Start the signed-in student's next attempt, set up exactly as assigned (or return the
        attempt already under way)."""
        try:
            interview = assignments.assignment_start(student=request.user, assignment_id=pk)  # type: ignore[arg-type]
        except Refused as refusal:
            return Response(refusal.as_body(), status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        body = InterviewSerializer(interview, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
