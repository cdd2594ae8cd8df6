"""Forms of the indicator pages: which node and month (GET), the month's
entry form (one field per active indicator, a reason when the month is
locked), the Excel upload. Figures are checked by the service (one set of
Chinese messages for pages, API and import)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from grassroots.core.forms import StyledForm
from grassroots.core.months import MONTH_ERROR, parse_month
from grassroots.regions.models import Node

from .models import Indicator, Kind, Scope, Unit


class PlaceForm(StyledForm):
    """Which node's month a page shows: defaults to the user's own node and the latest month."""

    node = forms.ModelChoiceField(
        label="街道/村(社区)",
        queryset=Node.objects.none(),
        required=False,
        error_messages={"invalid_choice": "请选择辖区内的街道或村(社区)。"},
    )
    month = forms.CharField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args: Any, nodes: QuerySet[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        node_field: Any = self.fields["node"]
        node_field.queryset = nodes
        node_field.label_from_instance = lambda n: n.name

    def clean_month(self) -> datetime.date | None:
        raw = self.cleaned_data.get("month") or ""
        if not raw:
            return None
        month = parse_month(raw)
        if month is None:
            raise forms.ValidationError(MONTH_ERROR)
        return month


class EntryForm(StyledForm):
    """One text field per indicator (the service parses the figure); `reason` for a locked month."""

    reason = forms.CharField(label="更正原因", required=False, max_length=200, widget=forms.TextInput())

    def __init__(self, *args: Any, indicators: list[Indicator], locked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"i{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name}({indicator.get_unit_display()})",
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        if not locked:
            del self.fields["reason"]
        else:
            self.fields["reason"].error_messages["max_length"] = "更正原因不能超过 200 个字。"
            # the reason goes last
            self.order_fields([f"i{i.pk}" for i in indicators] + ["reason"])

    def indicator_fields(self) -> list[Any]:
        return [self[f"i{i.pk}"] for i in self.indicators]


class ImportForm(StyledForm):
    file = forms.FileField(
        label="Excel 文件",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 Excel 文件。"},
    )


class DefinitionForm(StyledForm):
    """An indicator definition (the service checks the rules and the uniqueness)."""

    name = forms.CharField(label="指标名称", max_length=60, required=False)
    unit = forms.ChoiceField(label="计量单位", choices=[("", "请选择"), *list(Unit.choices)], required=False)
    scope = forms.ChoiceField(label="统计口径", choices=[("", "请选择"), *list(Scope.choices)], required=False)
    kind = forms.ChoiceField(label="报送方式", choices=[("", "请选择"), *list(Kind.choices)], required=False)
    department = forms.CharField(label="来源部门", max_length=60, required=False)
    order = forms.IntegerField(
        label="显示顺序", initial=0, required=False, error_messages={"invalid": "显示顺序应为整数。"}
    )
    active = forms.BooleanField(label="启用(填报表和简报中显示)", required=False, initial=True)
