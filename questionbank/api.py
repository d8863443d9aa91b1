"""API: what can be practised (tracks and skills)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from questionbank.models import Skill, Track
from questionbank.selectors import tracks_with_counts


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
