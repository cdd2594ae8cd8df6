"""What the indicator pages share: the capability decorators, which node's
month a page is about (the user's own node and the latest month by default),
and the link back to the month's table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.permissions import capability_required
from grassroots.accounts.roles import Capability
from grassroots.regions.models import Node

from .. import selectors
from ..forms import PlaceForm
from ..models import Ledger

view_required = capability_required(Capability.VIEW_INDICATORS)
enter_required = capability_required(Capability.ENTER_INDICATORS)
review_required = capability_required(Capability.REVIEW_INDICATORS)


@dataclass
class Place:
    form: PlaceForm
    node: Node | None
    month: datetime.date


def _default_month(node: Node | None) -> datetime.date:
    latest = Ledger.objects.filter(node=node).order_by("-month").values_list("month", flat=True).first()
    if latest:
        return latest
    today = timezone.localdate()
    index = today.year * 12 + today.month - 2  # last month
    return datetime.date(index // 12, index % 12 + 1, 1)


def place_of(request: HttpRequest, user: User) -> Place:
    nodes = selectors.ledger_nodes_visible_to(user=user)
    form = PlaceForm(request.GET, nodes=nodes)
    valid = form.is_valid()
    node = form.cleaned_data.get("node") if valid else None
    if node is None:
        own = user.jurisdiction
        node = own if own is not None and nodes.filter(pk=own.pk).exists() else nodes.first()
    month = (form.cleaned_data.get("month") if valid else None) or _default_month(node)
    return Place(form=form, node=node, month=month)


def table_url(node: Node | None, month: datetime.date) -> str:
    query = {"month": month.strftime("%Y-%m")}
    if node is not None:
        query["node"] = str(node.pk)
    return reverse("indicators:table") + "?" + urlencode(query)
