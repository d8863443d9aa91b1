"""API: a career centre's members (list, change role, remove, import a roster) and its pending
invitations; always the requester's own organisation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.models import Invitation, Membership, User
from accounts.roster import Outcome, roster_summary
from config.errors import RefusalSerializer, Refused, refusal_response


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "user_id", "email", "name", "role", "joined_at")
        read_only_fields = ("id", "user_id", "email", "name", "joined_at")


class InvitationSerializer(serializers.ModelSerializer):
    cohort = serializers.CharField(source="cohort.name", default=None, read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", default=None, read_only=True)

    class Meta:
        model = Invitation
        fields = ("id", "email", "name", "cohort", "invited_by", "created_at")
        read_only_fields = fields


class RosterUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV with the columns email, name, cohort; 1 MB.")


class RosterRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the file; the header is 1.")
    email = serializers.CharField()
    name = serializers.CharField()
    cohort = serializers.CharField()
    outcome = serializers.ChoiceField(choices=[o.value for o in Outcome if o != Outcome.PENDING])
    message = serializers.CharField()


class RosterResultSerializer(serializers.Serializer):
    summary = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many rows had each outcome."
    )
    rows = RosterRowSerializer(many=True)


class MemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organisation's members: coaches and admins list them, admins change and remove
    them; a student's list is empty, and a member of another organisation is a 404."""

    serializer_class = MemberSerializer
    parser_classes = (parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Membership.objects.none()
        user: User = self.request.user  # type: ignore[assignment]
        if self.action == "list":
            return selectors.members_visible_to(user)
        return selectors.members_administered_by(user)

    @extend_schema(responses={200: MemberSerializer, 400: RefusalSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a member's role: `{"role": "student" | "coach" | "admin"}`."""
        member = self.get_object()
        incoming = MemberSerializer(member, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        role = incoming.validated_data.get("role", member.role)
        try:
            member = services.membership_change_role(
                membership=member,
                role=role,
                by=request.user,  # type: ignore[arg-type]
            )
        except Refused as refusal:
            return refusal_response(refusal)
        return Response(MemberSerializer(member).data)

    @extend_schema(responses={204: None, 400: RefusalSerializer})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Remove a member from the organisation and its cohorts; their account stays."""
        try:
            services.membership_remove(membership=self.get_object(), by=request.user)  # type: ignore[arg-type]
        except Refused as refusal:
            return refusal_response(refusal)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=RosterUploadSerializer,
        responses={200: RosterResultSerializer, 400: RefusalSerializer, 413: RefusalSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def roster_import(self, request: Request) -> Response:
        """Import a roster CSV (field `file`): add students, put them in cohorts, invite people
        without an account; answer what became of each row."""
        membership = selectors.admin_membership(request.user)  # type: ignore[arg-type]
        upload = request.FILES.get("file")
        if upload is None:
            return refusal_response(
                Refused("no_file", "Choose the roster's CSV file to upload (field `file`).")
            )
        try:
            rows = services.roster_import(
                organization=membership.organization,
                by=request.user,  # type: ignore[arg-type]
                file=upload,
            )
        except Refused as refusal:
            return refusal_response(refusal)
        return Response(
            RosterResultSerializer({"summary": roster_summary(rows), "rows": rows}).data
        )


class InvitationViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The organisation's pending invitations, for its admins; anyone else's list is empty."""

    serializer_class = InvitationSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.invitations_visible_to(self.request.user)  # type: ignore[arg-type]

    def perform_destroy(self, instance: Invitation) -> None:
        services.invitation_cancel(invitation=instance, by=self.request.user)  # type: ignore[arg-type]
