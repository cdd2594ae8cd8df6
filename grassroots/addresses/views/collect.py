"""The grid worker's pages on a phone: a batch of a campaign (the addresses
of their grid, what is left first) and collecting one address: confirm or
correct each part, take a photo (the camera opens through `capture`), and
the phone's position, filled into hidden fields by static/addresses/geo.js
when the browser allows it (no inline script: the CSP forbids them)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError

from .. import selectors
from ..forms import CollectForm
from ..services import addresses as services
from ..states import State
from .common import badge, collect_required, page

# Left to do first: sent back, then not yet collected, then the rest.
_ORDER = Case(
    When(state=State.DOUBTFUL, then=Value(0)),
    When(state=State.PENDING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@require_GET
@collect_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    batch = selectors.batch_get_visible(user=user, pk=pk)
    rows = list(batch.addresses.annotate(todo=_ORDER).order_by("todo", "path", "building", "unit", "room", "id"))
    left = sum(1 for a in rows if a.state in (State.PENDING, State.DOUBTFUL))
    return page(
        request,
        "addresses/batch.html",
        {
            "batch": batch,
            "items": [{"address": a, "badge": badge(a.state)} for a in rows],
            "left": left,
            "done": len(rows) - left,
            "total": len(rows),
        },
    )


@require_http_methods(["GET", "POST"])
@collect_required
def address_collect(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    address = selectors.address_get_visible(user=user, pk=pk)
    if request.method == "POST":
        form = CollectForm(request.POST, request.FILES, address=address)
        if form.is_valid():
            try:
                services.address_collect(
                    actor=user,
                    address=address,
                    data=form.address_input(),
                    latitude=form.cleaned_data.get("latitude"),
                    longitude=form.cleaned_data.get("longitude"),
                    photo=form.cleaned_data.get("photo"),
                )
            except DomainError as exc:
                if exc.status == 404:
                    raise Http404(exc.message) from exc
                form.add_domain_error(exc)
                address.refresh_from_db()
            else:
                messages.success(request, f"已核采:{address.full_text}")
                if address.batch_id:
                    return redirect("addresses:batch", pk=address.batch_id)
                return redirect("addresses:detail", pk=address.pk)
        status = 400
    else:
        form = CollectForm(address=address)
        status = 200
    back = reverse("addresses:batch", args=[address.batch_id]) if address.batch_id else reverse("addresses:list")
    return page(
        request,
        "addresses/collect.html",
        {"address": address, "form": form, "badge": badge(address.state), "back": back},
        status=status,
    )
