"""Staff pages under /publicity/ (PUBLISH): the list of the user's subtree,
a publication's detail with its actions (publish a draft, withdraw a
published one), editing drafts, and drafts made from a closed meeting's
resolutions or a closed appraisal's results. Publications outside the
subtree answer 404. A `DomainError` becomes an error next to its field and
nothing changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core import links
from grassroots.core.errors import DomainError
from grassroots.regions.selectors import place_labels, scope_depth

from .. import selectors, services, share
from ..forms.staff import FilterForm, PublicationForm, PublishForm, WithdrawForm
from ..models import Channel, Kind, Publication, State
from ..registry import PublicationSource, source_for, source_object
from ..templatetags.publicity_tags import publication_badge

PER_PAGE = 20
publish_required = capability_required(Capability.PUBLISH)
CHANNEL_LABELS = {str(value): str(label) for value, label in Channel.choices}


# --- Links ----------------------------------------------------------------


def public_path(pk: int) -> str:
    """The resident-facing page of a publication (/notices/<pk>/)."""
    return reverse("notices:detail", args=[pk])


def public_url(pk: int) -> str:
    """Absolute link for WeChat groups (see share.public_url)."""
    return links.public_url(public_path(pk))


def source_link(publication: Publication) -> tuple[str, str, str]:
    """(what, label, url) of the publication's source; url may be empty."""
    source = source_for(publication.kind)
    obj = source_object(publication, source)
    if source is not None and obj is not None:
        return source.what, source.label(obj), source.url(obj)
    return "公示范围", publication.node.label, ""


def state_badge(state: str) -> tuple[str, str]:
    return str(State(state).label), publication_badge(state)


# --- List -----------------------------------------------------------------


