"""The "API 令牌" page: one's own tokens (create: the key is shown once;
revoke), and for the security administrator every account's tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError, NotFound

from ..permissions import capability_required, current_user
from ..roles import Capability
from . import services
from .forms import TokenForm


def tokens(request: HttpRequest) -> HttpResponse:
    actor = current_user(request)
    form = TokenForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                issued = services.api_token_create(actor=actor, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                status, form = 200, TokenForm()
    return render(
        request,
        "accounts/tokens/list.html",
        {
            "form": form,
            "issued": issued,
            "tokens": services.api_token_visible_to(actor=actor)[:100],
            "all": False,
            "now": timezone.now(),
        },
        status=status,
    )


@capability_required(Capability.MANAGE_TWO_FACTOR)
def all_tokens(request: HttpRequest) -> HttpResponse:
    actor = current_user(request)
    listed = services.api_token_visible_to(actor=actor, everyone=True)[:200]
    return render(request, "accounts/tokens/list.html", {"tokens": listed, "all": True, "now": timezone.now()})


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.api_token_revoke(actor=current_user(request), pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, f"已吊销令牌“{token.name}”。")
    if request.POST.get("from") == "all":
        return redirect("accounts:api-tokens-all")
    return redirect("accounts:api-tokens")
