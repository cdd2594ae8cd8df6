"""Forms of the WeChat channel pages. They only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from grassroots.core.forms import StaffForm, text_errors
from grassroots.regions.models import Node

from .models import WecomRobot


class RobotForm(StaffForm):
    node = forms.ModelChoiceField(
        label="所属村/社区或网格",
        queryset=Node.objects.none(),
        error_messages={"required": "请选择群所属的村/社区或网格。", "invalid_choice": "所选地点不在您的辖区内。"},
    )
    name = forms.CharField(label="群名称", max_length=50, error_messages=text_errors("群名称"))
    webhook = forms.CharField(
        label="群机器人 Webhook 地址",
        max_length=300,
        error_messages=text_errors("Webhook 地址"),
        help_text="在企业微信群的“群机器人”详情中复制。保存后只显示末 4 位,不会再完整显示。",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, places: QuerySet[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["node"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = places
        field.label_from_instance = lambda node: node.label  # type: ignore[method-assign,assignment]


class PushForm(StaffForm):
    robots = forms.TypedMultipleChoiceField(
        label="推送到的微信群",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选微信群不存在、已停用或不属于该公示的范围。"},
    )
    to_account = forms.BooleanField(label="同时发布到微信公众号(图文)", required=False)

    def __init__(self, *args: Any, robots: list[WecomRobot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["robots"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(robot.pk, f"{robot.node.label} · {robot.name}") for robot in robots]