@require_GET
@publish_required
def publication_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = FilterForm(request.GET, user=user)
    form.is_valid()  # invalid fields are shown with their errors and ignored
    rows = form.apply(selectors.publications_visible_to(user=user)).order_by(
        F("starts_on").desc(nulls_first=True), "-id"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    publications = list(page.object_list)
    places = place_labels([p.node for p in publications], skip_depth=scope_depth(user))
    items = []
    for pub in publications:
        label, badge = state_badge(services.shown_state(pub))
        items.append(
            {
                "pub": pub,
                "state_label": label,
                "badge": badge,
                "period": share.period_label(pub),
                "place": places[pub.node_id],
            }
        )
    return render(
        request,
        "publicity/staff/list.html",
        {"form": form, "page": page, "items": items, "filtered": form.filtered},
    )


# --- Detail and actions ---------------------------------------------------


def _detail(
    request: HttpRequest,
    publication: Publication,
    *,
    publish_form: PublishForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = services.shown_state(publication)
    label, badge = state_badge(shown)
    what, source_label, source_url = source_link(publication)
    village = selectors.village_of(publication.node)
    place = place_labels([publication.node], skip_depth=1)[publication.node_id]
    url = public_url(publication.pk)
    objections = [(objection, objection.matter) for objection in selectors.objections_of(publication=publication)]
    context = {
        "pub": publication,
        "state_label": label,
        "badge": badge,
        "period": share.period_label(publication),
        "channels": [CHANNEL_LABELS.get(c, c) for c in publication.channels],
        "source": {"what": what, "label": source_label, "url": source_url},
        "objections": objections,
        "objection_open": services.objection_open(publication),
        "public_path": public_path(publication.pk),
        "public_url": url,
        "pdf_path": reverse("notices-board:notice-pdf", args=[publication.pk]),
        "village": village,
        "place": place,
        "led_path": reverse("notices-board:led", args=[village.pk]) if village is not None else "",
        "wechat_text": share.wechat_text(publication, url),
        "is_draft": publication.state == State.DRAFT,
        "can_withdraw": publication.state in (State.PUBLISHED, State.ENDED),
        "publish_form": publish_form
        or (PublishForm(publication=publication) if publication.state == State.DRAFT else None),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "events": selectors.publication_events(publication=publication),
    }
    return render(request, "publicity/staff/detail.html", context, status=status)


def _load(request: HttpRequest, pk: int) -> Publication:
    return selectors.publication_get_visible(user=request.user, pk=pk)


@require_GET
@publish_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _load(request, pk))


@require_POST
@publish_required
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _load(request, pk)
    form = PublishForm(request.POST, publication=publication)
    if form.is_valid():
        try:
            services.publication_publish(
                actor=current_user(request),
                publication=publication,
                starts_on=form.cleaned_data.get("starts_on"),
                ends_on=form.cleaned_data.get("ends_on"),
            )
        except DomainError as exc:
            if exc.field not in form.fields:  # e.g. already published: the page shows why
                messages.error(request, exc.message)
                return redirect("publicity:detail", pk=publication.pk)
            form.add_domain_error(exc)
        else:
            messages.success(request, "公示已发布。")
            return redirect("publicity:detail", pk=publication.pk)
    publication = _load(request, pk)  # unchanged: show it as it is
    return _detail(request, publication, publish_form=form)


@require_POST
@publish_required
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _load(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.publication_withdraw(
                actor=current_user(request),
                publication=publication,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            if exc.field not in form.fields:
                messages.error(request, exc.message)
                return redirect("publicity:detail", pk=publication.pk)
            form.add_domain_error(exc)
        else:
            messages.success(request, "公示已撤回。")
            return redirect("publicity:detail", pk=publication.pk)
    publication = _load(request, pk)
    return _detail(request, publication, withdraw_form=form)


@require_http_methods(["GET", "POST"])
@publish_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _load(request, pk)
    if publication.state != State.DRAFT:
        messages.error(request, "只有草稿可以修改;已发布的公示请撤回后重新发布。")
        return redirect("publicity:detail", pk=publication.pk)
    if request.method == "POST":
        form = PublicationForm(request.POST, publication=publication)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.publication_update(
                    actor=current_user(request),
                    publication=publication,
                    title=data["title"],
                    content=data["content"],
                    channels=data["channels"],
                    starts_on=data.get("starts_on"),
                    ends_on=data.get("ends_on"),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "草稿已保存。")
                return redirect("publicity:detail", pk=publication.pk)
        publication = _load(request, pk)
    else:
        form = PublicationForm(publication=publication)
    return render(
        request,
        "publicity/staff/form.html",
        {
            "form": form,
            "pub": publication,
            "heading": "修改公示草稿",
            "kind_label": Kind(publication.kind).label,
            "source": dict(zip(("what", "label", "url"), source_link(publication), strict=True)),
            "submit": "保存草稿",
            "cancel_url": reverse("publicity:detail", args=[publication.pk]),
        },
    )


# --- New drafts from a meeting or an appraisal -------------------------------


def _new_from_source(
    request: HttpRequest,
    *,
    kind: str,
    source: dict[str, Any],
    draft: tuple[str, str],
    existing: list[Publication],
    create: dict[str, Any],
) -> HttpResponse:
    if request.method == "POST":
        form = PublicationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                publication = services.publication_create(
                    actor=current_user(request),
                    kind=kind,
                    title=data["title"],
                    content=data["content"],
                    channels=data["channels"],
                    starts_on=data.get("starts_on"),
                    ends_on=data.get("ends_on"),
                    publish=False,
                    **create,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "公示草稿已生成,请核对内容后发布。")
                return redirect("publicity:detail", pk=publication.pk)
    else:
        form = PublicationForm(initial={"title": draft[0], "content": draft[1]})
    return render(
        request,
        "publicity/staff/form.html",
        {
            "form": form,
            "heading": f"公示{Kind(kind).label}",
            "kind_label": Kind(kind).label,
            "source": source,
            "existing": [(p, *state_badge(services.shown_state(p))) for p in existing],
            "submit": "生成草稿",
            "cancel_url": source["url"],
        },
    )


def _new_for(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A draft from a closed meeting or appraisal session: the source is
    loaded, checked and drafted through its registered protocol (ADR 0033)."""
    source: PublicationSource | None = source_for(kind)
    assert source is not None, f"no publication source for {kind}"
    obj = source.load(current_user(request), pk)
    source_url = source.url(obj)
    refusal = source.refusal(kind, obj)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect(source_url)
    return _new_from_source(
        request,
        kind=kind,
        source={"what": source.what, "label": source.label(obj), "url": source_url},
        draft=source.draft(kind, obj) if request.method == "GET" else ("", ""),
        existing=list(obj.publications.order_by("-id")),
        create={source.field: obj},
    )


@require_http_methods(["GET", "POST"])
@publish_required
def publication_new_resolution(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _new_for(request, Kind.RESOLUTION, meeting_id)


@require_http_methods(["GET", "POST"])
@publish_required
def publication_new_appraisal(request: HttpRequest, session_id: int) -> HttpResponse:
    return _new_for(request, Kind.APPRAISAL, session_id)
