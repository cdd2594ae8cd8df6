"""Forms of the collective-economy pages. They parse and check the shape of
input; the rules live in services/, whose `EconomyError`s the views put next
to the field they concern (`core.forms.add_domain_error`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms

from grassroots.core.forms import StaffForm, choice_errors, date_widget, text_errors
from grassroots.core.months import MONTH_ERROR, parse_month
from grassroots.regions.models import Node

from .models import PlotStage, ProjectKind, ProjectLevel, ProjectStage, Source
from .services.companies import Holding

MONEY_ERRORS = {
    "required": "请填写金额。",
    "invalid": "金额应为数字。",
    "max_digits": "金额太大了。",
    "max_decimal_places": "金额最多精确到分(两位小数)。",
    "max_whole_digits": "金额太大了。",
    "min_value": "金额不能小于零。",
}
SHARE_ERRORS = {
    "invalid": "持股比例应为数字。",
    "max_digits": "持股比例最多四位小数。",
    "max_decimal_places": "持股比例最多四位小数。",
    "max_whole_digits": "持股比例不能超过 100。",
    "min_value": "持股比例不能小于零。",
}
DATE_ERRORS = {"required": "请填写日期。", "invalid": "请填写有效的日期。"}
YEAR_ERRORS = {
    "required": "请填写年度。",
    "invalid": "年度应为数字。",
    "min_value": "年度不能早于 2000 年。",
    "max_value": "年度不能晚于 2100 年。",
}


def money_field(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages=MONEY_ERRORS,
    )


def year_field(*, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label="年度", required=required, min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )


def _village_choices(villages: list[Node]) -> list[tuple[Any, str]]:
    return [(v.pk, v.label) for v in villages]


class YearForm(StaffForm):
    year = year_field(required=False)


class IncomeForm(StaffForm):
    village = forms.TypedChoiceField(label="村/社区", coerce=int, choices=[], error_messages=choice_errors("村/社区"))
    month = forms.CharField(
        label="月份",
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
        error_messages={"required": "请填写月份。", "max_length": MONTH_ERROR},
    )
    source = forms.ChoiceField(label="收入来源", choices=Source.choices, error_messages=choice_errors("收入来源"))
    amount = money_field("金额(元)")
    project = forms.CharField(label="项目(可选)", max_length=100, required=False, error_messages=text_errors("项目"))
    note = forms.CharField(label="备注", max_length=200, required=False, error_messages=text_errors("备注"))

    def __init__(self, *args: Any, villages: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = {v.pk: v for v in villages}
        self.fields["village"].choices = _village_choices(villages)  # type: ignore[attr-defined]

    def clean_month(self) -> datetime.date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(MONTH_ERROR)
        return month


class SharesForm(StaffForm):
    """A contribution and a share for each village of the subtree (a village
    with an empty share is not a shareholder), and the date they take effect."""

    def __init__(self, *args: Any, villages: list[Node], date_label: str = "生效日期", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = villages
        self.fields["valid_from"] = forms.DateField(label=date_label, widget=date_widget(), error_messages=DATE_ERRORS)
        for village in villages:
            self.fields[f"share_{village.pk}"] = forms.DecimalField(
                label=f"{village.label} 持股比例(%)",
                required=False,
                max_digits=7,
                decimal_places=4,
                min_value=Decimal(0),
                error_messages=SHARE_ERRORS,
            )
            self.fields[f"contribution_{village.pk}"] = money_field(f"{village.label} 出资额(元)", required=False)
        # StaffForm styled the declared fields only.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def rows(self) -> list[tuple[Node, Any, Any]]:
        return [(v, self[f"share_{v.pk}"], self[f"contribution_{v.pk}"]) for v in self.villages]

    def holdings(self) -> list[Holding]:
        data = self.cleaned_data
        return [
            Holding(
                village=v,
                share=data[f"share_{v.pk}"],
                contribution=data.get(f"contribution_{v.pk}") or Decimal("0.00"),
            )
            for v in self.villages
            if data.get(f"share_{v.pk}")
        ]


class CompanyForm(SharesForm):
    name = forms.CharField(label="公司名称", max_length=100, error_messages=text_errors("公司名称"))
    # Party's 联村党委 of the user's subtree (the one record, ADR 0045).
    committee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="所属联村党委",
        queryset=None,
        required=False,
        empty_label="不属于联村党委",
        error_messages={"invalid_choice": "请选择本辖区的联村党委。"},
    )
    note = forms.CharField(label="备注", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, villages: list[Node], committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, villages=villages, date_label="成立日期", **kwargs)
        field: Any = self.fields["committee"]
        field.queryset = committees
        self.order_fields(["name", "valid_from", "committee", "note"])


class PlanForm(StaffForm):
    year = year_field()
    total = money_field("可分配利润(元)")
    shares_on = forms.DateField(
        label="股权基准日(默认为年末)", required=False, widget=date_widget(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label="说明", max_length=200, required=False, error_messages=text_errors("说明"))


class RecomputeForm(StaffForm):
    total = money_field("可分配利润(元)")
    shares_on = forms.DateField(label="股权基准日", widget=date_widget(), error_messages=DATE_ERRORS)


class TextForm(StaffForm):
    text = forms.CharField(
        label="内容", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages=text_errors("内容")
    )


class ProjectForm(StaffForm):
    name = forms.CharField(label="项目名称", max_length=100, error_messages=text_errors("项目名称"))
    level = forms.ChoiceField(label="级别", choices=ProjectLevel.choices, error_messages=choice_errors("级别"))
    stage = forms.ChoiceField(label="阶段", choices=ProjectStage.choices, error_messages=choice_errors("阶段"))
    next_milestone = forms.CharField(
        label="下一节点", max_length=200, required=False, error_messages=text_errors("下一节点")
    )
    next_milestone_on = forms.DateField(
        label="节点日期", required=False, widget=date_widget(), error_messages=DATE_ERRORS
    )
    blockers = forms.CharField(
        label="存在问题", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    leader = forms.CharField(label="包挂领导", max_length=50, required=False, error_messages=text_errors("包挂领导"))
    project_type = forms.ChoiceField(
        label="类别",
        choices=ProjectKind.choices,
        initial=ProjectKind.OTHER,
        required=False,
        error_messages=choice_errors("类别"),
    )
    owner = forms.CharField(label="责任单位", max_length=100, required=False, error_messages=text_errors("责任单位"))
    budget = money_field("总投资(元)", required=False)
    funding = forms.CharField(label="资金来源", max_length=200, required=False, error_messages=text_errors("资金来源"))

    def clean_project_type(self) -> str:
        return str(self.cleaned_data.get("project_type") or ProjectKind.OTHER)

    def clean_budget(self) -> Decimal:
        return self.cleaned_data.get("budget") or Decimal("0")


class MilestoneForm(StaffForm):
    """On the project page next to the plot form: ids of its own (both have `name`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_milestone_%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(label="节点名称", max_length=100, error_messages=text_errors("节点名称"))
    planned_on = forms.DateField(label="计划日期", widget=date_widget(), error_messages=DATE_ERRORS)
    progress = forms.IntegerField(
        label="达成后进度(%)",
        min_value=1,
        max_value=100,
        error_messages={
            "required": "请填写进度。",
            "invalid": "进度应为整数。",
            "min_value": "进度应为 1 到 100 之间的整数。",
            "max_value": "进度应为 1 到 100 之间的整数。",
        },
    )


class MilestoneReachForm(StaffForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_reach_%s")
        super().__init__(*args, **kwargs)

    day = forms.DateField(label="达成日期", widget=date_widget(), error_messages=DATE_ERRORS)


class PlotForm(StaffForm):
    village = forms.TypedChoiceField(label="村/社区", coerce=int, choices=[], error_messages=choice_errors("村/社区"))
    name = forms.CharField(label="地块名称", max_length=100, error_messages=text_errors("地块名称"))
    area_mu = forms.DecimalField(
        label="面积(亩)",
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={**MONEY_ERRORS, "required": "请填写面积。", "min_value": "面积应大于零。"},
    )

    def __init__(self, *args: Any, villages: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = {v.pk: v for v in villages}
        self.fields["village"].choices = _village_choices(villages)  # type: ignore[attr-defined]


class PlotStageForm(StaffForm):
    stage = forms.ChoiceField(label="环节", choices=PlotStage.choices, error_messages=choice_errors("环节"))
    day = forms.DateField(
        label="完成日期(留空为未完成)", required=False, widget=date_widget(), error_messages=DATE_ERRORS
    )


class TenantForm(StaffForm):
    company = forms.CharField(label="企业名称", max_length=100, error_messages=text_errors("企业名称"))
    area_m2 = forms.DecimalField(
        label="面积(平方米)",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={**MONEY_ERRORS, "required": "请填写面积。", "min_value": "面积应大于零。"},
    )
    annual_rent = money_field("年租金(元)", required=False)
