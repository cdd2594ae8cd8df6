"""Serializers of the economy API (names prefixed `Economy…`). Errors are in
Chinese; the rules themselves are checked by services/. Amounts are decimal
strings (yuan with two decimals), shares decimal strings in percent."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from grassroots.core.api.fields import IdField, MonthField, choice_field, text_field

from ..models import (
    Company,
    DistributionEvent,
    DistributionLine,
    DistributionPlan,
    IncomeEntry,
    LandPlot,
    PlotStage,
    Shareholding,
    Source,
    Tenant,
)


def money(label: str, *, required: bool = True) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        required=required,
        error_messages={
            "required": f"请填写{label}。",
            "null": f"请填写{label}。",
            "invalid": f"{label}应为数字。",
            "max_digits": f"{label}太大了。",
            "max_whole_digits": f"{label}太大了。",
            "max_decimal_places": f"{label}最多精确到分(两位小数)。",
            "min_value": f"{label}不能小于零。",
            "max_string_length": f"{label}太长了。",
        },
    )


def year() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年度。",
            "invalid": "年度应为数字。",
            "min_value": "年度不能早于 2000 年。",
            "max_value": "年度不能晚于 2100 年。",
        },
    )


def date(label: str, *, required: bool = True) -> serializers.DateField:
    return serializers.DateField(
        required=required,
        allow_null=not required,
        default=None if not required else serializers.empty,
        error_messages={"required": f"请填写{label}。", "invalid": f"{label}应为 YYYY-MM-DD 格式的日期。"},
    )


class EconomyShareholdingSerializer(serializers.ModelSerializer):
    village_label = serializers.CharField(source="village.label", read_only=True)

    class Meta:
        model = Shareholding
        fields = ["id", "village", "village_label", "contribution", "share", "valid_from", "valid_to"]
        read_only_fields = fields


class EconomyCompanySerializer(serializers.ModelSerializer):
    """`committee` is party's 联村党委 organisation (ADR 0045)."""

    committee_name = serializers.CharField(source="committee.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Company
        fields = ["id", "name", "node", "committee", "committee_name", "founded_on", "note", "created_at"]
        read_only_fields = fields


class EconomyHoldingInputSerializer(serializers.Serializer):
    village = IdField()
    contribution = money("出资额")
    share = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        error_messages={
            "required": "请填写持股比例。",
            "invalid": "持股比例应为数字。",
            "max_digits": "持股比例不能超过 100。",
            "max_whole_digits": "持股比例不能超过 100。",
            "max_decimal_places": "持股比例最多四位小数。",
            "max_string_length": "持股比例太长了。",
        },
    )


class EconomySharesInputSerializer(serializers.Serializer):
    valid_from = date("生效日期")
    shares = EconomyHoldingInputSerializer(many=True, error_messages={"not_a_list": "股权应为列表。"})


class EconomyCompanyInputSerializer(serializers.Serializer):
    name = text_field("公司名称", 100)
    founded_on = date("成立日期")
    committee = IdField(required=False, allow_null=True, default=None)
    note = text_field("备注", 1000, required=False)
    shares = EconomyHoldingInputSerializer(many=True, error_messages={"not_a_list": "股权应为列表。"})


class EconomySharesQuerySerializer(serializers.Serializer):
    on = date("日期", required=False)


class EconomyIncomeSerializer(serializers.ModelSerializer):
    village_label = serializers.CharField(source="village.label", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    month = MonthField(read_only=True)

    class Meta:
        model = IncomeEntry
        fields = [
            "id",
            "village",
            "village_label",
            "month",
            "source",
            "source_display",
            "project",
            "amount",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class EconomyIncomeInputSerializer(serializers.Serializer):
    village = IdField()
    month = MonthField()
    source = choice_field("收入来源", Source.choices)
    amount = money("金额")
    project = text_field("项目", 100, required=False)
    note = text_field("备注", 200, required=False)


class EconomyIncomeFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, error_messages={"invalid": "年度应为数字。"}
    )


class EconomyVillageYearSerializer(serializers.Serializer):
    village = serializers.IntegerField(source="village.pk")
    village_label = serializers.CharField(source="village.label")
    projected = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2)
    rate = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class EconomyTargetInputSerializer(serializers.Serializer):
    village = IdField()
    year = year()
    amount = money("预计收入")


class EconomyLineSerializer(serializers.ModelSerializer):
    village_label = serializers.CharField(source="village.label", read_only=True)

    class Meta:
        model = DistributionLine
        fields = ["village", "village_label", "share", "amount"]
        read_only_fields = fields


class EconomyPlanSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    lines = EconomyLineSerializer(many=True, read_only=True)

    class Meta:
        model = DistributionPlan
        fields = [
            "id",
            "company",
            "company_name",
            "year",
            "total",
            "shares_on",
            "note",
            "state",
            "state_display",
            "resolution",
            "village",
            "matter",
            "lines",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EconomyPlanInputSerializer(serializers.Serializer):
    company = IdField()
    year = year()
    total = money("可分配利润")
    shares_on = date("股权基准日", required=False)
    note = text_field("说明", 200, required=False)


class EconomyRecomputeSerializer(serializers.Serializer):
    total = money("可分配利润")
    shares_on = date("股权基准日")


class EconomyResolutionSerializer(serializers.Serializer):
    resolution = text_field("议事会议表决结果", 500)


class EconomyReasonSerializer(serializers.Serializer):
    reason = text_field("退回原因", 500)


class EconomyPlanEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = DistributionEvent
        fields = ["id", "action", "from_state", "to_state", "actor_name", "text", "created_at"]
        read_only_fields = fields

    def get_actor_name(self, obj: DistributionEvent) -> str:
        return str(obj.actor) if obj.actor is not None else "系统"


class EconomyPlotSerializer(serializers.ModelSerializer):
    village_label = serializers.CharField(source="village.label", read_only=True)
    stages_done = serializers.IntegerField(read_only=True)

    class Meta:
        model = LandPlot
        fields = [
            "id",
            "project",
            "village",
            "village_label",
            "name",
            "area_mu",
            "vacated_on",
            "signed_on",
            "demolished_on",
            "compensated_on",
            "stages_done",
        ]
        read_only_fields = fields


class EconomyPlotInputSerializer(serializers.Serializer):
    project = IdField(required=False, allow_null=True, default=None)
    village = IdField()
    name = text_field("地块名称", 100)
    area_mu = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": "请填写面积。",
            "invalid": "面积应为数字。",
            "max_digits": "面积太大了。",
            "max_whole_digits": "面积太大了。",
            "max_decimal_places": "面积最多两位小数。",
        },
    )


class EconomyPlotStageSerializer(serializers.Serializer):
    stage = choice_field("环节", PlotStage.choices)
    day = date("完成日期", required=False)


class EconomyTenantSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Tenant
        fields = ["id", "project", "company", "area_m2", "annual_rent", "state", "state_display", "updated_at"]
        read_only_fields = fields


class EconomyTenantInputSerializer(serializers.Serializer):
    project = IdField()
    company = text_field("企业名称", 100)
    area_m2 = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "请填写面积。",
            "invalid": "面积应为数字。",
            "max_digits": "面积太大了。",
            "max_whole_digits": "面积太大了。",
            "max_decimal_places": "面积最多两位小数。",
        },
    )
    annual_rent = money("年租金", required=False)
