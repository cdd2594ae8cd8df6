"""Page forms: they only parse input; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.accounts.models import User
from grassroots.matters.models import ResponsibleUnit
from grassroots.regions.models import Node

from .models import Kind
from .rules import Proposers, Threshold, VoteMethod


def _req(label: str) -> dict[str, str]:
    return {
        "required": f"请填写{label}。",
        "invalid": f"{label}格式不正确。",
        "invalid_choice": f"请选择有效的{label}。",
    }


class Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")


class ConveneForm(Styled):
    node: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="村(社区)", queryset=Node.objects.none(), error_messages=_req("村(社区)"), empty_label="请选择"
    )
    kind = forms.ChoiceField(
        label="会议类型", choices=[c for c in Kind.choices if c[0] != Kind.JOINT], error_messages=_req("会议类型")
    )
    title = forms.CharField(label="会议名称", max_length=100, error_messages=_req("会议名称"))
    starts_at = forms.DateTimeField(
        label="开始时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages=_req("开始时间"),
    )
    place = forms.CharField(label="地点", max_length=100, error_messages=_req("地点"))
    invite_all = forms.BooleanField(label="邀请全体在任群众代表(短信通知)", required=False, initial=True)

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = villages  # type: ignore[attr-defined]


class RuleForm(Styled):
    node: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="适用辖区", queryset=Node.objects.none(), error_messages=_req("适用辖区"), empty_label="请选择"
    )
    title = forms.CharField(label="规则标题", max_length=100, error_messages=_req("规则标题"))
    proposers = forms.ChoiceField(label="议题提出", choices=Proposers.choices, error_messages=_req("议题提出"))
    quorum_numerator = forms.IntegerField(label="法定人数(分子)", min_value=1, max_value=100, initial=2)
    quorum_denominator = forms.IntegerField(label="法定人数(分母)", min_value=1, max_value=100, initial=3)
    threshold = forms.ChoiceField(label="通过标准", choices=Threshold.choices, error_messages=_req("通过标准"))
    vote_method = forms.ChoiceField(label="表决方式", choices=VoteMethod.choices, error_messages=_req("表决方式"))
    effective_from = forms.DateField(
        label="施行日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_req("施行日期"),
    )
    text = forms.CharField(label="规则全文", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.BooleanField(label="立即发布", required=False, initial=True)

    def __init__(self, *args: Any, nodes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes  # type: ignore[attr-defined]


class StaffChoice(forms.ModelChoiceField):
    """A staff member shown with role and place, e.g. 王网格(网格员 · 第1网格)."""

    def label_from_instance(self, obj: Any) -> str:
        place = obj.jurisdiction.label if obj.jurisdiction is not None else ""
        return f"{obj}({obj.get_role_display()}{' · ' + place if place else ''})"


class ResolutionForm(Styled):
    decision = forms.CharField(
        label="决议内容(通过时即为办理方案)", widget=forms.Textarea(attrs={"rows": 3}), error_messages=_req("决议内容")
    )
    votes_for = forms.IntegerField(label="赞成", min_value=0, required=False, initial=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, required=False, initial=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, required=False, initial=0)
    responsible_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=ResponsibleUnit.objects.none(),
        required=False,
        empty_label="请选择(事项通过时必填)",
        error_messages=_req("责任单位"),
    )
    assignee = StaffChoice(
        label="承办人",
        queryset=User.objects.none(),
        required=False,
        empty_label="请选择(事项通过时必填)",
        error_messages=_req("承办人"),
    )
    due_date = forms.DateField(
        label="办理期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_req("办理期限"),
    )

    def __init__(self, *args: Any, units: Any = None, assignees: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["responsible_unit"].queryset = units  # type: ignore[attr-defined]
        # The staff who may handle the matter (its grid, village or the subdistrict).
        staff = User.objects.filter(pk__in=[u.pk for u in assignees]).select_related("jurisdiction")
        field: Any = self.fields["assignee"]
        field.queryset = staff.order_by("jurisdiction__path", "display_name", "username")


class CorrectionForm(Styled):
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0)
    reason = forms.CharField(label="更正原因", max_length=200, error_messages=_req("更正原因"))


class ProposalForm(Styled):
    village: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="村(社区)", queryset=Node.objects.none(), error_messages=_req("村(社区)"), empty_label="请选择"
    )
    title = forms.CharField(label="议题", max_length=100, error_messages=_req("议题"))
    description = forms.CharField(
        label="具体内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), error_messages=_req("具体内容")
    )
    proposer_name = forms.CharField(label="您的姓名", max_length=50, error_messages=_req("姓名"))
    proposer_phone = forms.CharField(label="手机号(选填,便于回复)", max_length=11, required=False)

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
