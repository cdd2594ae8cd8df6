"""What every page does with a service's domain error: one helper instead of
the same block in every view."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from .errors import DomainError

__all__ = ["add_domain_error", "submit"]

T = TypeVar("T")


def add_domain_error(form: forms.BaseForm, exc: DomainError, *, aliases: Mapping[str, str] | None = None) -> str | None:
    """Show `exc` next to its field when the form has it (under `aliases` when
    the service names the field differently), else above the form; mark the
    field's input invalid for Bootstrap and screen readers. Returns the field."""
    name = exc.field or ""
    name = (aliases or {}).get(name, name)
    field = name if name in form.fields else None
    form.add_error(field, exc.message)
    if field:
        attrs = form.fields[field].widget.attrs
        classes = str(attrs.get("class", ""))
        if "is-invalid" not in classes.split():
            attrs["class"] = f"{classes} is-invalid".strip()
        attrs["aria-invalid"] = "true"
    return field


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    done: str,
    then: Callable[[T], HttpResponse],
    aliases: Mapping[str, str] | None = None,
) -> HttpResponse | None:
    """Run the service `call` for a valid `form`: on success `done` as a
    message and `then(result)` (usually a redirect); a domain error goes onto
    the form and the answer is None, for the page to render it again."""
    try:
        result = call()
    except DomainError as exc:
        add_domain_error(form, exc, aliases=aliases)
        return None
    messages.success(request, done)
    return then(result)
