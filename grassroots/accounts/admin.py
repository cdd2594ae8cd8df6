"""The admin site is the system administrator's tool for accounts and the
holiday calendar. Access follows roles (三权分立), not Django's is_staff
flags: only MANAGE_USERS may enter, and the audit log is not registered here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action, audit_record

from .models import User

admin.site.site_header = "基层治理与政务服务平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "账号与基础数据"


def _admin_has_permission(request: HttpRequest) -> bool:
    return user_can(request.user, Capability.MANAGE_USERS) or user_can(request.user, Capability.MANAGE_CALENDAR)


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]


class CapabilityAdmin(admin.ModelAdmin):
    capability: str = Capability.MANAGE_USERS

    def _allowed(self, request: HttpRequest) -> bool:
        return user_can(request.user, self.capability)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, never deleted: the audit log refers to them


@admin.register(User)
class UserAdmin(CapabilityAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "jurisdiction", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    autocomplete_fields = ["jurisdiction"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("人员信息", {"fields": ("display_name", "email")}),
        ("角色与辖区", {"fields": ("role", "jurisdiction", "is_active")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "role", "jurisdiction", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=Action.UPDATE if change else Action.CREATE,
            request=request,
            obj=obj,
            detail={"fields": sorted(form.changed_data), "role": obj.role, "jurisdiction": obj.jurisdiction_id},
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        # Superusers are managed from the command line only.
        return super().get_queryset(request).filter(is_superuser=False)
