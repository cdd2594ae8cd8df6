"""Forms of the routing pages (messages in Chinese)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from .selectors import MAX_TEXT


class SuggestForm(forms.Form):
    """The text fields of the relay and hotline forms, as htmx posts them."""

    title = forms.CharField(required=False, max_length=200, error_messages={"max_length": "标题太长。"})
    description = forms.CharField(required=False, max_length=MAX_TEXT, error_messages={"max_length": "内容太长。"})
    original = forms.CharField(required=False, max_length=MAX_TEXT, error_messages={"max_length": "原文太长。"})

    def text(self) -> str:
        data = self.cleaned_data
        body = data.get("description") or data.get("original") or ""
        return f"{data.get('title', '')} {body}".strip()


class MonthForm(forms.Form):
    month = forms.CharField(required=False, max_length=7)

    def clean_month(self) -> datetime.date | None:
        value: Any = self.cleaned_data.get("month") or ""
        if not value:
            return None
        try:
            year, month = (int(x) for x in value.split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError
            return datetime.date(year, month, 1)
        except ValueError as exc:
            raise forms.ValidationError("月份格式应为 YYYY-MM,例如 2026-12。") from exc
