"""The reporter's forms on the public tracking page: a rating of the result,
the consent to a public listing, and a request to handle the matter again.
Like every form of matters they only parse; the services validate again."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Rating
from .channels import PUBLIC_CONSENT_HELP, PUBLIC_CONSENT_LABEL, StyledForm


class FeedbackForm(StyledForm):
    rating = forms.ChoiceField(
        label="您对办理结果满意吗",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择满意、基本满意或不满意。",
            "invalid_choice": "请选择满意、基本满意或不满意。",
        },
    )
    comment = forms.CharField(
        label="意见和建议",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "意见不能超过 1000 个字。"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("rating") == Rating.UNSATISFIED and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "不满意时请写明哪里不满意,以便重新办理。")
        return cleaned


class PublicConsentForm(StyledForm):
    """The reporter changes their consent on the tracking page (ADR 0018):
    consent can be withdrawn as easily as it was given."""

    public_consent = forms.BooleanField(label=PUBLIC_CONSENT_LABEL, required=False, help_text=PUBLIC_CONSENT_HELP)


class ReopenRequestForm(StyledForm):
    reason = forms.CharField(
        label="为什么需要重新办理",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明需要重新办理的理由。", "max_length": "理由不能超过 1000 个字。"},
    )


PREFERENCE_CHOICES = [
    ("sms", "短信"),
    ("wechat", "微信(仅公众号通知,不发短信)"),
    ("none", "不接收(只在本页查看进度)"),
]


class ContactPreferenceForm(StyledForm):
    """The reporter's channel for progress messages (ADR 0056), with the
    phone number they left as the proof that the matter is theirs."""

    phone = forms.CharField(
        label="反映时留下的手机号",
        max_length=20,
        error_messages={"required": "请填写反映时留下的手机号。", "max_length": "手机号格式不正确。"},
    )
    choice = forms.ChoiceField(
        label="进度通知方式",
        choices=PREFERENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择短信、微信或不接收。", "invalid_choice": "请选择短信、微信或不接收。"},
    )
