"""Page forms. They only parse input; services validate the rules and raise
`DomainError`s that the views put back onto the form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.scoping import scope_queryset
from grassroots.regions.models import Level, Node

from .. import permissions, selectors
from ..models import (
    FAILURE_REFERRALS,
    Committee,
    DisputeCase,
    DisputeType,
    FollowUpMethod,
    Party,
    PartyKind,
    PartySide,
    Performance,
    Referral,
    RiskLevel,
    Source,
)
from ..states import State

TEXTAREA = {"rows": 3, "class": "form-control"}
INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"type": "date", "class": "form-control"}
DATETIME = {"type": "datetime-local", "class": "form-control"}
CHECKBOX = {"class": "form-check-input"}


def text_field(
    label: str, *, max_length: int, required: bool = True, area: bool = False, **kwargs: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs=TEXTAREA) if area else forms.TextInput(attrs=INPUT)
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, **kwargs)


def choice_field(label: str, choices: Any, *, required: bool = True, blank: str = "") -> forms.ChoiceField:
    options = [("", blank or "请选择"), *choices] if not required or blank else list(choices)
    return forms.ChoiceField(label=label, choices=options, required=required, widget=forms.Select(attrs=SELECT))


def set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def date_field(label: str, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, initial=initial, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


class NodeChoiceField(forms.ModelChoiceField):
    """Villages and their grids, labelled "village / grid"."""

    parent_labels: dict[str, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        node: Node = obj
        parent = self.parent_labels.get(node.path[: -Node.steplen], "") if node.level == Level.GRID else ""
        return f"{parent} / {node.label}" if parent else node.label


def place_choices(field: forms.Field, user: Any, *, levels: tuple[int, ...] = (Level.VILLAGE, Level.GRID)) -> None:
    assert isinstance(field, NodeChoiceField)
    nodes = scope_queryset(Node.objects.filter(level__in=levels), user).order_by("path")
    field.queryset = nodes
    field.parent_labels = {n.path: n.label for n in scope_queryset(Node.objects.filter(level=Level.VILLAGE), user)}


# --- Registration ---------------------------------------------------------------


class CaseForm(forms.Form):
    source = choice_field("来源", [(k, v) for k, v in Source.choices if k != Source.MATTER], blank="请选择来源")
    source_reference = text_field(
        "来源编号", max_length=60, required=False, help_text="接警单号、法院委派案号或信访件编号"
    )
    title = text_field("案由", max_length=100, help_text="一句话说清是什么纠纷")
    description = text_field("纠纷事实", max_length=5000, area=True)
    dispute_type = choice_field("纠纷类型", DisputeType.choices, blank="请选择类型")
    node = NodeChoiceField(
        label="发生地",
        queryset=Node.objects.none(),
        widget=forms.Select(attrs=SELECT),
        empty_label="请选择村/社区或网格",
    )
    location = text_field("具体位置", max_length=200, required=False)
    amount = forms.DecimalField(
        label="争议金额(元)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.01"}),
    )
    risk_level = choice_field("风险等级", RiskLevel.choices)
    escalation_risk = forms.BooleanField(
        label="有激化风险(可能引发民转刑、群体性事件等)", required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
    risk_note = text_field("风险说明", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place_choices(self.fields["node"], user)


class PartyForm(forms.Form):
    side = choice_field("当事方", PartySide.choices)
    kind = choice_field("类型", PartyKind.choices)
    name = text_field("姓名或名称", max_length=100, required=False)
    id_number = text_field("身份证号", max_length=18, required=False)
    phone = text_field("联系电话", max_length=20, required=False)
    address = text_field("住址或单位地址", max_length=200, required=False)
    credit_code = text_field("统一社会信用代码(组织)", max_length=18, required=False)
    representative = text_field("法定代表人或负责人(组织)", max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("case", None)
        kwargs.pop("user", None)
        kwargs.pop("action", None)
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})


PartyFormSet = forms.formset_factory(PartyForm, extra=3, max_num=3)


def party_formset(data: Any = None) -> Any:
    initial = [{"side": PartySide.APPLICANT}, {"side": PartySide.RESPONDENT}, {"side": PartySide.RESPONDENT}]
    return PartyFormSet(data, prefix="party", initial=initial)


# --- Case actions (detail page; one form per action) -------------------------------------


class ActionForm(forms.Form):
    def __init__(self, *args: Any, case: DisputeCase, user: Any = None, action: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action}_%s" if action else "id_%s")
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user


class ConfirmForm(ActionForm):
    pass


class DeclineForm(ActionForm):
    reason = text_field("不予受理理由", max_length=2000, area=True)
    referral = choice_field("引导去向", Referral.choices)
    referral_note = text_field("引导说明", max_length=200, required=False)


class FailForm(ActionForm):
    reason = text_field("调解不成原因", max_length=2000, area=True)
    referral = choice_field("引导去向", [(k, v) for k, v in Referral.choices if k in FAILURE_REFERRALS])
    referral_note = text_field("引导说明", max_length=200, required=False)


class AgreeForm(ActionForm):
    facts = text_field("纠纷主要事实、争议事项", max_length=5000, area=True)
    terms = text_field("协议内容", max_length=5000, area=True, help_text="逐条写明各方的权利义务")
    performance_method = text_field("履行方式、地点", max_length=300)
    performance_deadline = date_field("履行期限", required=False)
    signed_on = date_field("签订日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facts"].initial = self.case.description
        self.fields["signed_on"].initial = timezone.localdate()


class FollowUpForm(ActionForm):
    visited_on = date_field("回访日期")
    method = choice_field("回访方式", FollowUpMethod.choices)
    performance = choice_field("履行情况", Performance.choices)
    note = text_field("回访情况", max_length=2000, area=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        if self.case.state == State.FAILED or (self.case.outcome and self.case.outcome != "agreed"):
            self.fields["performance"].initial = Performance.NOT_APPLICABLE


class CloseForm(ActionForm):
    summary = text_field("结案小结", max_length=2000, area=True)


class ExtendForm(ActionForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=30, widget=forms.NumberInput(attrs=INPUT))
    reason = text_field("延长理由(须经双方当事人同意)", max_length=500, area=True)


class NoteForm(ActionForm):
    text = text_field("备注", max_length=2000, area=True)


class AddPartyForm(ActionForm, PartyForm):
    def __init__(self, *args: Any, case: DisputeCase, user: Any = None, action: str = "", **kwargs: Any) -> None:
        ActionForm.__init__(self, *args, case=case, user=user, action=action, **kwargs)
        self.fields["name"].required = True


class TeamForm(ActionForm):
    committee = forms.ModelChoiceField(
        label="人民调解委员会",
        queryset=Committee.objects.none(),
        widget=forms.Select(attrs=SELECT),
        empty_label="请选择",
    )
    legal_adviser = forms.ModelChoiceField(
        label="法律顾问", queryset=User.objects.none(), widget=forms.Select(attrs=SELECT), empty_label="请选择"
    )
    mediators = forms.ModelMultipleChoiceField(
        label="调解员", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    lead = forms.ModelChoiceField(
        label="主调解员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        empty_label="所选第一位",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = selectors.team_candidates(case=self.case)
        committees = selectors.committees_for(case=self.case)
        adviser_ids = [u.pk for u in candidates["advisers"]]
        mediator_ids = [u.pk for u in candidates["mediators"]]
        set_queryset(self, "committee", committees)
        set_queryset(
            self, "legal_adviser", User.objects.filter(pk__in=adviser_ids).order_by("display_name", "username")
        )
        mediators = User.objects.filter(pk__in=mediator_ids).order_by("display_name", "username")
        set_queryset(self, "mediators", mediators)
        set_queryset(self, "lead", mediators)
        self.fields["committee"].initial = self.case.committee_id or next(iter(c.pk for c in committees[:1]), None)
        grid_adviser = selectors.grid_adviser_for(self.case.node)
        self.fields["legal_adviser"].initial = self.case.legal_adviser_id or (grid_adviser.pk if grid_adviser else None)
        if grid_adviser is not None:
            self.fields["legal_adviser"].help_text = f"发生地网格的法律顾问:{grid_adviser}"
        members = list(self.case.team_members.all())
        self.fields["mediators"].initial = [m.user_id for m in members]
        self.fields["lead"].initial = next((m.user_id for m in members if m.lead), None)


class SessionForm(ActionForm):
    scheduled_at = forms.DateTimeField(
        label="调解时间",
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = text_field("调解地点", max_length=100, initial="街道一站式矛盾纠纷调解中心")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tomorrow = timezone.localtime() + datetime.timedelta(days=1)
        self.fields["scheduled_at"].initial = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)


class SessionRecordForm(forms.Form):
    parties_present = forms.ModelMultipleChoiceField(
        label="到场当事人", queryset=Party.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    staff_present = forms.ModelMultipleChoiceField(
        label="到场调解人员", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_attendees = text_field("其他参加人", max_length=200, required=False, help_text="如村干部、亲属、网格员")
    notes = text_field("调解记录", max_length=5000, area=True)

    def __init__(self, *args: Any, session: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_s{session.pk}_%s")
        super().__init__(*args, **kwargs)
        case = session.case
        parties = case.parties.all()
        set_queryset(self, "parties_present", parties)
        self.fields["parties_present"].initial = [p.pk for p in parties]
        team = User.objects.filter(pk__in=permissions.team_ids(case)).order_by("display_name", "username")
        set_queryset(self, "staff_present", team)
        self.fields["staff_present"].initial = [u.pk for u in team]


class SessionCancelForm(forms.Form):
    reason = text_field("取消原因", max_length=200)

    def __init__(self, *args: Any, session: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_c{session.pk}_%s")
        super().__init__(*args, **kwargs)


class JudicialApplyForm(ActionForm):
    applied_on = date_field("申请日期")
    court = text_field("受理法院", max_length=100, initial="张店区人民法院")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate()


class JudicialResultForm(ActionForm):
    confirmed = forms.TypedChoiceField(
        label="裁定结果",
        choices=[("1", "确认调解协议有效"), ("0", "驳回申请")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs=CHECKBOX),
    )
    decided_on = date_field("裁定日期")
    note = text_field("裁定说明", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
