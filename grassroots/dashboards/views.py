"""The dashboard pages: /dashboards/ is the user's own node, and
/dashboards/nodes/<id>/ a node of their subtree (404 outside it). The page
renders the same data the API answers (present.dashboard_data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability

from . import links, selectors
from .forms import SpanForm
from .present import dashboard_data

view_required = capability_required(Capability.VIEW_DASHBOARD)


def _render(request: HttpRequest, pk: Any = None) -> HttpResponse:
    user = current_user(request)
    node = selectors.dashboard_node(user=user, pk=pk)
    form = SpanForm(request.GET)
    days = form.span()
    dashboard = selectors.dashboard_for(user=user, node=node, days=days)
    data = dashboard_data(dashboard)
    context = {
        "form": form,
        "data": data,
        "node": node,
        "ancestors": selectors.node_ancestors(user=user, node=node) if node is not None else [],
        "spans": [(d, links.dashboard(node, days=d) if pk is not None and node else f"?days={d}") for d in (30, 90)],
        "chart": {key: data[key] for key in ("matters", "safety", "registration") if key in data},
    }
    return render(request, "dashboards/dashboard.html", context, status=400 if form.errors else 200)


@require_GET
@view_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _render(request)


@require_GET
@view_required
def node_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, pk)
