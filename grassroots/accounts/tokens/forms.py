from __future__ import annotations

from django import forms

from grassroots.core.forms import StaffForm, choice_errors, text_errors

from .models import ApiToken

DAY_CHOICES = [(30, "30 天"), (90, "90 天"), (180, "180 天"), (365, "365 天")]


class TokenForm(StaffForm):
    name = forms.CharField(label="名称", max_length=60, error_messages=text_errors("名称"))
    scope = forms.ChoiceField(
        label="范围", choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, error_messages=choice_errors("范围")
    )
    days = forms.TypedChoiceField(
        label="有效期", choices=DAY_CHOICES, coerce=int, initial=90, error_messages=choice_errors("有效期")
    )
