"""Forms of the safety pages. They parse and check the shape of input; the
rules live in services/, whose `SafetyError`s the views put next to the
field they concern (`core.forms.add_domain_error`)."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.core.forms import StaffForm, text_errors
from grassroots.regions.models import Level, Node

from ..models import HazardLevel, Premises, PremisesKind, Result, RiskLevel
from ..selectors import NINE_SMALL_FILTER
from ..states import HazardState, State


class StyledForm(StaffForm):
    """The staff form base with the widgets this app's pages style themselves."""

    unstyled_widgets = (forms.HiddenInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
    field_aliases = {"address": "address_text"}


def _place_choices(places: list[Node]) -> list[tuple[int, str]]:
    return [(n.pk, ("  " if n.level == Level.GRID else "") + n.label) for n in places]


class FilterForm(StyledForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "场所名称、经营者、地址…", "type": "search"}),
        error_messages={"max_length": "搜索内容不能超过 50 个字。"},
    )
    kind = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[("", "全部类型"), (NINE_SMALL_FILTER, "九小场所(全部)"), *PremisesKind.choices],
    )
    risk_level = forms.ChoiceField(label="风险等级", required=False, choices=[("", "全部等级"), *RiskLevel.choices])
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *State.choices])
    village = forms.TypedChoiceField(label="村/社区", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, villages: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = {v.pk: v for v in villages}
        self.fields["village"].choices = [("", "全部村/社区"), *[(v.pk, v.label) for v in villages]]  # type: ignore[attr-defined]
        for name in ("kind", "risk_level", "state", "village"):
            self.fields[name].error_messages["invalid_choice"] = "所选条件无效,请重新选择。"

    def values(self) -> dict[str, Any]:
        """The valid filters (an invalid one is shown with its error and ignored)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {
            "query": data.get("q") or "",
            "kind": data.get("kind") or "",
            "risk_level": data.get("risk_level") or "",
            "state": data.get("state") or "",
            "village": self.villages.get(data.get("village") or 0),
        }

    @property
    def filtered(self) -> bool:
        values = self.values()
        return any(values.values())


class PremisesForm(StyledForm):
    """Register or correct a premises. The standard address is entered as its
    full text (as printed in the register) and looked up in the user's subtree."""

    name = forms.CharField(label="场所名称", max_length=100, error_messages=text_errors("场所名称"))
    kind = forms.ChoiceField(
        label="场所类型", choices=PremisesKind.choices, error_messages={"required": "请选择场所类型。"}
    )
    risk_level = forms.ChoiceField(
        label="风险等级",
        choices=RiskLevel.choices,
        initial=RiskLevel.GENERAL,
        error_messages={"required": "请选择风险等级。"},
    )
    node = forms.TypedChoiceField(
        label="所属村/网格", coerce=int, choices=[], error_messages={"required": "请选择所属村/网格。"}
    )
    address_text = forms.CharField(
        label="标准地址",
        required=False,
        max_length=200,
        help_text="可选:填写标准地址库中的完整地址。",
        error_messages={"max_length": "标准地址太长了。"},
    )
    location = forms.CharField(
        label="位置说明",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "例如:村东砖厂旧址"}),
    )
    operator_name = forms.CharField(label="经营者/负责人", max_length=50, error_messages=text_errors("经营者或负责人"))
    operator_phone = forms.CharField(
        label="联系电话",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text="手机号码,页面上只显示部分号码。",
    )
    note = forms.CharField(label="备注", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, places: list[Node], premises: Premises | None = None, **kwargs: Any) -> None:
        if premises is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": premises.name,
                    "kind": premises.kind,
                    "risk_level": premises.risk_level,
                    "node": premises.node_id,
                    "address_text": premises.address.full_text if premises.address else "",
                    "location": premises.location,
                    "operator_name": premises.operator_name,
                    "note": premises.note,
                },
            )
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = _place_choices(places)  # type: ignore[attr-defined]
        self.fields["node"].error_messages["invalid_choice"] = "所选村/网格无效,请重新选择。"
        if premises is not None:
            # The stored phone is never sent back to the browser: empty keeps it.
            self.fields["operator_phone"].help_text = "留空则不修改已登记的号码。"


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label="关停原因",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "例如:厂房已拆除"}),
        error_messages=text_errors("关停原因"),
    )


