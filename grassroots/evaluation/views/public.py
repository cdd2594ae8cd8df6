"""Public pages under /ballot/ (no login): casting a ballot with a slip's
code on a phone or kiosk, and the published board.

The vote view is written so that nothing about a voter is kept (ADR 0014):
the code arrives in the POST body (the QR code carries it in the URL
fragment, which is never sent), no audit entry, no logging, no session,
no redirect carrying the tracker, errors answered with status 200 so that
Django's request logger stays silent. Only failed attempts count against a
per-address rate limit (a cache counter under a hashed key, no ballot in it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from grassroots.core.errors import DomainError

from .. import selectors
from ..board import SCALE
from ..models import AppraisalSession, ItemKind, Rating
from ..services import ballots as ballot_services
from ..states import State

FAILED_RATE = "20/m"


def _public_session(pk: int) -> AppraisalSession:
    session = selectors.session_public_get(pk=pk)
    if session is None:
        raise Http404("评议不存在或尚未开始投票。")
    return session


def _vote_context(session: AppraisalSession, selected: dict[str, str] | None = None) -> dict[str, object]:
    items = list(session.items.all())
    return {
        "session": session,
        "staff_items": [i for i in items if i.kind == ItemKind.STAFF],
        "matter_items": [i for i in items if i.kind == ItemKind.MATTER],
        "scale": [(value, Rating(value).label) for value in SCALE],
        "selected": selected or {},
        "open": session.state == State.FROZEN,
    }


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/public/index.html", {"sessions": selectors.sessions_published()})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    session = _public_session(pk)
    if request.method == "GET":
        return render(request, "evaluation/public/vote.html", _vote_context(session))
    selected: dict[str, str] = {
        key.removeprefix("item_"): str(value)
        for key, value in request.POST.items()
        if key.startswith("item_") and value
    }
    context = _vote_context(session, selected)
    if is_ratelimited(request, group="evaluation.vote-failed", key="ip", rate=FAILED_RATE, increment=False):
        context["error"] = "尝试次数过多,请稍后再试。"
        return render(request, "evaluation/public/vote.html", context, status=429)
    try:
        ballot = ballot_services.ballot_cast(session_id=session.pk, code=request.POST.get("code", ""), choices=selected)
    except DomainError as exc:
        if exc.code == "code_rejected":
            is_ratelimited(request, group="evaluation.vote-failed", key="ip", rate=FAILED_RATE, increment=True)
        context["error"] = exc.message
        context["open"] = session.state == State.FROZEN and exc.code != "wrong_state"
        return render(request, "evaluation/public/vote.html", context)
    labels = {str(i.pk): i.label for i in session.items.all()}
    receipt = [(labels[k], Rating(v).label) for k, v in ballot.choices.items()]
    return render(
        request, "evaluation/public/receipt.html", {"session": session, "tracker": ballot.tracker, "receipt": receipt}
    )


@login_not_required
@require_GET
def board_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = _public_session(pk)
    if session.state != State.CLOSED:
        return render(request, "evaluation/public/board_pending.html", {"session": session})
    data = ballot_services.board_build(session=session)
    items = [dict(item, tally=data["tally"].get(item["id"])) for item in data["items"]]
    labels = {item["id"]: item["label"] for item in data["items"]}
    ballots = [
        dict(b, rows=[(labels.get(k, k), Rating(v).label) for k, v in b["choices"].items()]) for b in data["ballots"]
    ]
    return render(
        request,
        "evaluation/public/board.html",
        {
            "session": session,
            "board": data,
            "items": items,
            "ballots": ballots,
            "scale": [(value, Rating(value).label) for value in SCALE],
        },
    )


@login_not_required
@require_GET
def board_json(request: HttpRequest, pk: int) -> HttpResponse:
    session = _public_session(pk)
    if session.state != State.CLOSED:
        raise Http404("投票结束后才公布选票公示板。")
    response = JsonResponse(ballot_services.board_build(session=session), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="ballot-board-{session.pk}.json"'
    return response


__all__ = ["board_json", "board_page", "index", "vote"]
