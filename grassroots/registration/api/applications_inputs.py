"""Request bodies of the applications API (api/applications.py and
applications_public.py); the answers are in applications_serializers.py."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.core.api.fields import IdField
from grassroots.core.inputs import input_from

from ..models import (
    MaterialStatus,
    Service,
)
from ..selectors.applications import FUNDS_PROOFS, UPLOADABLE_EXTRAS
from ..services.applications import ApplicationInput, Verdict
from ..services.decisions import SUSPENSION_KINDS
from ..services.notice import PREMISES_CHOICES

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
        return input_from(
            ApplicationInput, data, org_type=service.org_type, pne_form=pne_form, agent_name=agent_name, answers=answers
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
