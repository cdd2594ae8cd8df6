"""Input of the public renewal-by-mail pages (/socialorg/renew/). The forms
only parse; the services check every rule again (the API serializers share
the same validators), and their `DomainError`s come back as field errors."""

from __future__ import annotations

from django import forms

from ..validators import validate_ems_number


class RenewalRequestForm(forms.Form):
    credit_code = forms.CharField(max_length=40, error_messages={"required": "请填写统一社会信用代码。"})
    recipient = forms.CharField(max_length=30, required=False)
    applicant_name = forms.CharField(max_length=60, error_messages={"required": "请填写经办人姓名。"})
    phone = forms.CharField(max_length=20, error_messages={"required": "请填写手机号码,用于接收办理进度短信。"})
    inbound_tracking = forms.CharField(
        max_length=30,
        validators=[validate_ems_number],
        error_messages={"required": "请填写寄出旧证书的 EMS 运单号。"},
    )

    def first_errors(self) -> dict[str, str]:
        return {name: str(errors[0]) for name, errors in self.errors.items()}


class RenewalCodeForm(forms.Form):
    code = forms.CharField(max_length=20, error_messages={"required": "请输入短信中的6位数字验证码。"})
