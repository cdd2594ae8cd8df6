"""Pages of the second factor (ADR 0058): verify at login, enrol, the
recovery codes shown once, one's own status, and the security
administrator's list with its reset action."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from grassroots.core.documents import qr_svg
from grassroots.core.errors import DomainError

from ..models import User
from ..permissions import capability_required, current_user
from ..roles import Capability
from . import services
from .forms import CodeForm, ResetForm

CODES_SESSION_KEY = "twofactor_new_codes"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@ratelimit(key="user_or_ip", rate="20/m", method="POST", block=False)
def verify(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_safe_next(request))
    if not services.has_second_factor(user):
        return redirect("accounts:two-factor-enrol")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if getattr(request, "limited", False):
            form.add_error(None, "验证码尝试过于频繁,请一分钟后再试。")
            status = 429
        elif form.is_valid():
            try:
                verified = services.verify_code(user=user, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                django_otp.login(request, verified.device)
                if verified.recovery_left is not None:
                    messages.warning(
                        request,
                        f"您使用了一个恢复码,还剩 {verified.recovery_left} 个。"
                        "请尽快在“双因素认证”页面重新生成恢复码。",
                    )
                return redirect(_safe_next(request))
    return render(request, "accounts/twofactor/verify.html", {"form": form, "next": _safe_next(request)}, status=status)


def enrol(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    try:
        device = services.enrolment_start(user=user)
    except DomainError as exc:
        messages.info(request, exc.message)
        return redirect("accounts:two-factor")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                codes = services.enrolment_confirm(user=user, device=device, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                django_otp.login(request, device)
                request.session[CODES_SESSION_KEY] = codes
                return redirect(f"{reverse('accounts:two-factor-enrolled')}?{urlencode({'next': _safe_next(request)})}")
    return render(
        request,
        "accounts/twofactor/enrol.html",
        {
            "form": form,
            "qr": qr_svg(device.config_url, scale=5),
            "secret": services.secret_text(device),
            "required": services.two_factor_required(user),
            "next": _safe_next(request),
        },
        status=status,
    )


def enrolled(request: HttpRequest) -> HttpResponse:
    """The recovery codes, once: they leave the session as they are shown."""
    codes = request.session.pop(CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:two-factor")
    return render(request, "accounts/twofactor/codes.html", {"codes": codes, "next": _safe_next(request)})


def status(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "accounts/twofactor/status.html",
        {
            "enabled": services.has_second_factor(user),
            "required": services.two_factor_required(user),
            "may_enrol": services.may_enrol(user),
            "codes_left": services.recovery_codes_left(user=user),
        },
    )


@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=current_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:two-factor")
    request.session[CODES_SESSION_KEY] = codes
    return redirect("accounts:two-factor-enrolled")


def _accounts() -> Any:
    enabled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(is_active=True)
        .select_related("jurisdiction")
        .annotate(two_factor=Exists(enabled))
        .order_by("role", "username")
    )


@capability_required(Capability.MANAGE_TWO_FACTOR)
def accounts(request: HttpRequest) -> HttpResponse:
    rows: list[dict[str, Any]] = [
        {"user": account, "required": services.two_factor_required(account)} for account in _accounts()
    ]
    return render(request, "accounts/twofactor/accounts.html", {"rows": rows, "form": ResetForm()})


@require_POST
@capability_required(Capability.MANAGE_TWO_FACTOR)
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("没有这个账号。")
    form = ResetForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.two_factor_reset(actor=current_user(request), account=account, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, f"已重置 {account} 的双因素认证:此人下次登录时重新绑定身份验证器。")
            return redirect("accounts:two-factor-accounts")
    else:
        messages.error(request, str(next(iter(form.errors.values()))[0]))
    rows = [{"user": a, "required": services.two_factor_required(a)} for a in _accounts()]
    return render(request, "accounts/twofactor/accounts.html", {"rows": rows, "form": form}, status=status)
