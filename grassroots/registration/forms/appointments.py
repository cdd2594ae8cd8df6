"""Forms of the booking pages and the staff calendar. They only parse and give
Chinese messages; the services check the rules again and their
`DomainError`s come back onto the form through `add_domain_error`."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error
from grassroots.core.notifications.services import normalise_mobile

from ..models import Appointment
from ..services.appointments import NAME_MAX, NOTE_MAX

PHONE_INVALID = "请填写正确的 11 位手机号码。"


class StyledForm(forms.Form):
    """Bootstrap classes, `is-invalid` on fields with errors, service errors on fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-check-input" if isinstance(widget, forms.RadioSelect) else "form-control form-control-lg"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in list(getattr(self, "_errors", None) or {}):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def add_domain_error(self, exc: DomainError) -> None:
        add_domain_error(self, exc)


class BookingForm(StyledForm):
    name = forms.CharField(
        label="姓名",
        max_length=NAME_MAX,
        error_messages={"required": "请填写姓名。", "max_length": f"姓名不能超过 {NAME_MAX} 个字。"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        help_text="用于接收预约短信和提醒,不会公开。",
        error_messages={"required": "请填写手机号码,用于接收预约短信。", "max_length": PHONE_INVALID},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    note = forms.CharField(
        label="想提前告诉窗口的事",
        required=False,
        max_length=NOTE_MAX,
        error_messages={"max_length": f"备注不能超过 {NOTE_MAX} 个字。"},
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "例如:年纪大,需要工作人员帮忙填表"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("请填写姓名。")
        return name

    def clean_phone(self) -> str:
        try:
            return normalise_mobile(self.cleaned_data["phone"])
        except DomainError:
            raise forms.ValidationError(PHONE_INVALID) from None


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Appointment.Status.ATTENDED, "已到场"), (Appointment.Status.NO_SHOW, "未到场")],
        error_messages={"required": "请选择到场情况。", "invalid_choice": "只能标记为“已到场”或“未到场”。"},
    )


def parse_date(value: str | None) -> datetime.date | None:
    """A YYYY-MM-DD query value, or None when missing or malformed."""
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
