"""The month's entry form (ENTER_INDICATORS): one field per active
indicator, prefilled with the figures entered so far; in a locked month the
form asks for the reason of the correction. And the Excel import page (the
same columns as the export; errors listed by line, nothing written on any
error)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError

from .. import selectors
from ..forms import EntryForm, ImportForm
from ..models import Indicator
from ..services import transfer
from ..services.values import clean_amount, values_set
from ..states import State
from .common import enter_required, place_of, table_url


@require_http_methods(["GET", "POST"])
@enter_required
def enter(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    place = place_of(request, user)
    if place.node is None:
        return redirect("indicators:table")
    ledger = selectors.ledger_find(node=place.node, month=place.month)
    state = str(ledger.state) if ledger else State.DRAFT
    indicators = list(selectors.indicators_active())
    current = {v.indicator_id: v.value for v in ledger.values.all()} if ledger else {}
    locked = state == State.LOCKED
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, indicators=indicators, locked=locked)
        if form.is_valid():
            figures: dict[Indicator, Decimal] = {}
            for indicator in indicators:
                raw = form.cleaned_data.get(f"i{indicator.pk}") or ""
                if raw.strip() == "":
                    if indicator.pk in current:
                        form.add_error(f"i{indicator.pk}", f"“{indicator.name}”已填报,不能清空。")
                    continue
                try:
                    figures[indicator] = clean_amount(raw, indicator)
                except DomainError as exc:
                    form.add_error(f"i{indicator.pk}", exc.message)
            if form.is_valid() and not figures:
                form.add_error(None, "请至少填写一个指标值。")
            if form.is_valid():
                try:
                    values_set(
                        actor=user,
                        node=place.node,
                        month=place.month,
                        values=figures,
                        reason=form.cleaned_data.get("reason") or "",
                    )
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, "已保存更正。" if locked else "已保存。")
                    return redirect(table_url(place.node, place.month))
        status = 400
    else:
        initial = {f"i{pk}": format(v.normalize(), "f") for pk, v in current.items()}
        form = EntryForm(initial=initial, indicators=indicators, locked=locked)
    return render(
        request,
        "indicators/enter.html",
        {
            "place": place,
            "form": form,
            "locked": locked,
            "state": state,
            "state_label": State(state).label,
            "editable": state != State.REVIEWED,
            "back": table_url(place.node, place.month),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@enter_required
def import_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                count = transfer.indicators_import(actor=user, upload=form.cleaned_data["file"])
            except transfer.IndicatorImportError as exc:
                form.add_error("file", exc.message)
                errors = exc.errors
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已导入 {count} 个指标值。")
                return redirect("indicators:table")
        status = 400
    else:
        form = ImportForm()
    return render(
        request, "indicators/import.html", {"form": form, "errors": errors, "headers": transfer.HEADERS}, status=status
    )
