from __future__ import annotations

from django import forms

from grassroots.core.forms import StaffForm, text_errors


class CodeForm(StaffForm):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "请输入验证码。", "max_length": "验证码太长了。"},
    )


class ResetForm(StaffForm):
    reason = forms.CharField(label="重置理由", max_length=200, error_messages=text_errors("重置理由"))
