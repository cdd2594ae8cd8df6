"""Staff intake pages (说事 on behalf of residents): relaying a message from a
community WeChat group, hotline and walk-in entries, and the grid worker's
door-to-door visit log (phone-first). Places are picked inside the user's
jurisdiction only; a visit outside it answers 404."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.addresses.models import Address
from grassroots.addresses.selectors import address_pick_search, addresses_pickable_by
from grassroots.core.errors import DomainError
from grassroots.core.inputs import input_from
from grassroots.regions.models import Node

from .. import selectors
from ..forms.channels import (
    BaseVisitMatterFormSet,
    HotlineForm,
    RelayForm,
    StaffMatterForm,
    VisitForm,
    VisitMatterFormSet,
    new_idempotency_key,
    with_idempotency_key,
)
from ..models import Channel, Matter
from ..places import PlacePicker
from ..services.advice import current_advisor
from ..services.intake import MatterInput, VisitMatter, matter_create, visit_log

VISITS_PER_PAGE = 20
MAX_ADDRESS_QUERY = 50
MATTER_PREFIX = "m"


def _root(request: HttpRequest) -> Node | None:
    """The user's jurisdiction; a superuser without one picks from the whole
    tree. Anybody else without one has nothing to pick from (404)."""
    user = current_user(request)
    if user.jurisdiction is not None:
        return user.jurisdiction
    if user.is_superuser:
        return None
    raise Http404("您的账号尚未分配辖区。")


def _scoped_picker(data: Any, *, root: Node | None, households: bool = False) -> PlacePicker:
    """A place or household outside the user's subtree does not exist for
    them: 404, as everywhere else."""
    picker = PlacePicker(data, root=root, households=households)
    if picker.out_of_scope:
        raise Http404("未找到该地点,或不在您的辖区内。")
    return picker


def _staff_detail(matter: Matter) -> str:
    return reverse("matters:detail", args=[matter.pk])


# --- WeChat relay, hotline and walk-in -------------------------------------------


def _advice_url() -> str:
    """Where the form posts its text for a category suggestion while staff
    type (an app above matters registers the advisor, ADR 0050)."""
    advisor = current_advisor()
    return reverse(advisor.suggest_url_name) if advisor is not None else ""


def _staff_entry(
    request: HttpRequest,
    *,
    form_class: type[StaffMatterForm],
    template: str,
    build: Any,
) -> HttpResponse:
    root = _root(request)
    user = current_user(request)
    picker_url = reverse("matters-intake:places")
    if request.method != "POST":
        form = form_class(initial={"idempotency_key": new_idempotency_key()}, user=user)
        picker = PlacePicker({}, root=root)
        context = {
            "form": form,
            "picker": picker,
            "picker_url": picker_url,
            "address_q": "",
            "advice_url": _advice_url(),
        }
        return render(request, template, context)

    form = form_class(with_idempotency_key(request.POST), request.FILES, user=user)
    picker = _scoped_picker(request.POST, root=root)
    scoped_key = f"staff:{user.pk}:{form.submitted_key()}"
    existing = selectors.matter_by_idempotency_key(scoped_key)
    if existing is not None:
        return redirect(_staff_detail(existing))
    form_ok = form.is_valid()
    address = form.cleaned_data.get("address") if form_ok else None
    # A picked standard address is place enough: when no finer place was
    # chosen, the matter is anchored at the address's building or unit.
    if address is not None and picker.chosen_node is None:
        picker.default_node = address.node
    if picker.is_valid() and form_ok:
        try:
            matter, _created = matter_create(
                data=build(form, picker.node),
                files=form.cleaned_data["attachments"],
                actor=user,
                idempotency_key=scoped_key,
            )
        except DomainError as exc:
            picker.take_error(exc, form)
        else:
            return redirect(_staff_detail(matter))
    context = {
        "form": form,
        "picker": picker,
        "picker_url": picker_url,
        "files_lost": bool(request.FILES),
        "address_q": request.POST.get("address_q", "")[:MAX_ADDRESS_QUERY],
        "address_selected": address,
        "advice_url": _advice_url(),
    }
    return render(request, template, context, status=400)


def _relay_input(form: RelayForm, node: Node) -> MatterInput:
    extra = {"node": node, "channel": Channel.WECHAT, "channel_detail": form.channel_detail()}
    return input_from(MatterInput, form.cleaned_data, **extra)


def _hotline_input(form: HotlineForm, node: Node) -> MatterInput:
    data = form.cleaned_data  # the form asks for the caller; the matter names the reporter
    return input_from(
        MatterInput, data, node=node, reporter_name=data["caller_name"], reporter_phone=data["caller_phone"]
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.RECORD_MATTERS)
def relay(request: HttpRequest) -> HttpResponse:
    return _staff_entry(request, form_class=RelayForm, template="matters/intake/relay.html", build=_relay_input)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.RECORD_MATTERS)
def hotline(request: HttpRequest) -> HttpResponse:
    return _staff_entry(request, form_class=HotlineForm, template="matters/intake/hotline.html", build=_hotline_input)


@require_GET
@capability_required(Capability.RECORD_MATTERS)
def places(request: HttpRequest) -> HttpResponse:
    """htmx: cascading place selects inside the user's jurisdiction."""
    picker = _scoped_picker(request.GET, root=_root(request))
    return render(request, "matters/public/_place_picker.html", {"picker": picker, "picker_url": request.path})


