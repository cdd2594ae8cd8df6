"""The security administrator's page of dormant accounts (ADR 0059): the
accounts the daily job disabled, and re-enabling one with a reason."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError, NotFound

from ..forms.policy import ReactivateForm
from ..permissions import capability_required, current_user
from ..policy import dormant
from ..roles import Capability


def _page(request: HttpRequest, *, form: ReactivateForm | None = None, failed_pk: int | None = None) -> HttpResponse:
    return render(
        request,
        "accounts/policy/dormant.html",
        {
            "accounts": dormant.dormant_account_list(actor=current_user(request)),
            "days": settings.ACCOUNT_DORMANT_DAYS,
            "form": form or ReactivateForm(),
            "failed_pk": failed_pk,
        },
        status=400 if form is not None else 200,
    )


@capability_required(Capability.MANAGE_DORMANT)
def dormant_accounts(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@capability_required(Capability.MANAGE_DORMANT)
def dormant_account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = current_user(request)
    try:
        account = dormant.dormant_account_get(actor=actor, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ReactivateForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, failed_pk=pk)
    try:
        dormant.dormant_account_reactivate(actor=actor, account=account, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        form.add_error("reason", exc.message)
        return _page(request, form=form, failed_pk=pk)
    messages.success(request, f"已重新启用账号 {account.username}。")
    return redirect("accounts:dormant")
