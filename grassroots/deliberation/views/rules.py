"""Staff pages for the rules of procedure (versions, publishing) and the
moderation of residents' topic proposals."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error
from grassroots.core.inputs import input_from
from grassroots.core.scoping import get_in_scope_or_404

from .. import forms as f
from .. import selectors
from ..services import agenda
from ..services import rules as rule_services
from .common import convene_required, error_message


@convene_required
def rule_list(request: HttpRequest) -> HttpResponse:
    nodes = selectors.rule_nodes_visible_to(user=request.user)
    form = f.RuleForm(request.POST or None, nodes=nodes, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rule_services.ruleset_create(
                actor=current_user(request),
                node=d["node"],
                data=input_from(rule_services.RuleInput, d),
                publish=d["publish"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "议事规则新版本已保存。")
            return redirect("deliberation:rules")
    rules = selectors.rules_visible_to(user=request.user)[:200]
    return render(request, "deliberation/rules.html", {"rules": rules, "form": form})


@require_POST
@convene_required
def rule_publish(request: HttpRequest, pk: int) -> HttpResponse:
    rules = get_in_scope_or_404(selectors.rules_visible_to(user=request.user), request.user, pk=pk)
    try:
        rule_services.ruleset_publish(actor=current_user(request), rules=rules)
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, "已发布。")
    return redirect("deliberation:rules")


@convene_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        proposal = selectors.proposal_in_scope(user=request.user, pk=request.POST.get("proposal", 0))
        try:
            agenda.proposal_moderate(
                actor=current_user(request),
                proposal=proposal,
                accept=request.POST.get("decision") == "accept",
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error_message(request, exc)
        else:
            messages.success(request, "已审核。")
        return redirect("deliberation:proposals")
    rows = selectors.proposals_visible_to(user=request.user)[:100]
    return render(request, "deliberation/proposals.html", {"proposals": rows})
