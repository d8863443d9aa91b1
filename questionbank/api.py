"""API: what can be practised (tracks and skills), and a career centre's own questions and
question sets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.selectors import staff_membership
from questionbank import selectors, services
from questionbank.models import (
    QUESTION_FIELDS,
    Level,
    Question,
    QuestionSet,
    QuestionSetItem,
    Skill,
    Track,
)
from questionbank.selectors import tracks_with_counts
from questionbank.services import (
    FOLLOW_UPS_MIN,
    KEY_POINTS_MAX,
    KEY_POINTS_MIN,
    RED_FLAGS_MAX,
    RED_FLAGS_MIN,
)


class TrackSerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Track
        fields = ("slug", "name", "description", "question_count")


class SkillSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Skill
        fields = ("id", "slug", "name", "description", "track", "resources")


class TrackViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The fields a student can practise, with how many questions each has."""

    serializer_class = TrackSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return tracks_with_counts(self.request.user.organization_id)  # type: ignore[union-attr]


class SkillViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The skills of every track; `?track=<slug>` narrows to one track."""

    serializer_class = SkillSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        skills = Skill.objects.select_related("track").order_by("track__name", "name")
        track = self.request.query_params.get("track")
        return skills.filter(track__slug=track) if track else skills


# --- A career centre's own questions and question sets -----------------------------------------

LEVEL_NAMES = {level.name.lower(): int(level) for level in Level}


def _refusal(error: ValidationError) -> serializers.ValidationError:
    """Return a service's refusal as the API's 400 body, field by field."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return serializers.ValidationError(
        {
            api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages
            for name, messages in error.message_dict.items()
        }
    )


# A pattern, not an enum: the schema's enum hook would name these choices a second time
# (the interviews API's "level" names them already) and warn.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(LEVEL_NAMES)})$"})
class LevelField(serializers.ChoiceField):
    """A level by name, "intern" to "principal"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=list(LEVEL_NAMES), **kwargs)

    def to_representation(self, value: Any) -> str:
        return Level(value).name.lower()

    def to_internal_value(self, data: Any) -> int:
        return LEVEL_NAMES[super().to_internal_value(data)]


class PointsField(serializers.ListField):
    """A question's key points, red flags or follow-ups, in order."""

    def to_representation(self, data: Any) -> list[str]:
        return [point.text for point in data.all()]


class CentreQuestionSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", queryset=Track.objects.all())
    skill = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.select_related("track"), help_text="A skill of the track."
    )
    level_min = LevelField(default=int(Level.INTERN))
    level_max = LevelField(default=int(Level.PRINCIPAL))
    status = serializers.ChoiceField(choices=Question.Status.choices, default="draft")
    key_points = PointsField(
        child=serializers.CharField(max_length=300),
        help_text=f"{KEY_POINTS_MIN} to {KEY_POINTS_MAX}: what a strong answer covers.",
    )
    red_flags = PointsField(
        child=serializers.CharField(max_length=300),
        help_text=f"{RED_FLAGS_MIN} to {RED_FLAGS_MAX}: wrong claims a panel would reject.",
    )
    follow_ups = PointsField(
        child=serializers.CharField(max_length=400),
        help_text=f"At least {FOLLOW_UPS_MIN}: prompts for after a thin answer.",
    )

    class Meta:
        model = Question
        fields = (
            *QUESTION_FIELDS,
            "status",
            "key_points",
            "red_flags",
            "follow_ups",
            "created_at",
            "updated_at",
        )


