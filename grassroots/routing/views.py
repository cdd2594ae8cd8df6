"""Staff pages of routing: the suggestion panel the intake forms load while
staff type (htmx, debounced; POST of the text, nothing stored) and the
monthly accuracy page of the subdistrict."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability

from . import selectors
from .advisor import NO_MODEL_HINT
from .config import low_confidence
from .forms import MonthForm, SuggestForm


@require_POST
@capability_required(Capability.VIEW_MATTERS)
def suggest(request: HttpRequest) -> HttpResponse:
    form = SuggestForm(request.POST)
    if not form.is_valid():
        return render(request, "routing/_suggest.html", {"errors": form.errors, "options": []}, status=400)
    text = form.text()
    if len(text.strip()) < 4:
        return render(request, "routing/_suggest.html", {"waiting": True, "options": []})
    version, options = selectors.text_options(text=text)
    return render(
        request,
        "routing/_suggest.html",
        {
            "version": version,
            "options": options,
            "low": bool(options) and low_confidence(options[0].confidence),
            "hint": "" if version else NO_MODEL_HINT,
        },
    )


def _previous_months(today: datetime.date, n: int = 12) -> list[datetime.date]:
    index = today.year * 12 + today.month - 1
    return [datetime.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(n)]


@require_GET
@capability_required(Capability.VIEW_ROUTING)
def accuracy(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET)
    today = timezone.localdate()
    month = (form.cleaned_data.get("month") if form.is_valid() else None) or today.replace(day=1)
    acc = selectors.accuracy_month(user=current_user(request), month=month)
    return render(
        request,
        "routing/accuracy.html",
        {
            "form": form,
            "acc": acc,
            "months": _previous_months(today),
            "active": selectors.active_version(),
            "versions": list(selectors.versions()[:10]),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )
