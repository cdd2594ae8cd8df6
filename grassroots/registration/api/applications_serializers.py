"""Answers of the applications API (api/applications.py; the request bodies
are in applications_inputs.py). Phone and ID numbers are masked in every
answer; the public serializers never show staff names."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.masking import mask_id_number, mask_phone

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    ClockStop,
    Commitment,
    ReturnNotice,
)
from ..permissions import public_actions
from ..selectors.applications import Checklist, ChecklistItem
from ..services.clock import ApplicationClock
from ..services.workflow import EVENT_LABELS, format_tracking_code

# --- Output -----------------------------------------------------------------------------


class AppMaterialSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = ApplicationMaterial
        fields = [
            "id",
            "requirement",
            "extra_kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "status",
            "status_display",
            "review_reason",
            "superseded",
            "on_behalf_of",
            "created_at",
        ]


class AppChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    requirement = serializers.SerializerMethodField()
    requirement_code = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    replaced_by = serializers.CharField()
    material = AppMaterialSerializer(allow_null=True)

    def get_requirement(self, item: ChecklistItem) -> int | None:
        return item.requirement.pk if item.requirement else None

    def get_requirement_code(self, item: ChecklistItem) -> str:
        return item.requirement.code if item.requirement else ""


class AppChecklistSerializer(serializers.Serializer):
    items = AppChecklistItemSerializer(many=True)
    extras = AppChecklistItemSerializer(many=True)
    complete = serializers.BooleanField()
    needs_authorisation = serializers.BooleanField()
    funds_by_commitment = serializers.BooleanField(
        help_text="以告知承诺证明资金:可另传银行存款凭证(extra_kind=bank_voucher)。"
    )


class AppEventSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = [
            "action",
            "action_label",
            "from_state",
            "to_state",
            "actor_label",
            "on_behalf_of",
            "text",
            "public",
            "data",
            "created_at",
        ]

    def get_action_label(self, event: ApplicationEvent) -> str:
        return EVENT_LABELS.get(event.action, event.action)


class AppPublicEventSerializer(AppEventSerializer):
    actor_label = serializers.SerializerMethodField()

    class Meta(AppEventSerializer.Meta):
        fields = ["action", "action_label", "to_state", "actor_label", "on_behalf_of", "text", "created_at"]

    def get_actor_label(self, event: ApplicationEvent) -> str:
        return "登记窗口" if event.actor_id else event.actor_label


class AppReturnNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnNotice
        fields = ["id", "number", "items", "issued_at", "within_statutory_period"]


class AppCommitmentSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    replaces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "status",
            "status_display",
            "text",
            "replaces",
            "signed_at",
            "verification_due",
            "verified_at",
            "verification_note",
        ]


class AppClockStopSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClockStop
        fields = ["kind", "reason", "started_on", "ended_on", "extension_days"]


class AppDueStatusSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="none / ok / warn(≤1 个工作日)/ overdue / stopped")
    label = serializers.CharField()
    days_left = serializers.IntegerField(allow_null=True)


class AppClockSerializer(serializers.Serializer):
    review = AppDueStatusSerializer()
    statutory = AppDueStatusSerializer()
    promised = AppDueStatusSerializer()
    deemed_accepted = serializers.BooleanField(help_text="初审逾期未告知,依第三十二条视为受理")
    suspended_days = serializers.IntegerField()
    extended = serializers.BooleanField()


class ApplicationSerializer(serializers.ModelSerializer):
    tracking_code = serializers.SerializerMethodField()
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "tracking_code",
            "service",
            "service_name",
            "state",
            "state_display",
            "org_name",
            "org_type",
            "applicant_name",
            "assisted",
            "submitted_at",
            "review_due",
            "accepted_on",
            "statutory_due",
            "promised_due",
            "due_provisional",
            "created_at",
        ]

    def get_tracking_code(self, application: Application) -> str:
        return format_tracking_code(application.tracking_code)


class ApplicationDetailSerializer(ApplicationSerializer):
    applicant_phone = serializers.SerializerMethodField()
    applicant_id_number = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()
    events = AppEventSerializer(many=True, read_only=True)
    return_notices = AppReturnNoticeSerializer(many=True, read_only=True)
    clock_stops = AppClockStopSerializer(many=True, read_only=True)
    commitment = serializers.SerializerMethodField()
    credit_code = serializers.CharField(source="organisation.credit_code", default="", read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "pne_form",
            "field",
            "address",
            "supervising_unit",
            "funds",
            "business_scope",
            "legal_representative",
            "applicant_phone",
            "applicant_id_number",
            "agent_name",
            "answers",
            "appointment",
            "decision_reason",
            "decided_at",
            "credit_code",
            "checklist",
            "clock",
            "clock_stops",
            "commitment",
            "return_notices",
            "events",
        ]

    def get_applicant_phone(self, application: Application) -> str:
        return mask_phone(application.applicant_phone)

    def get_applicant_id_number(self, application: Application) -> str:
        return mask_id_number(application.applicant_id_number) if application.applicant_id_number else ""

    @extend_schema_field(AppChecklistSerializer)
    def get_checklist(self, application: Application) -> Any:
        checklist: Checklist = self.context["checklist"]
        return AppChecklistSerializer(checklist).data

    @extend_schema_field(AppClockSerializer(allow_null=True))
    def get_clock(self, application: Application) -> Any:
        clock: ApplicationClock | None = self.context.get("clock")
        return AppClockSerializer(clock).data if clock else None

    @extend_schema_field(AppCommitmentSerializer(allow_null=True))
    def get_commitment(self, application: Application) -> Any:
        checklist: Checklist = self.context["checklist"]
        return AppCommitmentSerializer(checklist.commitment).data if checklist.commitment else None


class AppPublicApplicationSerializer(ApplicationDetailSerializer):
    events = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(ApplicationDetailSerializer.Meta):
        fields = [
            "number",
            "tracking_code",
            "service",
            "service_name",
            "state",
            "state_display",
            "org_name",
            "applicant_name",
            "agent_name",
            "submitted_at",
            "review_due",
            "accepted_on",
            "statutory_due",
            "promised_due",
            "decision_reason",
            "credit_code",
            "checklist",
            "commitment",
            "return_notices",
            "events",
            "actions",
        ]

    @extend_schema_field(AppPublicEventSerializer(many=True))
    def get_events(self, application: Application) -> Any:
        return AppPublicEventSerializer([e for e in application.events.all() if e.public], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, application: Application) -> list[str]:
        return public_actions(application)
