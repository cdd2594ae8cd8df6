"""The hazard-lead form: a matter turned into a hazard (ADR 0039)."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.core.forms import text_errors

from ..models import HazardLevel, Premises, PremisesKind
from . import StyledForm

NEW_PREMISES = "new"


class LeadForm(StyledForm):
    """A matter turned into a hazard lead (ADR 0039): the hazard, and the
    premises it is at (one of the village's, or a new one registered here)."""

    field_aliases = {
        "name": "new_name",
        "kind": "new_kind",
        "operator_name": "new_operator_name",
        "operator_phone": "new_operator_phone",
        "node": "premises",
        "address": "premises",
    }

    description = forms.CharField(label="隐患描述", max_length=200, error_messages=text_errors("隐患描述"))
    level = forms.ChoiceField(
        label="隐患等级",
        choices=HazardLevel.choices,
        initial=HazardLevel.GENERAL,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择隐患等级。", "invalid_choice": "请选择有效的隐患等级。"},
    )
    legal_basis = forms.CharField(
        label="法律依据", required=False, max_length=300, help_text="可选,下达整改通知前补充。"
    )
    premises = forms.ChoiceField(
        label="隐患所在场所",
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择隐患所在的场所,或登记新场所。",
            "invalid_choice": "所选场所无效,请重新选择。",
        },
    )
    new_name = forms.CharField(label="新场所名称", required=False, max_length=100)
    new_kind = forms.ChoiceField(label="场所类型", required=False, choices=[("", "请选择"), *PremisesKind.choices])
    new_operator_name = forms.CharField(label="经营者/负责人", required=False, max_length=50)
    new_operator_phone = forms.CharField(
        label="联系电话",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text="可选,手机号码,页面上只显示部分号码。",
    )
    new_location = forms.CharField(label="位置说明", required=False, max_length=200)

    def __init__(self, *args: Any, choices: list[Premises], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = {str(p.pk): p for p in choices}
        self.fields["premises"].choices = [  # type: ignore[attr-defined]
            *(
                (str(p.pk), f"{p.name}({p.get_kind_display()}{' · ' + p.location if p.location else ''})")
                for p in choices
            ),
            (NEW_PREMISES, "没有合适的场所:在事项发生地登记新场所"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("premises") == NEW_PREMISES and not data.get("new_kind"):
            self.add_error("new_kind", "请选择新场所的类型。")
        return data

    @property
    def picked(self) -> Premises | None:
        return self.choices.get(self.cleaned_data.get("premises") or "")
