"""Forms of the livelihood pages: they parse input for the services, which
check the rules; Chinese messages, nothing lost on a bad submission."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.core.forms import StaffForm, choice_errors, date_widget, text_errors
from grassroots.regions.models import Node

from .models import FlagKind, VisitKind

DATE_ERRORS = {"required": "请填写日期。", "invalid": "请输入有效的日期。"}


class VisitForm(StaffForm):
    kind = forms.ChoiceField(label="走访类型", choices=VisitKind.choices, error_messages=choice_errors("走访类型"))
    visited_on = forms.DateField(label="走访日期", widget=date_widget(), error_messages=DATE_ERRORS)
    note = forms.CharField(
        label="走访情况",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=text_errors("走访情况"),
    )
    opinion = forms.CharField(
        label="意见建议(可转为说事)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors("意见建议"),
    )
    field_aliases = {"list_kind": "kind"}


class ToMatterForm(StaffForm):
    title = forms.CharField(label="事项标题", required=False, max_length=100, error_messages=text_errors("事项标题"))


class HealthRoundForm(StaffForm):
    node = forms.TypedChoiceField(label="村/社区或网格", coerce=int, choices=[], error_messages=choice_errors("地点"))
    place = forms.CharField(label="巡诊地点", max_length=100, error_messages=text_errors("巡诊地点"))
    held_on = forms.DateField(label="巡诊日期", widget=date_widget(), error_messages=DATE_ERRORS)
    served = forms.IntegerField(
        label="服务人数",
        min_value=1,
        error_messages={
            "required": "请填写服务人数。",
            "invalid": "服务人数应为整数。",
            "min_value": "服务人数至少为 1。",
        },
    )
    note = forms.CharField(label="备注", required=False, max_length=500, error_messages=text_errors("备注"))

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = [(n.pk, n.label) for n in places]  # type: ignore[attr-defined]
        self.fields["node"].error_messages["invalid_choice"] = "所选地点无效,请重新选择。"


class FlagForm(StaffForm):
    kind = forms.ChoiceField(label="标记类型", choices=FlagKind.choices, error_messages=choice_errors("标记类型"))
    id_number = forms.CharField(
        label="居民身份证号(低收入家庭填户主)", max_length=30, error_messages=text_errors("身份证号")
    )
    source = forms.CharField(label="认定来源", max_length=100, error_messages=text_errors("认定来源"))
    since = forms.DateField(label="认定日期", widget=date_widget(), error_messages=DATE_ERRORS)
    note = forms.CharField(label="备注", required=False, max_length=200, error_messages=text_errors("备注"))
    field_aliases = {"resident": "id_number", "household": "id_number"}


class EndFlagForm(StaffForm):
    reason = forms.CharField(label="撤销原因", max_length=200, error_messages=text_errors("撤销原因"))
