"""API: a career centre's members (list, change role, remove, import a roster) and its pending
invitations, always the requester's own organisation; the signed-in user's own data rights
(export, erasure, who read their work)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import privacy, selectors, services
from accounts.models import AccessRecord, DataExport, Invitation, Membership, User
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


# --- The signed-in user's data rights ------------------------------------------------------------


class EraseSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, help_text="The account's password, to confirm it is really you."
    )


class DataExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataExport
        fields = ("id", "status", "size", "error", "created_at", "ready_at", "expires_at")
        read_only_fields = fields


class AccessRecordSerializer(serializers.ModelSerializer):
    what_label = serializers.CharField(source="get_what_display", read_only=True)

    class Meta:
        model = AccessRecord
        fields = ("at", "viewer_name", "viewer_role", "what", "what_label", "object_id", "label")
        read_only_fields = fields


class MeView(APIView):
    """The signed-in account."""

    @extend_schema(
        request=EraseSerializer,
        responses={204: None, 400: RefusalSerializer, 409: RefusalSerializer},
    )
    def delete(self, request: Request) -> Response:
        """Erase the account and everything in it: interviews, answers, recordings, reports,
        resumes, reviews of its work. The password confirms it; a career centre's last
        administrator must hand over first (409)."""
        incoming = EraseSerializer(data=request.data)
        if not incoming.is_valid() or not request.user.check_password(  # type: ignore[union-attr]
            incoming.validated_data["password"]
        ):
            body = {"code": "wrong_password", "message": "Confirm with your password."}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        try:
            privacy.account_erase(user=request.user)  # type: ignore[arg-type]
        except Refused as refusal:
            return Response(refusal.as_body(), status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportView(APIView):
    """A zip of everything about the signed-in user, built by a worker and kept for 7 days."""

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The zip, once it is ready."
            ),
            (202, "application/json"): DataExportSerializer,
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        """The newest export as a zip; while there is none ready, one is prepared (202; ask
        again in a moment)."""
        user: User = request.user  # type: ignore[assignment]
        export = privacy.export_current(user) or privacy.export_request(user=user)
        if export.status != DataExport.Status.READY:
            body = DataExportSerializer(export).data
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Retry-After": "10"})
        day = timezone.localtime(export.ready_at).date().isoformat()
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"rehearse-data-{day}.zip",
            content_type="application/zip",
        )

    @extend_schema(request=None, responses={202: DataExportSerializer})
    def post(self, request: Request) -> Response:
        """Prepare a new export (with what changed since the last one)."""
        export = privacy.export_request(user=request.user)  # type: ignore[arg-type]
        return Response(DataExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class AccessLogView(ListAPIView):
    """Who read the signed-in user's work (coaches, admins, site staff), newest first."""

    serializer_class = AccessRecordSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AccessRecord.objects.none()
        return privacy.accesses_of(self.request.user)  # type: ignore[arg-type]