class CentreQuestionViewSet(viewsets.ModelViewSet):
    """The career centre's own questions, for its coaches and admins; a 404 for anyone else."""

    serializer_class = CentreQuestionSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.membership = staff_membership(request.user)  # type: ignore[arg-type]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Question.objects.none()
        return selectors.centre_questions(self.membership.organization_id).prefetch_related(
            *selectors.POINTS
        )

    def perform_create(self, serializer: Any) -> None:
        try:
            serializer.instance = services.question_create(
                organization=self.membership.organization,
                author=self.request.user,  # type: ignore[arg-type]
                values=services.QuestionValues(**serializer.validated_data),
            )
        except ValidationError as error:
            raise _refusal(error) from error

    def perform_update(self, serializer: Any) -> None:
        question = serializer.instance
        values = replace(services.QuestionValues.of(question), **serializer.validated_data)
        try:
            services.question_update(question=question, values=values)
        except ValidationError as error:
            raise _refusal(error) from error

    def perform_destroy(self, instance: Question) -> None:
        try:
            services.question_delete(question=instance)
        except ValidationError as error:
            raise _refusal(error) from error


class OrderedQuestionsField(serializers.ManyRelatedField):
    """The set's question ids in their order."""

    def get_attribute(self, instance: QuestionSet) -> list[Question]:
        return [item.question for item in instance.items.all()]


class QuestionSetSerializer(serializers.ModelSerializer):
    questions = OrderedQuestionsField(
        child_relation=serializers.PrimaryKeyRelatedField(
            queryset=Question.objects.select_related("track")
        ),
        required=False,
        help_text="Question ids in the order they are asked, all of one track; PATCH replaces "
        "the set's questions and order.",
    )
    track = serializers.SerializerMethodField()

    class Meta:
        model = QuestionSet
        fields = ("id", "name", "description", "status", "track", "questions", "updated_at")
        read_only_fields = ("status", "updated_at")

    def get_track(self, question_set: QuestionSet) -> str | None:
        """The slug of the track of the set's questions; null while it is empty."""
        items = list(question_set.items.all())
        return items[0].question.track.slug if items else None


class CentreStaffWrites(permissions.BasePermission):
    """Let a member read; let only a career centre's coaches and admins change anything."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        membership = request.user.membership  # type: ignore[union-attr]
        return membership is not None and membership.is_staff_role


class QuestionSetViewSet(viewsets.ModelViewSet):
    """Question sets: students read the published ones they may choose; their career centre's
    coaches and admins also read its drafts and write its sets. Site-wide sets are read-only."""

    serializer_class = QuestionSetSerializer
    permission_classes = (permissions.IsAuthenticated, CentreStaffWrites)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return QuestionSet.objects.none()
        items = QuestionSetItem.objects.select_related("question__track")
        return selectors.question_sets_visible_to(self.request.user).prefetch_related(  # type: ignore[arg-type]
            Prefetch("items", queryset=items.order_by("position", "pk"))
        )

    def get_object(self) -> QuestionSet:
        question_set: QuestionSet = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS and question_set.owner_id is None:
            raise PermissionDenied("Site-wide sets are read-only.")
        return question_set

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.question_set_create(
                organization=self.request.user.membership.organization,  # type: ignore[union-attr]
                name=data["name"],
                description=data.get("description", ""),
                questions=data.get("questions", ()),
            )
        except ValidationError as error:
            raise _refusal(error) from error

    def perform_update(self, serializer: Any) -> None:
        question_set, data = serializer.instance, serializer.validated_data
        try:
            services.question_set_update(
                question_set=question_set,
                name=data.get("name", question_set.name),
                description=data.get("description", question_set.description),
                questions=data.get("questions"),
            )
        except ValidationError as error:
            raise _refusal(error) from error

    def perform_destroy(self, instance: QuestionSet) -> None:
        try:
            services.question_set_delete(question_set=instance)
        except ValidationError as error:
            raise _refusal(error) from error

    @extend_schema(request=None, responses={200: QuestionSetSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Offer the set to the career centre's students; it needs a question, all published."""
        question_set = self.get_object()
        try:
            services.question_set_publish(question_set=question_set)
        except ValidationError as error:
            raise _refusal(error) from error
        return Response(self.get_serializer(question_set).data)
