"""The statistics page's filter (month, village or grid)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from grassroots.core.months import MONTH_ERROR, parse_month
from grassroots.regions.models import Level, Node

from . import StyledForm


class StatisticsFilterForm(StyledForm):
    """The statistics page's filters, the API's too: a month (YYYY-MM) and a
    village or grid of the user's subtree."""

    month = forms.CharField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    node = forms.TypedChoiceField(label="村/社区或网格", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        self.fields["node"].choices = [  # type: ignore[attr-defined]
            ("", "全部"),
            *((n.pk, f"\u3000{n.label}" if n.level == Level.GRID else n.label) for n in places),
        ]
        self.fields["node"].error_messages["invalid_choice"] = "所选村/社区或网格无效,请重新选择。"

    def clean_month(self) -> datetime.date | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(MONTH_ERROR)
        return month

    def clean_node(self) -> Node | None:
        pk = self.cleaned_data.get("node")
        return self.places.get(pk) if pk is not None else None
