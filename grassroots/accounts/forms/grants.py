"""Input of the security administrators' grant page."""

from __future__ import annotations

from django import forms

from ..roles import Role


class RoleGrantRequestForm(forms.Form):
    username = forms.CharField(label="账号(用户名)", max_length=150)
    role = forms.ChoiceField(
        label="新角色",
        choices=[("", "请选择"), *Role.choices],
        help_text="授予:选择一个管理员角色;撤销:选择该账号今后的工作角色(批准后账号停用,由系统管理员重新启用)。",
    )
    reason = forms.CharField(label="申请理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RoleGrantDecisionForm(forms.Form):
    note = forms.CharField(label="审批意见", max_length=500, required=False)
