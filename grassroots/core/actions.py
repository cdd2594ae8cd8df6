"""The action panel of a detail page: one card per action the user may take
now, each a form posted with htmx (or plainly, without JavaScript) that
re-renders the panel. Apps keep their own declarations (label, handler,
success message) and their permission check (which reads their
`TransitionTable`); `action_panel` turns the allowed names into
`PanelAction`s and `templates/core/_action_panel.html` renders them, so the
markup, the htmx wiring, the stale-page guard (`seen_state`) and the
re-opening of a failed form exist once. ADR 0035."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError
from .forms import add_domain_error

__all__ = ["INVALID", "NOTHING_TO_DO", "ActionPanel", "PanelAction", "PanelPage", "action_panel"]

NOTHING_TO_DO = "当前状态下您没有可办理的操作。"
INVALID = "请按提示修改后再提交。"


@dataclass(frozen=True)
class PanelAction:
    """One card of the panel."""

    name: str
    label: str
    form: forms.BaseForm | None = None
    url: str = ""
    button: str = "btn-primary"  # the submit button's Bootstrap class
    submit: str = ""  # the button's text, when not the label
    hint: str = ""  # a short line above the form
    icon: str = ""  # a Bootstrap icon in the card's title
    # Whether the action moves the object to another state: the form then
    # sends the state the page showed, and a stale page is refused.
    transition: bool = True
    multipart: bool = False  # the form uploads files
    # Templates of the app, rendered with the page's context and `action`:
    intro: str = ""  # at the top of the card, before the form
    body: str = ""  # instead of the form's fields
    # Rendered by the page somewhere else (e.g. a checklist that is a form).
    elsewhere: bool = False

    @property
    def button_text(self) -> str:
        return self.submit or self.label

    @classmethod
    def from_spec(cls, spec: object, **overrides: Any) -> PanelAction:
        """From an app's own declaration of an action: every attribute it has
        that names a field here (name, label, button, hint, transition…),
        then `overrides`. The form and the address come from `action_panel`."""
        names = {f.name for f in fields(cls)} - {"form", "url"}
        values = {name: getattr(spec, name) for name in names if hasattr(spec, name)}
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class ActionPanel:
    """The cards and how the app's page wires them."""

    actions: list[PanelAction]
    target: str  # the element htmx swaps: the whole panel ("#matter-panel")
    seen_state: str  # the state the page shows, sent with every transition
    field_template: str  # the app's rendering of one form field
    open: str = ""  # the card shown opened: the failed one, or the usual next step
    empty: str = NOTHING_TO_DO  # what to say when there is nothing to do ("" for nothing)
    submit_testid: str = "submit"  # the buttons' data-testid prefix
    button_class: str = ""  # extra classes on every submit button
    novalidate: bool = True  # leave validation to the server (its Chinese messages)
    seen_state_always: bool = False  # send `seen_state` with non-transitions too
    by_name: Mapping[str, forms.BaseForm] = field(default_factory=dict)  # every card's form

    @property
    def names(self) -> list[str]:
        return [action.name for action in self.actions]


def action_panel(
    *,
    names: Iterable[str],
    declare: Callable[[str], PanelAction],
    form_for: Callable[[str], forms.BaseForm],
    url_for: Callable[[str], str],
    failed: str = "",
    form: forms.BaseForm | None = None,
    target: str,
    seen_state: str,
    field_template: str,
    open: str = "",
    empty: str = NOTHING_TO_DO,
    submit_testid: str = "submit",
    button_class: str = "",
    novalidate: bool = True,
    seen_state_always: bool = False,
) -> ActionPanel:
    """The panel for `names` (the actions the app's permission check allows
    now, in display order): `declare(name)` gives the card's look,
    `form_for(name)` an unbound form, `url_for(name)` where it posts. The form
    of the action that just `failed` is shown bound, with its errors."""
    actions: list[PanelAction] = []
    for name in names:
        bound = form if name == failed and form is not None else form_for(name)
        actions.append(replace(declare(name), form=bound, url=url_for(name)))
    return ActionPanel(
        actions=actions,
        target=target,
        seen_state=seen_state,
        field_template=field_template,
        open=open,
        empty=empty,
        submit_testid=submit_testid,
        button_class=button_class,
        novalidate=novalidate,
        seen_state_always=seen_state_always,
        by_name={action.name: action.form for action in actions if action.form is not None},
    )


@dataclass(frozen=True)
class PanelPage:
    """How a detail page with an action panel answers a posted action.

    `context(request, obj, failed=, form=, notice=, error=)` is the page's
    context: `failed` names the card whose bound `form` is shown again.
    `stale()` is the app's error for a page that showed another state."""

    panel_template: str
    page_template: str
    detail_url: str  # the page's URL name; it takes `pk`
    context: Callable[..., dict[str, Any]]
    stale: Callable[[], DomainError]
    stale_on_form: bool = False  # also show the stale error on the card's form
    state_field: str = "state"

    def respond(self, request: HttpRequest, obj: Any, *, status: int, **context: Any) -> HttpResponse:
        """htmx: the panel, always 200 (htmx does not swap error answers, and
        the browser would log them); without JavaScript: a redirect after
        success, or the whole page with the error and its status."""
        if getattr(request, "htmx", None):
            return render(request, self.panel_template, self.context(request, obj, **context))
        if status == 200:
            messages.success(request, context.get("notice", ""))
            return redirect(self.detail_url, pk=obj.pk)
        return render(request, self.page_template, self.context(request, obj, **context), status=status)

    def run(
        self, request: HttpRequest, obj: Any, failed: str, form: forms.BaseForm, call: Callable[[], Any], done: str
    ) -> HttpResponse:
        """Validate, refuse a stale page, call the service; a domain error
        lands on the form (and on top of the panel, for when the form is gone
        because the object moved on) and changes nothing."""
        if not form.is_valid():
            return self.respond(request, obj, status=400, failed=failed, form=form, error=INVALID)
        seen = request.POST.get("seen_state", "")
        if seen and seen != getattr(obj, self.state_field):
            message = self.stale().message
            if self.stale_on_form:
                form.add_error(None, message)
            return self.respond(request, obj, status=409, failed=failed, form=form, error=message)
        try:
            call()
        except DomainError as exc:
            add_domain_error(form, exc)
            return self.respond(request, obj, status=exc.status, failed=failed, form=form, error=exc.message)
        return self.respond(request, obj, status=200, notice=done)
