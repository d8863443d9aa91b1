"""API: the student's conversations with the chat coach."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from chat import selectors, services
from chat.models import Conversation, Message
from config.errors import RefusalSerializer, Refused, refusal_response


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ("id", "role", "kind", "text", "sources", "practice", "engine", "created_at")
        read_only_fields = fields


class ConversationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversation
        fields = ("id", "title", "created_at", "updated_at")
        read_only_fields = fields


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta:
        model = Conversation
        fields = ("id", "title", "created_at", "updated_at", "messages")
        read_only_fields = fields


class AskSerializer(serializers.Serializer):
    # Checked by the service, which says how long the message was.
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="At most 2,000 characters."
    )


class ConversationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in student's conversations with the coach; anyone else's is a 404."""

    serializer_class = ConversationSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        queryset = selectors.conversations_of(self.request.user)  # type: ignore[arg-type]
        return queryset.prefetch_related("messages") if self.action == "retrieve" else queryset

    def get_serializer_class(self) -> Any:
        return ConversationDetailSerializer if self.action == "retrieve" else ConversationSerializer

    def get_throttles(self) -> list[Any]:
        # Each question costs a model call with a provider: fewer than other requests.
        if self.action in ("create", "ask"):
            self.throttle_scope = "chat"
            return [ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=AskSerializer,
        responses={201: ConversationDetailSerializer, 400: RefusalSerializer},
    )
    def create(self, request: Request) -> Response:
        """Start a conversation with a question; the reply holds it and the coach's answer."""
        return self._ask(request, None)

    @extend_schema(
        request=AskSerializer,
        responses={201: ConversationDetailSerializer, 400: RefusalSerializer},
    )
    @action(detail=True, methods=["post"], url_path="messages")
    def ask(self, request: Request, pk: str | None = None) -> Response:
        """Ask one more question in the conversation; the reply is the whole conversation."""
        return self._ask(request, self.get_object())

    def _ask(self, request: Request, conversation: Conversation | None) -> Response:
        incoming = AskSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            answer = services.message_send(
                user=request.user,  # type: ignore[arg-type]
                text=incoming.validated_data["text"],
                conversation=conversation,
            )
        except Refused as refusal:
            return refusal_response(refusal)
        body = ConversationDetailSerializer(answer.conversation).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Conversation) -> None:
        services.conversation_delete(conversation=instance)
