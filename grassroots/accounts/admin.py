"""The admin site is the system administrator's tool for accounts and the
holiday calendar. Access follows roles (三权分立), not Django's is_staff
flags: only MANAGE_USERS may enter, and the audit log is not registered here.
Every account write in it goes through `accounts.services` (ADR 0025): the
forms ask the service whether a change is allowed (so a refusal is a form
error in Chinese, audited), and save_model, the password form and the actions
write through it."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.permissions import current_user
from grassroots.accounts.roles import Capability, Role
from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import DomainError
from grassroots.core.models import HolidayOverride, HolidayYear
from grassroots.core.workdays import invalidate_calendar_cache

from . import services
from .models import User

admin.site.site_header = "基层治理与政务服务平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "账号与基础数据"


def _role_can(request: HttpRequest, capability: str) -> bool:
    # By role only: the superuser flag (operators' command-line accounts) opens nothing here (ADR 0025, 0059).
    user = request.user
    return bool(user.is_authenticated and user.can(capability))


def _admin_has_permission(request: HttpRequest) -> bool:
    return _role_can(request, Capability.MANAGE_USERS) or _role_can(request, Capability.MANAGE_CALENDAR)


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]

# Second factors are not the system administrator's: the security
# administrator resets them on their own page, with a reason (ADR 0058).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


def _own_password_page(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    # One's own password is changed on the site's page only: it keeps the history and the audit row (ADR 0059).
    return redirect("accounts:password-change")


admin.site.password_change = _own_password_page  # type: ignore[method-assign,assignment]

DELETE = "data.delete"
Action.LABELS.setdefault(DELETE, "删除数据")


class CapabilityAdmin(admin.ModelAdmin):
    capability: str = Capability.MANAGE_USERS

    def _allowed(self, request: HttpRequest) -> bool:
        return _role_can(request, self.capability)

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


class _ActorFormMixin:
    """The admin builds form classes per request; `UserAdmin.get_form` binds the
    acting user to that class so the form can ask the service."""

    actor: User

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._restrict_roles()

    def _restrict_roles(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if "role" in fields:
            # Validation stays with the service (so a forged choice is refused
            # with a reason and audited); the list offers only what is allowed.
            fields["role"].widget.choices = [("", "---------"), *services.assignable_roles(actor=self.actor)]

    def _domain_error(self, exc: DomainError) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        self.add_error(exc.field if exc.field in fields else "role" if "role" in fields else None, exc.message)  # type: ignore[attr-defined]


class StaffCreationForm(_ActorFormMixin, AdminUserCreationForm):
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role"):
            try:
                services.account_check_create(actor=self.actor, role=cleaned["role"])
            except DomainError as exc:
                self._domain_error(exc)
        return cleaned


class StaffChangeForm(_ActorFormMixin, UserChangeForm):
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stored = User.objects.get(pk=self.instance.pk)
        try:
            services.account_check_change(actor=self.actor, account=stored, role=cleaned.get("role") or None)
        except DomainError as exc:
            self._domain_error(exc)
        return cleaned


class StaffPasswordForm(AdminPasswordChangeForm):
    actor: User

    def save(self, commit: bool = True) -> Any:
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        self.user = services.account_set_password(actor=self.actor, account=self.user, password=password)
        return self.user


@admin.register(User)
class UserAdmin(CapabilityAdmin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    change_password_form = StaffPasswordForm
    list_display = ["username", "display_name", "role", "jurisdiction", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    autocomplete_fields = ["jurisdiction"]
    actions = ["deactivate_selected", "activate_selected"]
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

    def _allowed(self, request: HttpRequest) -> bool:
        # By role: a superuser flag opens nothing here (ADR 0025).
        return bool(request.user.is_authenticated and services.assignable_roles(actor=current_user(request)))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Administrator accounts and one's own show read-only; a forged POST is refused in change_view.
        if not self._allowed(request):
            return False
        return obj is None or services.account_may_change(actor=current_user(request), account=obj)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": current_user(request)})

    def get_queryset(self, request: HttpRequest) -> Any:
        # Superusers are managed from the command line only.
        return super().get_queryset(request).filter(is_superuser=False)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST":
            self._refuse_unless_allowed(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        self._refuse_unless_allowed(request, id)
        # A per-request copy carries the actor into the form: the admin instance is shared between threads.
        view = copy.copy(self)
        form_class: Any = type("StaffPasswordForm", (StaffPasswordForm,), {"actor": current_user(request)})
        view.change_password_form = form_class
        return DjangoUserAdmin.user_change_password(view, request, id, form_url)

    def _refuse_unless_allowed(self, request: HttpRequest, object_id: str) -> None:
        """Ask the service (which audits the refusal) before Django's own checks."""
        account = self.get_object(request, unquote(object_id))
        if account is None or not self._allowed(request):
            return  # Django answers 404 / 403 itself
        try:
            services.account_check_change(actor=current_user(request), account=account)
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = current_user(request)
        data = form.cleaned_data
        if change:
            saved = services.account_update(
                actor=actor,
                account=obj,
                username=data["username"],
                role=data["role"],
                jurisdiction=data.get("jurisdiction"),
                display_name=data.get("display_name", ""),
                email=data.get("email", ""),
                is_active=data.get("is_active", obj.is_active),
            )
        else:
            saved = services.account_create(
                actor=actor,
                username=data["username"],
                password=data["password1"] if data.get("set_usable_password", True) else None,
                role=data["role"],
                jurisdiction=data.get("jurisdiction"),
                display_name=data.get("display_name", ""),
            )
        # The admin goes on with `obj` (log entry, redirect): make it the stored row.
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    @admin.action(description="停用所选账号")
    def deactivate_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(description="启用所选账号")
    def activate_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset, active=True)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[User], *, active: bool) -> None:
        done, refused = 0, []
        for account in queryset:
            try:
                services.account_set_active(actor=current_user(request), account=account, active=active)
                done += 1
            except DomainError as exc:
                refused.append(f"{account.username}:{exc.message}")
        if done:
            self.message_user(request, f"已{'启用' if active else '停用'} {done} 个账号。", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)


# --- The holiday calendar (core's models, the system administrator's care) ----


class CalendarAdmin(CapabilityAdmin):
    capability = Capability.MANAGE_CALENDAR

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    # Every administrator write is in the audit chain (ADR 0059), with the fields it changed.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if isinstance(obj, HolidayOverride):
            obj.updated_by = current_user(request)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                action=Action.UPDATE if change else Action.CREATE,
                actor=current_user(request),
                obj=obj,
                detail={"fields": sorted(form.changed_data), "value": str(obj)},
            )
        invalidate_calendar_cache()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(action=DELETE, actor=current_user(request), obj=obj, detail={"value": str(obj)})
            super().delete_model(request, obj)
        invalidate_calendar_cache()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(HolidayYear)
class HolidayYearAdmin(CalendarAdmin):
    list_display = ["year", "confirmed", "source", "updated_at"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(CalendarAdmin):
    list_display = ["date", "is_workday", "name", "confirmed", "updated_by", "updated_at"]
    list_filter = ["is_workday", "confirmed"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
    readonly_fields = ["updated_by"]
