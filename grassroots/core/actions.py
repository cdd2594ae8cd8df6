"""The action panel of a detail page: one card per action the user may take
now, each a form posted with htmx (or plainly, without JavaScript) that
re-renders the panel. Apps keep their own declarations (label, handler,
success message) and their permission check (which reads their
`TransitionTable`); one `PanelPage` per app turns the allowed names into
`PanelAction`s (`panel`), which `templates/core/_action_panel.html` renders,
and answers a posted action (`run`, `respond`). So the markup, the htmx
wiring, the stale-page guard (`seen_state`), the re-opening of a failed form
and the handling of a domain error exist once. ADR 0035."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError
from .forms import add_domain_error

__all__ = ["INVALID", "NOTHING_TO_DO", "ActionPanel", "ActionSpec", "Handler", "PanelAction", "PanelPage"]

NOTHING_TO_DO = "当前状态下您没有可办理的操作。"
INVALID = "请按提示修改后再提交。"


# What an action does: (request, the object, the form's cleaned data) → one service call.
Handler = Callable[[HttpRequest, Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class ActionSpec:
    """An app's declaration of one action of its detail page; the app turns
    it into a card with `PanelAction.from_spec` (and may override the look)."""

    name: str
    label: str
    form: type[Any]  # the app's action form, built with the object, the user and the name
    handler: Handler
    done: str  # the success message
    button: str = "btn-primary"
    submit: str = ""  # the button's text, when not the label
    # Whether the action moves the object to another state (a stale page must not).
    transition: bool = True
    hint: str = ""


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
        then `overrides`. The form and the address come from `PanelPage.panel`."""
        names = {f.name for f in fields(cls)} - {"form", "url"}
        values = {name: getattr(spec, name) for name in names if hasattr(spec, name)}
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class PanelPage:
    """A detail page with an action panel: how its cards are wired and how
    it answers a posted action. One per app, next to its `detail_context`.

    `context(request, obj, failed=, form=, notice=, error=)` is the page's
    context: `failed` names the card whose bound `form` is shown again.
    `stale()` is the app's error for a page that showed another state."""

    panel_template: str
    page_template: str
    detail_url: str  # the page's URL name; it takes `pk`
    context: Callable[..., dict[str, Any]]
    stale: Callable[[], DomainError]
    target: str  # the element htmx swaps: the whole panel ("#matter-panel")
    field_template: str  # the app's rendering of one form field
    empty: str = NOTHING_TO_DO  # what to say when there is nothing to do
    submit_testid: str = "submit"  # the buttons' data-testid prefix
    button_class: str = ""  # extra classes on every submit button
    novalidate: bool = True  # leave validation to the server (its Chinese messages)
    seen_state_always: bool = False  # send `seen_state` with non-transitions too
    stale_on_form: bool = False  # also show the stale error on the card's form
    state_field: str = "state"

    def panel(
        self,
        obj: Any,
        *,
        names: Iterable[str],
        declare: Callable[[str], PanelAction],
        form_for: Callable[[str], forms.BaseForm],
        url_for: Callable[[str], str],
        failed: str = "",
        form: forms.BaseForm | None = None,
        open: str = "",
        empty: str | None = None,
    ) -> ActionPanel:
        """The panel of `obj` for `names` (the actions the app's permission
        check allows now, in display order): `declare(name)` gives the card's
        look, `form_for(name)` an unbound form, `url_for(name)` where it
        posts. The form of the action that just `failed` is shown bound."""
        actions: list[PanelAction] = []
        for name in names:
            bound = form if name == failed and form is not None else form_for(name)
            actions.append(replace(declare(name), form=bound, url=url_for(name)))
        return ActionPanel(
            page=self,
            actions=actions,
            seen_state=str(getattr(obj, self.state_field)),
            open=open,
            empty=self.empty if empty is None else empty,
        )

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


@dataclass(frozen=True)
class ActionPanel:
    """What `core/_action_panel.html` renders: the cards of one object."""

    page: PanelPage
    actions: list[PanelAction]
    seen_state: str  # the state the page shows, sent with every transition
    open: str = ""  # the card shown opened: the failed one, or the usual next step
    empty: str = NOTHING_TO_DO

    @property
    def names(self) -> list[str]:
        return [action.name for action in self.actions]

    @property
    def by_name(self) -> dict[str, forms.BaseForm]:
        """Every card's form, for a page that renders one elsewhere."""
        return {action.name: action.form for action in self.actions if action.form is not None}
