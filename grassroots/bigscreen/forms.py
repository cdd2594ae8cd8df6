"""The display-token form (the page's input mapping; the service checks the rules)."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.regions.models import Node


class TokenForm(forms.Form):
    label = forms.CharField(label="屏幕名称", max_length=60, error_messages={"required": "请填写屏幕名称。"})
    node = forms.ModelChoiceField(
        label="显示范围",
        queryset=Node.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择显示范围。", "invalid_choice": "请选择列表中的范围。"},
    )
    days = forms.IntegerField(
        label="有效天数",
        initial=90,
        error_messages={"required": "请填写有效天数。", "invalid": "有效天数应为整数。"},
    )

    def __init__(self, *args: Any, nodes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        node_field: Any = self.fields["node"]
        node_field.queryset = nodes
        node_field.label_from_instance = lambda node: node.label
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["node"].widget.attrs["class"] = "form-select"
