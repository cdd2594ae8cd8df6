"""Forms of the centre's other pages: queue filters, statistics period,
consultations, grid advisers, committees and the transfer of a matter."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.regions.models import Level, Node

from .. import selectors
from ..models import ConsultationTopic, DisputeType, RiskLevel, Source
from ..states import State
from .case import (
    CHECKBOX,
    SELECT,
    NodeChoiceField,
    choice_field,
    date_field,
    place_choices,
    set_queryset,
    text_field,
)


class TransferForm(forms.Form):
    dispute_type = choice_field("纠纷类型", DisputeType.choices)
    risk_level = choice_field("风险等级", RiskLevel.choices)
    escalation_risk = forms.BooleanField(label="有激化风险", required=False, widget=forms.CheckboxInput(attrs=CHECKBOX))


class ReferralForm(forms.Form):
    """转介 by a grid worker or village staff member (services.referrals validates again)."""

    dispute_type = choice_field("纠纷类型", DisputeType.choices, blank="请选择纠纷类型")
    reason = text_field(
        "转介说明",
        max_length=2000,
        area=True,
        help_text="纠纷经过、已做过的调处工作、双方诉求,以及为什么需要调解中心介入。",
    )
    other_party = text_field(
        "对方当事人", max_length=100, required=False, help_text="知道的话请填写,调解中心据此登记被申请方。"
    )
    other_party_phone = text_field("对方联系电话", max_length=20, required=False)
    escalation_risk = forms.BooleanField(
        label="有激化风险(可能引发冲突、群体事件等)", required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_party_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})


class ReferralAcceptForm(TransferForm):
    pass


class ReferralReturnForm(forms.Form):
    reason = text_field(
        "退回理由", max_length=500, area=True, help_text="例如:不属于民间纠纷,请按事项继续办理;或需补充对方当事人信息。"
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)
    state = choice_field("状态", [("active", "未结案件"), *State.choices], required=False, blank="全部状态")
    source = choice_field("来源", Source.choices, required=False, blank="全部来源")
    dispute_type = choice_field("类型", DisputeType.choices, required=False, blank="全部类型")
    village = forms.ModelChoiceField(
        label="村/社区",
        queryset=Node.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        empty_label="全部村/社区",
    )
    risk = choice_field("风险", [("high", "高风险"), ("escalation", "有激化风险")], required=False, blank="全部")
    due = choice_field("期限", [("soon", "即将到期"), ("overdue", "已超期")], required=False, blank="全部")
    mine = forms.BooleanField(label="只看我的", required=False, widget=forms.CheckboxInput(attrs=CHECKBOX))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", selectors.villages_visible_to(user=user))
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "placeholder": "案号、案由、来源编号或当事人姓名"}
        )

    def filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.QueueFilters(
            state=data.get("state") or "",
            source=data.get("source") or "",
            dispute_type=data.get("dispute_type") or "",
            village=data.get("village"),
            risk=data.get("risk") or "",
            due=data.get("due") or "",
            mine=bool(data.get("mine")),
            query=data.get("q") or "",
        )


class StatsForm(forms.Form):
    start = date_field("起始日期", required=False)
    end = date_field("截止日期", required=False)

    MAX_SPAN = datetime.timedelta(days=3 * 366)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        default_start = (today.replace(day=1) - datetime.timedelta(days=320)).replace(day=1)
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or min(default_start, end)
        if start > end:
            start, end = end, start
        if end - start > self.MAX_SPAN:
            start = end - self.MAX_SPAN
        return start, end


class ConsultationForm(forms.Form):
    grid = NodeChoiceField(
        label="网格", queryset=Node.objects.none(), widget=forms.Select(attrs=SELECT), empty_label="请选择网格"
    )
    consulted_on = date_field("咨询日期")
    category = choice_field("咨询类别", ConsultationTopic.choices, blank="请选择")
    topic = text_field("咨询事项", max_length=100)
    asker_name = text_field("咨询人姓名", max_length=50, help_text="列表中只显示姓氏")
    advice = text_field("解答意见", max_length=3000, area=True)

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "grid", grids)
        self.fields["consulted_on"].initial = timezone.localdate()
        labels = selectors.village_labels({g.path for g in grids})
        grid_field = self.fields["grid"]
        assert isinstance(grid_field, NodeChoiceField)
        grid_field.parent_labels = labels


class GridAdviserForm(forms.Form):
    grid = NodeChoiceField(
        label="网格", queryset=Node.objects.none(), widget=forms.Select(attrs=SELECT), empty_label="请选择网格"
    )
    adviser = forms.ModelChoiceField(
        label="法律顾问", queryset=User.objects.none(), widget=forms.Select(attrs=SELECT), empty_label="请选择"
    )

    def __init__(self, *args: Any, user: Any, advisers: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_ga_%s")
        super().__init__(*args, **kwargs)
        place_choices(self.fields["grid"], user, levels=(Level.GRID,))
        set_queryset(self, "adviser", advisers)


class CommitteeForm(forms.Form):
    name = text_field("调委会名称", max_length=100)
    node = NodeChoiceField(
        label="所在辖区", queryset=Node.objects.none(), widget=forms.Select(attrs=SELECT), empty_label="请选择"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_cm_%s")
        super().__init__(*args, **kwargs)
        place_choices(self.fields["node"], user, levels=(Level.SUBDISTRICT, Level.VILLAGE))
