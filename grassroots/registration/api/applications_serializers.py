"""Serializers of the applications API (api/applications.py). Phone and ID
numbers are masked in every answer; the public serializers never show staff
names."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.api.fields import IdField
from grassroots.core.masking import mask_id_number, mask_phone

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    ClockStop,
    Commitment,
    MaterialStatus,
    ReturnNotice,
    Service,
)
from ..selectors.applications import FUNDS_PROOFS, UPLOADABLE_EXTRAS, Checklist, ChecklistItem
from ..services.applications import ApplicationInput, Verdict
from ..services.clock import ApplicationClock
from ..services.decisions import SUSPENSION_KINDS
from ..services.notice import PREMISES_CHOICES
from ..services.workflow import EVENT_LABELS, format_tracking_code

# --- Input ------------------------------------------------------------------------------


class AppAnswersSerializer(serializers.Serializer):
    """The one-time-notice answers that decide the material list."""

    needs_supervisor = serializers.BooleanField(default=True, help_text="需要业务主管单位(四类直接登记的组织为 false)")
    funds_proof = serializers.ChoiceField(choices=FUNDS_PROOFS, default="capital_report", help_text="资金证明方式")
    premises = serializers.ChoiceField(choices=PREMISES_CHOICES, default="owned", help_text="住所情况")
    has_premises = serializers.BooleanField(default=True)
    pne_form = serializers.ChoiceField(choices=["legal", "partnership", "individual", ""], default="", required=False)


class ApplicationInputSerializer(serializers.Serializer):
    org_name = serializers.CharField(max_length=100)
    field = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    supervising_unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    funds = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    business_scope = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    applicant_name = serializers.CharField(max_length=50)
    applicant_phone = serializers.CharField(max_length=20)
    applicant_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    answers = AppAnswersSerializer(required=False)

    def to_input(self, service: Service, *, agent_name: str = "") -> ApplicationInput:
        data = self.validated_data
        answers = dict(data.get("answers") or {})
        pne_form = answers.pop("pne_form", "") or ("legal" if service.org_type == "pne" else "")
        return ApplicationInput(
            org_name=data["org_name"],
            org_type=service.org_type,
            pne_form=pne_form,
            field=data.get("field", ""),
            address=data.get("address", ""),
            supervising_unit=data.get("supervising_unit", ""),
            funds=data.get("funds"),
            business_scope=data.get("business_scope", ""),
            legal_representative=data.get("legal_representative", ""),
            applicant_name=data["applicant_name"],
            applicant_phone=data["applicant_phone"],
            applicant_id_number=data.get("applicant_id_number", ""),
            agent_name=agent_name,
            answers=answers,
        )


class AppStaffCreateSerializer(ApplicationInputSerializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all(), help_text="事项代码")
    appointment = IdField(required=False, allow_null=True, default=None, help_text="预约编号(帮办)")
    on_behalf_of = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class AppPublicCreateSerializer(ApplicationInputSerializer):
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.filter(online=True, kind="establish"), help_text="事项代码"
    )
    agent_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class AppUploadSerializer(serializers.Serializer):
    requirement = IdField(required=False, allow_null=True, default=None, help_text="材料项目编号")
    extra_kind = serializers.ChoiceField(choices=UPLOADABLE_EXTRAS, required=False, allow_blank=True, default="")
    file = serializers.FileField()
    authorisation_letter = serializers.FileField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("requirement")) == bool(attrs.get("extra_kind")):
            raise serializers.ValidationError("请指定材料项目(requirement)或材料类别(extra_kind)之一。")
        return attrs


class AppVerdictSerializer(serializers.Serializer):
    material = IdField(required=False, allow_null=True, default=None)
    requirement = IdField(required=False, allow_null=True, default=None)
    extra_kind = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=[MaterialStatus.OK, MaterialStatus.MISSING, MaterialStatus.WRONG])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def to_verdict(self, data: dict[str, Any]) -> Verdict:
        return Verdict(
            status=data["status"],
            reason=data.get("reason", ""),
            material_id=data.get("material"),
            requirement_id=data.get("requirement"),
            extra_kind=data.get("extra_kind", ""),
        )


class AppReviewSerializer(serializers.Serializer):
    verdicts = AppVerdictSerializer(many=True, allow_empty=False)

    def to_verdicts(self) -> list[Verdict]:
        return [AppVerdictSerializer().to_verdict(item) for item in self.validated_data["verdicts"]]


class AppReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AppOptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AppSuspendSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[str(kind) for kind in SUSPENSION_KINDS])
    reason = serializers.CharField(max_length=200)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class AppResumeSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class AppSignSerializer(serializers.Serializer):
    signed_copy = serializers.FileField()


class AppVerifySerializer(serializers.Serializer):
    truthful = serializers.BooleanField(help_text="核查属实为 true;不实为 false(撤销登记)")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AppEmptySerializer(serializers.Serializer):
    pass


class AppSubmitSerializer(serializers.Serializer):
    confirm_incomplete = serializers.BooleanField(
        default=False,
        help_text="材料不齐时须为 true 才能提交(否则 409 materials_missing,problem 的 missing 列出缺少的材料)。",
    )


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
        from ..permissions import public_actions

        return public_actions(application)
