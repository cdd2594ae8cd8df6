"""Pages of account security (ADR 0025): the security administrators' grant
requests, the one-time page where a new administrator sets their password,
and everybody's own password change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError, NotFound
from grassroots.core.forms import add_domain_error

from .. import selectors, services
from ..forms.grants import RoleGrantDecisionForm, RoleGrantRequestForm
from ..permissions import capability_required, current_user
from ..policy.passwords import password_change_required
from ..roles import Capability


@capability_required(Capability.GRANT_ADMIN_ROLES)
def role_grants(request: HttpRequest) -> HttpResponse:
    actor = current_user(request)
    form = RoleGrantRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = selectors.account_by_username(username=form.cleaned_data["username"])
        if account is None:
            form.add_error("username", "没有这个用户名的账号。")
        else:
            try:
                services.role_grant_request(
                    actor=actor, account=account, role=form.cleaned_data["role"], reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已提交申请,等待另一名安全管理员审批:{account}。")
                return redirect("accounts:role-grants")
    return render(
        request,
        "accounts/role_grants.html",
        {
            "form": form,
            "pending": selectors.role_grant_list(actor=actor, pending=True),
            "decided": selectors.role_grant_list(actor=actor, pending=False, limit=20),
            "second_admin": services.second_security_admin_exists(actor=actor),
            "decision_form": RoleGrantDecisionForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    actor = current_user(request)
    try:
        grant = selectors.role_grant_get(actor=actor, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = RoleGrantDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if approve:
            outcome = services.role_grant_approve(actor=actor, grant=grant, note=note)
        else:
            services.role_grant_reject(actor=actor, grant=grant, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:role-grants")
    if approve and outcome.set_password_path:
        # Shown once, to the approver, who hands it to the person; nobody else learns the password.
        return render(
            request,
            "accounts/role_grant_approved.html",
            {
                "grant": outcome.grant,
                "link": request.build_absolute_uri(outcome.set_password_path),
                "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            },
        )
    messages.success(request, "已批准。" if approve else "已驳回。")
    return redirect("accounts:role-grants")


@require_POST
@capability_required(Capability.GRANT_ADMIN_ROLES)
def role_grant_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
@capability_required(Capability.GRANT_ADMIN_ROLES)
def role_grant_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link a newly granted administrator opens to choose their own password."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            services.record_password_set_by_link(account=form.user)
        messages.success(self.request, "密码已设置,请用新密码登录。")
        return response


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    """Everybody's own password: the old one is required (the admin paths refuse one's own account)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Why the password policy sent the person here, if it did (ADR 0059).
        return {
            **super().get_context_data(**kwargs),
            "policy_reason": password_change_required(self.request.user),
            "min_length": settings.PASSWORD_MIN_LENGTH,
            "history_count": settings.PASSWORD_HISTORY_COUNT,
        }

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            services.record_own_password_change(account=form.user)
        messages.success(self.request, "密码已修改。")
        return response
