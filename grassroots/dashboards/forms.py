"""The dashboard's one input, shared by the page and the API: the span of
the matter trend (近 30 天 or 近 90 天)."""

from __future__ import annotations

from django import forms

from grassroots.core.forms import StaffForm

from .selectors import TREND_SPANS


class SpanForm(StaffForm):
    days = forms.TypedChoiceField(
        label="趋势区间",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(str(d), f"近 {d} 天") for d in TREND_SPANS],
        error_messages={"invalid_choice": "趋势区间只能是近 30 天或近 90 天。"},
    )

    def span(self) -> int:
        """The chosen span; 30 when absent or invalid (the error is shown)."""
        if not self.is_valid():
            return 30
        return int(self.cleaned_data.get("days") or 30)
