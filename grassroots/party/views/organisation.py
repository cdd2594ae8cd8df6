"""Pages of party organisations and the member register: the list of
branches, a branch with its members (names masked, the derived flags), a
member (masked; party staff reveal the full record with a reason, audited),
and the forms that open a branch and add a member."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.models import User
from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError
from grassroots.core.forms import submit
from grassroots.core.masking import mask_id_number, mask_phone
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node, Resident
from grassroots.regions.selectors import residents_visible_to

from .. import selectors
from ..forms import BranchForm, MemberForm, RevealForm
from ..models import Branch, Member
from ..services import organisation as services
from ..services.organisation import MemberInput
from .common import manage_required, page, view_required

PER_PAGE = 30


@require_GET
@view_required
def branch_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.branches_visible_to(user=request.user)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(request, "party/branches.html", {"page": paged, "tab": "branches"})


def _places(user: Any) -> tuple[list[Node], list[Node]]:
    places = selectors.places_of(user=user, levels=(Level.SUBDISTRICT, Level.VILLAGE))
    return places, [n for n in places if n.level == Level.VILLAGE]


@require_http_methods(["GET", "POST"])
@manage_required
def branch_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    places, villages = _places(user)
    form = BranchForm(request.POST or None, places=places, villages=villages)
    if request.method == "POST" and form.is_valid():
        by_pk = {str(n.pk): n for n in places}
        data = form.cleaned_data
        answer = submit(
            request,
            form,
            lambda: services.branch_create(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                node=by_pk[data["node"]],
                villages=[by_pk[pk] for pk in data["villages"] if pk in by_pk],
            ),
            done="党组织已登记。",
            then=lambda branch: redirect("party:branch", pk=branch.pk),
        )
        if answer:
            return answer
    return page(
        request,
        "party/form.html",
        {"form": form, "title": "登记党组织", "tab": "branches"},
        status=400 if request.method == "POST" else 200,
    )


def member_row(member: Member) -> dict[str, Any]:
    return {
        "member": member,
        "name": member.masked_name,
        "is_representative": getattr(member, "is_representative", False),
        "is_grid_worker": getattr(member, "is_grid_worker", False),
    }


@require_GET
@view_required
def branch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    branch = selectors.branch_get_visible(user=request.user, pk=pk)
    rows = selectors.members_visible_to(user=request.user, branch=branch)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(
        request,
        "party/branch.html",
        {"branch": branch, "page": paged, "items": [member_row(m) for m in paged.object_list], "tab": "branches"},
    )


def _person(user: User, branch: Branch, form: MemberForm) -> MemberInput | None:
    data = form.cleaned_data
    text, username = (data.get("resident") or "").strip(), (data.get("username") or "").strip()
    resident: Resident | None = None
    staff: User | None = None
    if text and username:
        form.add_error("resident", "居民与工作人员账号只能填写一项。")
        return None
    if text:
        found = list(residents_visible_to(user=user, node=branch.node, query=text)[:2])
        if not found:
            form.add_error("resident", "在本党组织所在村/社区没有找到这名居民。")
            return None
        if len(found) > 1:
            form.add_error("resident", "找到多名同名居民,请输入身份证号。")
            return None
        resident = found[0]
    elif username:
        prefix = user_scope_path(user) or ""
        staff = User.objects.filter(username=username, is_active=True, jurisdiction__path__startswith=prefix).first()
        if staff is None:
            form.add_error("username", "本辖区没有这个工作人员账号。")
            return None
    return MemberInput(
        post=data["post"], status=data["status"], joined_on=data.get("joined_on"), resident=resident, user=staff
    )


@require_http_methods(["GET", "POST"])
@manage_required
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    branch = selectors.branch_get_visible(user=user, pk=pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = _person(user, branch, form)
        if data is not None:
            answer = submit(
                request,
                form,
                lambda: services.member_add(actor=user, branch=branch, data=data),
                done="党员已登记。",
                then=lambda member: redirect("party:member", pk=member.pk),
            )
            if answer:
                return answer
    return page(
        request,
        "party/form.html",
        {"form": form, "title": f"登记党员:{branch.name}", "tab": "branches"},
        status=400 if request.method == "POST" else 200,
    )


def _member_page(
    request: HttpRequest,
    member: Member,
    *,
    form: RevealForm | None = None,
    revealed: services.Revealed | None = None,
    status: int = 200,
) -> HttpResponse:
    resident = member.resident
    return page(
        request,
        "party/member.html",
        {
            **member_row(member),
            "phone": mask_phone(resident.phone) if resident else "",
            "id_number": mask_id_number(resident.id_number) if resident else "",
            "pairs": selectors.pairs_of_member(member=member),
            "form": form or RevealForm(),
            "revealed": revealed,
            "tab": "branches",
        },
        status=status,
    )


@require_GET
@view_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, selectors.member_get_visible(user=request.user, pk=pk))


@require_POST
@manage_required
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    member = selectors.member_get_visible(user=user, pk=pk)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            revealed = services.member_reveal(actor=user, member=member, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.info(request, "已显示完整信息,此次查看已记入审计日志。")
            return _member_page(request, member, revealed=revealed)
    return _member_page(request, member, form=form, status=400)