@require_GET
@capability_required(Capability.RECORD_MATTERS)
def addresses(request: HttpRequest) -> HttpResponse:
    """htmx: verified standard addresses of the user's subtree matching what
    was typed (search-as-you-type), with the one already chosen kept first."""
    user = current_user(request)
    query = request.GET.get("address_q", "")[:MAX_ADDRESS_QUERY]
    selected = _pickable(user, request.GET.get("address", ""))
    matches = address_pick_search(user=user, query=query)
    context = {
        "address_selected": selected,
        "address_choices": [a for a in matches if a != selected],
        "address_q": query,
        "address_none_found": bool(query.strip()) and not matches,
    }
    return render(request, "matters/intake/_address_choices.html", context)


def _pickable(user: Any, raw: str) -> Address | None:
    raw = (raw or "").strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return addresses_pickable_by(user=user).filter(pk=int(raw)).first()


# --- Visits --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@capability_required(Capability.RECORD_VISITS)
def visit(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    user = current_user(request)
    if request.method != "POST":
        return _visit_page(
            request,
            form=VisitForm(),
            formset=VisitMatterFormSet(prefix=MATTER_PREFIX),
            picker=PlacePicker({}, root=root, households=True),
        )
    form = VisitForm(request.POST)
    formset = VisitMatterFormSet(request.POST, request.FILES, prefix=MATTER_PREFIX)
    picker = _scoped_picker(request.POST, root=root, households=True)
    valid = [form.is_valid(), formset.is_valid(), picker.is_valid()]
    if all(valid):
        matters = [
            VisitMatter(
                title=f.cleaned_data["title"],
                description=f.cleaned_data["description"],
                touches_collective=f.cleaned_data["touches_collective"],
                files=f.cleaned_data["photos"],
            )
            for f in cast(BaseVisitMatterFormSet, formset).filled_forms()
        ]
        try:
            logged = visit_log(
                actor=user,
                household=picker.household,  # type: ignore[arg-type]
                notes=form.cleaned_data["notes"],
                matters=matters,
            )
        except DomainError as exc:
            picker.take_error(exc, form, field="household")
        else:
            return redirect("matters-intake:visit-done", pk=logged.pk)
    return _visit_page(request, form=form, formset=formset, picker=picker, status=400)


def _visit_page(
    request: HttpRequest, *, form: VisitForm, formset: Any, picker: PlacePicker, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "matters/intake/visit.html",
        {
            "form": form,
            "formset": formset,
            "picker": picker,
            "picker_url": reverse("matters-intake:visit-households"),
            "files_lost": request.method == "POST" and bool(request.FILES),
            "has_errors": bool(form.errors or formset.total_error_count() or picker.error)
            if request.method == "POST"
            else False,
        },
        status=status,
    )


@require_GET
@capability_required(Capability.RECORD_VISITS)
def visit_households(request: HttpRequest) -> HttpResponse:
    """htmx: building → unit → household inside the worker's jurisdiction."""
    picker = _scoped_picker(request.GET, root=_root(request), households=True)
    return render(request, "matters/public/_place_picker.html", {"picker": picker, "picker_url": request.path})


@require_GET
@capability_required(Capability.RECORD_VISITS)
def visit_done(request: HttpRequest, pk: int) -> HttpResponse:
    logged = selectors.visit_in_scope(user=request.user, pk=pk)
    return render(
        request,
        "matters/intake/visit_done.html",
        {"visit": logged, "matters": list(logged.matters.order_by("number"))},
    )


@require_GET
@capability_required(Capability.RECORD_VISITS)
def visit_list(request: HttpRequest) -> HttpResponse:
    """The worker's own visits, newest first."""
    visits = selectors.visits_of(visitor=current_user(request))
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "matters/intake/visit_list.html", {"page": page, "today": timezone.localdate()})