class ChecklistPublishForm(StyledForm):
    """The next version's items as text, one a line: "检查内容 | 法律依据",
    prefilled with the version in force."""

    items = forms.CharField(
        label="检查项",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每行一项,格式为“检查内容 | 法律依据”。",
        error_messages={"required": "请填写检查项。"},
    )
    note = forms.CharField(label="修订说明", required=False, max_length=200, error_messages=text_errors("修订说明"))

    def __init__(self, *args: Any, current: Any = None, **kwargs: Any) -> None:
        if current is not None:
            lines = "\n".join(f"{item.text} | {item.legal_basis}" for item in current.items.all())
            kwargs.setdefault("initial", {"items": lines})
        super().__init__(*args, **kwargs)


class InspectionForm(StyledForm):
    """One inspection: a result and a note for every item of the checklist
    version (fields `result_<item id>` and `note_<item id>`), the time, the
    inspectors, a summary and photos. Built for one version and premises."""

    inspected_at = forms.DateTimeField(
        label="检查时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写检查时间。", "invalid": "请输入有效的检查时间。"},
    )
    inspectors = forms.TypedMultipleChoiceField(
        label="检查人员",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选检查人员无效,请重新选择。"},
    )
    note = forms.CharField(label="检查情况", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, version: Any, inspectors: list[Any], now: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"inspected_at": now})
        super().__init__(*args, **kwargs)
        self.version = version
        self.items = list(version.items.order_by("position"))
        self.people = {u.pk: u for u in inspectors}
        self.fields["inspectors"].choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.display_name or u.username}({u.jurisdiction.label if u.jurisdiction else ''})")
            for u in inspectors
        ]
        self.fields["inspectors"].widget.attrs["class"] = "form-check-input"
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=Result.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "请选择检查结果。", "invalid_choice": "请选择检查结果。"},
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="问题说明",
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "不合格时写明发现的问题", "class": "form-control"}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """The items with their bound fields, for the template."""
        return [
            {"item": item, "result": self[f"result_{item.pk}"], "note": self[f"note_{item.pk}"]} for item in self.items
        ]

    def answers(self) -> dict[int, Any]:
        data = self.cleaned_data
        return {
            item.pk: (data.get(f"result_{item.pk}") or "", data.get(f"note_{item.pk}") or "") for item in self.items
        }

    def chosen_inspectors(self) -> list[Any]:
        return [self.people[pk] for pk in self.cleaned_data.get("inspectors") or [] if pk in self.people]


class HazardFilterForm(StyledForm):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *HazardState.choices])
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].error_messages["invalid_choice"] = "所选条件无效,请重新选择。"
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"


class RaiseForm(StyledForm):
    item = forms.IntegerField(min_value=1)
    level = forms.ChoiceField(label="隐患等级", choices=HazardLevel.choices)


class IssueNoticeForm(StyledForm):
    days = forms.IntegerField(
        label="整改期限(工作日)",
        min_value=1,
        max_value=60,
        initial=5,
        error_messages={
            "required": "请填写整改期限。",
            "min_value": "整改期限至少 1 个工作日。",
            "max_value": "整改期限最多 60 个工作日。",
            "invalid": "请填写整数。",
        },
    )


class RectifyForm(StyledForm):
    evidence = forms.FileField(
        label="整改后现场照片",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic", "capture": "environment"}
        ),
        error_messages={"required": "请上传整改后的现场照片。"},
    )
    note = forms.CharField(label="整改情况", required=False, max_length=500)


class ReinspectForm(StyledForm):
    result = forms.ChoiceField(
        label="复查结果",
        choices=[("pass", "合格,销号"), ("fail", "不合格,继续整改")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择复查结果。"},
    )
    note = forms.CharField(label="复查情况", required=False, max_length=500)
    days = forms.IntegerField(
        label="新的整改期限(工作日,不合格时)", required=False, min_value=1, max_value=60, initial=5
    )


class ReferForm(StyledForm):
    record = forms.CharField(
        label="移交执法记录",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "移交的执法部门、时间、经办人和移交事由"}),
        error_messages=text_errors("移交执法记录"),
    )


class CampaignForm(StyledForm):
    title = forms.CharField(label="行动名称", max_length=100, error_messages=text_errors("行动名称"))
    node = forms.TypedChoiceField(label="范围", coerce=int, choices=[], error_messages={"required": "请选择范围。"})
    kinds = forms.MultipleChoiceField(
        label="场所类型(不选为全部)",
        required=False,
        choices=PremisesKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选场所类型无效。"},
    )
    starts_on = forms.DateField(
        label="开始日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写开始日期。", "invalid": "请输入有效的日期。"},
    )
    due_on = forms.DateField(
        label="完成期限",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写完成期限。", "invalid": "请输入有效的日期。"},
    )

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = [(n.pk, n.label) for n in places]  # type: ignore[attr-defined]
        self.fields["node"].error_messages["invalid_choice"] = "所选范围无效,请重新选择。"
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"
