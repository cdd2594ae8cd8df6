"""Forms of the livelihood pages: they parse input for the services, which
check the rules; Chinese messages, nothing lost on a bad submission."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.core.forms import StaffForm, choice_errors, date_widget, text_errors
from grassroots.regions.models import Node
from grassroots.regions.presentation import MaskedResident

from .models import ActivityKind, FlagKind, VisitKind

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
    residents = forms.TypedMultipleChoiceField(
        label="巡诊见到的居民(可多选)",
        required=False,
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input mt-0"}),
        error_messages={"invalid_choice": "所选居民不在该地点,请重新选择。", "invalid_pk_value": "所选居民无效。"},
    )

    def __init__(self, *args: Any, places: list[Node], seen: list[MaskedResident] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = [(n.pk, n.label) for n in places]  # type: ignore[attr-defined]
        self.fields["node"].error_messages["invalid_choice"] = "所选地点无效,请重新选择。"
        self.fields["residents"].choices = [  # type: ignore[attr-defined]
            (r.pk, f"{r.name}({r.gender_display},{r.age}岁,{r.address})") for r in seen or []
        ]


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


class ProjectForm(StaffForm):
    title = forms.CharField(label="项目名称", max_length=100, error_messages=text_errors("项目名称"))
    node = forms.TypedChoiceField(label="实施范围", coerce=int, choices=[], error_messages=choice_errors("实施范围"))
    budget = forms.DecimalField(
        label="预算(元)",
        max_digits=14,
        decimal_places=2,
        error_messages={
            "required": "请填写预算。",
            "invalid": "预算应为金额数字。",
            "max_digits": "预算金额过大。",
            "max_decimal_places": "预算最多两位小数。",
            "max_whole_digits": "预算金额过大。",
        },
    )
    funding_source = forms.CharField(label="资金来源", max_length=100, error_messages=text_errors("资金来源"))
    description = forms.CharField(
        label="项目内容", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    milestones = forms.CharField(
        label="项目节点(每行一个:节点名称 完成后进度%,例如“开工建设 30”)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=text_errors("项目节点"),
    )

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = [(n.pk, n.label) for n in places]  # type: ignore[attr-defined]

    def clean_milestones(self) -> list[tuple[str, int]]:
        rows = []
        for n, line in enumerate(str(self.cleaned_data["milestones"]).splitlines(), start=1):
            line = line.strip().rstrip("%").strip()
            if not line:
                continue
            title, _, percent = line.rpartition(" ")
            if not title.strip() or not percent.isdigit():
                raise forms.ValidationError(f"第 {n} 行应为“节点名称 进度”,例如“开工建设 30”。")
            rows.append((title.strip(), int(percent)))
        if not rows:
            raise forms.ValidationError("请至少填写一个项目节点。")
        return rows


class ReachForm(StaffForm):
    note = forms.CharField(label="完成情况", required=False, max_length=500, error_messages=text_errors("完成情况"))


class PhotoForm(StaffForm):
    photo = forms.FileField(label="照片", error_messages={"required": "请选择照片。", "empty": "照片是空文件。"})
    caption = forms.CharField(label="说明", required=False, max_length=100, error_messages=text_errors("说明"))


WEEKDAYS = [
    ("", "不重复"),
    ("0", "每周一"),
    ("1", "每周二"),
    ("2", "每周三"),
    ("3", "每周四"),
    ("4", "每周五"),
    ("5", "每周六"),
    ("6", "每周日"),
]


class ActivityForm(StaffForm):
    title = forms.CharField(label="活动名称", max_length=100, error_messages=text_errors("活动名称"))
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices, error_messages=choice_errors("活动类型"))
    node = forms.TypedChoiceField(label="举办范围", coerce=int, choices=[], error_messages=choice_errors("举办范围"))
    starts_on = forms.DateField(
        label="日期(每周固定的活动填开始日期)", widget=date_widget(), error_messages=DATE_ERRORS
    )
    place = forms.CharField(label="地点", max_length=100, error_messages=text_errors("地点"))
    capacity = forms.IntegerField(
        label="名额(不填为不限)",
        required=False,
        min_value=1,
        error_messages={"invalid": "名额应为正整数。", "min_value": "名额应为正整数。"},
    )
    weekday = forms.TypedChoiceField(
        label="重复",
        required=False,
        coerce=int,
        empty_value=None,
        choices=WEEKDAYS,
        error_messages=choice_errors("重复"),
    )

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = [(n.pk, n.label) for n in places]  # type: ignore[attr-defined]


class RegisterForm(StaffForm):
    id_number = forms.CharField(label="报名居民身份证号", max_length=30, error_messages=text_errors("身份证号"))
    field_aliases = {"resident": "id_number"}


class CheckInForm(StaffForm):
    village = forms.TypedChoiceField(label="村/社区", coerce=int, choices=[], error_messages=choice_errors("村/社区"))
    participants = forms.IntegerField(
        label="参加人数",
        min_value=1,
        error_messages={
            "required": "请填写参加人数。",
            "invalid": "参加人数应为整数。",
            "min_value": "参加人数至少为 1。",
        },
    )
    note = forms.CharField(label="情况", required=False, max_length=200, error_messages=text_errors("情况"))

    def __init__(self, *args: Any, villages: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = {n.pk: n for n in villages}
        self.fields["village"].choices = [(n.pk, n.label) for n in villages]  # type: ignore[attr-defined]
