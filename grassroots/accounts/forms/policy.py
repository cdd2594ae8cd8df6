"""Input of the dormant-accounts page (ADR 0059)."""

from __future__ import annotations

from django import forms


class ReactivateForm(forms.Form):
    reason = forms.CharField(
        label="重新启用理由",
        min_length=4,
        max_length=300,
        error_messages={"required": "请填写重新启用的理由。", "min_length": "理由至少 4 个字。"},
    )
