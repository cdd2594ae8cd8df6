"""What every page does with a service's domain error: one helper instead of
the same block in every view."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from .errors import DomainError

__all__ = ["StaffForm", "StyledForm", "add_domain_error", "choice_errors", "date_widget", "submit"]

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


class StyledForm(forms.Form):
    """Bootstrap classes on widgets, `is-invalid` on fields with errors, and
    service errors mapped onto fields: the base of the public portals' forms."""

    # Service error fields that have another name on this form.
    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.RadioSelect):
                css = "form-select" if isinstance(widget, forms.Select) else "form-check-input"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def _mark_invalid(self, name: str) -> None:
        if name in self.fields:
            widget = self.fields[name].widget
            classes = widget.attrs.get("class", "")
            if "is-invalid" not in classes:
                widget.attrs["class"] = f"{classes} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"

    def full_clean(self) -> None:
        super().full_clean()
        for name in list(getattr(self, "_errors", None) or {}):
            self._mark_invalid(name)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field:
            self._mark_invalid(field)

    def add_domain_error(self, exc: DomainError) -> None:
        add_domain_error(self, exc, aliases=self.field_aliases)


class StaffForm(forms.Form):
    """Bootstrap classes on every widget (replacing the widget's own), and
    `is-invalid` on fields with errors: the base of the staff pages' forms."""

    # Widgets the page styles itself: left without a class here.
    unstyled_widgets: tuple[type[forms.Widget], ...] = ()
    # Service error fields that have another name on this form.
    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, self.unstyled_widgets):
                continue
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"

    def add_domain_error(self, exc: DomainError) -> None:
        """A service error next to its field (or above the form)."""
        add_domain_error(self, exc, aliases=self.field_aliases)


def text_errors(label: str) -> dict[str, str]:
    """Chinese messages of a required text field with the given label."""
    return {"required": f"请填写{label}。", "max_length": f"{label}太长了。"}


def date_widget() -> forms.DateInput:
    # <input type="date"> only accepts ISO dates, whatever the locale's format.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choice_errors(label: str) -> dict[str, str]:
    """Chinese messages of a choice field with the given label."""
    return {"required": f"请选择{label}。", "invalid_choice": f"所选{label}无效,请重新选择。"}
