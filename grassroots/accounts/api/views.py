"""The API on the logged-in user and on core's records: who am I, one's own
in-app notifications, the audit log (the audit administrator's)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.audit import ACTION_LABELS, audit_verify
from grassroots.core.errors import NotFound
from grassroots.core.models import AuditEntry, Notification
from grassroots.core.notifications.selectors import notifications_for_user
from grassroots.core.notifications.services import notification_mark_read


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField()
    jurisdiction = serializers.IntegerField(allow_null=True)
    jurisdiction_label = serializers.CharField(allow_blank=True)
    capabilities = serializers.ListField(child=serializers.CharField())


@extend_schema(tags=["账号"])
class MeView(APIView):
    @extend_schema(summary="当前用户", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        node = user.jurisdiction
        return Response(
            MeSerializer(
                {
                    "id": user.pk,
                    "username": user.username,
                    "display_name": str(user),
                    "role": user.role,
                    "role_display": user.get_role_display() if user.role else "超级用户",
                    "jurisdiction": node.pk if node else None,
                    "jurisdiction_label": node.label if node else "",
                    "capabilities": sorted(ROLE_CAPABILITIES.get(user.role, frozenset())),
                }
            ).data
        )


class NotificationSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "channel", "channel_display", "subject", "body", "link", "created_at", "read_at"]


@extend_schema(tags=["消息"])
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """本人的站内消息。"""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self) -> QuerySet[Notification]:
        unread = self.request.query_params.get("unread") == "1"
        return notifications_for_user(user=self.request.user, unread_only=unread)

    @extend_schema(summary="标为已读", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        if not str(pk).isdigit():
            raise NotFound()
        notification = notification_mark_read(user=request.user, notification_id=int(str(pk)))
        return Response(NotificationSerializer(notification).data)


class AuditEntrySerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor_username",
            "ip",
            "action",
            "action_display",
            "object_type",
            "object_id",
            "result",
            "detail",
            "prev_hash",
            "hash",
        ]

    def get_action_display(self, entry: AuditEntry) -> str:
        return ACTION_LABELS.get(entry.action, entry.action)


@extend_schema(tags=["审计"])
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """审计日志(仅审计管理员)。"""

    permission_classes = [HasCapability.of(Capability.VIEW_AUDIT)]
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.order_by("-id")

    @extend_schema(
        summary="校验哈希链",
        request=None,
        responses=inline_serializer(
            "AuditVerifyResult",
            {
                "ok": serializers.BooleanField(),
                "checked": serializers.IntegerField(),
                "first_broken_id": serializers.IntegerField(allow_null=True),
                "reason": serializers.CharField(),
                "head_hash": serializers.CharField(),
            },
        ),
    )
    @action(detail=False, methods=["post"])
    def verify(self, request: Request) -> Response:
        result = audit_verify()
        return Response(
            {
                "ok": result.ok,
                "checked": result.checked,
                "first_broken_id": result.first_broken_id,
                "reason": result.reason,
                "head_hash": result.head_hash,
            }
        )
