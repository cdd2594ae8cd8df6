"""Forms of the party pages (Chinese messages; a service error goes next to
its field and nothing typed is lost)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from grassroots.core.forms import StaffForm, choice_errors, date_widget, text_errors

from .models import Audience, BranchKind, MemberStatus, Post, VisitKind
from .services.board import LINES, TERMS

TERM_LABELS = {
    "training_hour": "每学时积分",
    "pair_visit": "每次结对走访/帮扶积分",
    "activity": "每次参加活动积分",
    "matter_raised": "每件反映说事积分",
    "matter_settled": "每件办结说事积分",
    "red_at": "红榜分数线(不低于)",
    "yellow_below": "黄榜分数线(低于)",
}


def _node_choices(nodes: list[Any]) -> list[tuple[str, str]]:
    return [(str(n.pk), n.label) for n in nodes]


class BranchForm(StaffForm):
    name = forms.CharField(label="组织名称", max_length=100, error_messages=text_errors("组织名称"))
    kind = forms.ChoiceField(label="类型", choices=BranchKind.choices, error_messages=choice_errors("类型"))
    node = forms.ChoiceField(label="所在村/社区(联村党委选街道)", error_messages=choice_errors("所在地"))
    villages = forms.MultipleChoiceField(
        label="联建村/社区(仅联村党委)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_errors("联建村/社区"),
    )

    def __init__(self, *args: Any, places: list[Any], villages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["node"]).choices = _node_choices(places)
        cast(forms.ChoiceField, self.fields["villages"]).choices = _node_choices(villages)


class MemberForm(StaffForm):
    resident = forms.CharField(
        label="居民(姓名或身份证号)",
        required=False,
        max_length=50,
        help_text="党员是本村/社区居民时填写;与工作人员账号二选一。",
    )
    username = forms.CharField(label="或工作人员账号(用户名)", required=False, max_length=150)
    post = forms.ChoiceField(
        label="职务", choices=Post.choices, initial=Post.NONE, error_messages=choice_errors("职务")
    )
    status = forms.ChoiceField(
        label="党员类别",
        choices=MemberStatus.choices,
        initial=MemberStatus.FULL,
        error_messages=choice_errors("党员类别"),
    )
    joined_on = forms.DateField(
        label="入党日期", required=False, widget=date_widget(), error_messages={"invalid": "请填写有效的日期。"}
    )
    field_aliases = {"person": "resident"}


class RevealForm(StaffForm):
    reason = forms.CharField(label="查看原因", max_length=200, error_messages=text_errors("查看原因"))


class PairForm(StaffForm):
    member = forms.ChoiceField(label="帮扶党员", error_messages=choice_errors("帮扶党员"))
    household = forms.CharField(label="困难户(户主姓名或身份证号)", max_length=50, error_messages=text_errors("困难户"))
    difficulty = forms.CharField(label="困难情况", max_length=200, error_messages=text_errors("困难情况"))
    started_on = forms.DateField(
        label="结对日期",
        widget=date_widget(),
        error_messages={"required": "请填写结对日期。", "invalid": "请填写有效的日期。"},
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member"]).choices = [("", "请选择")] + [
            (str(m.pk), f"{m.masked_name}({m.branch.name})") for m in members
        ]


class VisitForm(StaffForm):
    kind = forms.ChoiceField(
        label="类型", choices=VisitKind.choices, initial=VisitKind.VISIT, error_messages=choice_errors("类型")
    )
    visited_on = forms.DateField(
        label="日期", widget=date_widget(), error_messages={"required": "请填写日期。", "invalid": "请填写有效的日期。"}
    )
    note = forms.CharField(
        label="情况记录",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors("情况记录"),
    )


class TrainingForm(StaffForm):
    title = forms.CharField(label="培训主题", max_length=100, error_messages=text_errors("培训主题"))
    audience = forms.ChoiceField(
        label="培训对象", choices=Audience.choices, initial=Audience.ALL, error_messages=choice_errors("培训对象")
    )
    node = forms.ChoiceField(label="举办单位", error_messages=choice_errors("举办单位"))
    starts_at = forms.DateTimeField(
        label="开始时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写开始时间。", "invalid": "请填写有效的时间。"},
    )
    hours = forms.DecimalField(
        label="学时",
        max_digits=4,
        decimal_places=1,
        min_value=0.1,
        max_value=24,
        error_messages={
            "required": "请填写学时。",
            "invalid": "学时应为数字。",
            "min_value": "学时应大于 0。",
            "max_value": "学时不能超过 24。",
            "max_decimal_places": "学时最多一位小数。",
            "max_digits": "学时不能超过 24。",
        },
    )
    location = forms.CharField(label="地点", max_length=100, required=False)

    def __init__(self, *args: Any, places: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["node"]).choices = _node_choices(places)


class RuleForm(StaffForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*TERMS, *LINES):
            self.fields[name] = forms.DecimalField(
                label=TERM_LABELS[name],
                max_digits=6,
                decimal_places=2,
                min_value=0,
                max_value=1000,
                error_messages={
                    "required": "请填写数字。",
                    "invalid": "请填写数字。",
                    "min_value": "不能小于 0。",
                    "max_value": "不能超过 1000。",
                    "max_decimal_places": "最多两位小数。",
                    "max_digits": "不能超过 1000。",
                },
            )
            self.fields[name].widget.attrs["class"] = "form-control"


class MonthForm(StaffForm):
    month = forms.CharField(label="月份", max_length=7, required=False)
