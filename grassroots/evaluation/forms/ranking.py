"""Forms of the 评事考评排行 page: they only parse input; `ranking.rule_save` checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms


def _int_field(label: str, noun: str, help_text: str, suffix: str) -> forms.IntegerField:
    """An integer input; `noun` names it in messages, `suffix` (个月, %) is shown after the box."""
    field = forms.IntegerField(
        label=label,
        help_text=help_text,
        error_messages={"required": f"请填写{noun}。", "invalid": f"请将{noun}填写为整数。"},
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    field.suffix = suffix  # type: ignore[attr-defined]
    return field


class RuleForm(forms.Form):
    months = _int_field("统计月数", "统计月数", "1 至 12 个月", "个月")
    min_months = _int_field("至少有结果的月数", "至少有结果的月数", "不超过统计月数", "个月")
    red_min = _int_field("表扬名单满意度不低于", "表扬名单满意度", "0 至 100", "%")
    yellow_below = _int_field("督促名单满意度低于", "督促名单满意度", "不高于表扬名单满意度", "%")
    unsatisfied_share_max = _int_field("单月不满意票占比达到", "单月不满意票占比", "1 至 100,达到即上督促名单", "%")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_rule_%s")
        super().__init__(*args, **kwargs)

    def add_domain_error(self, field: str | None, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)
