"""Import and export of the register (MANAGE_ADDRESSES): one page with the
upload form (errors listed by line, nothing written on any error) and the
export of the user's subtree, filtered like the list, in the same columns."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import excel_response
from grassroots.core.errors import DomainError
from grassroots.core.scoping import user_scope_path

from .. import selectors
from ..forms import FilterForm, ImportForm
from ..models import Address
from ..services import transfer
from .common import manage_required, page, villages_of


@require_http_methods(["GET", "POST"])
@manage_required
def transfer_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    errors: list[str] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                count = transfer.addresses_import(actor=user, upload=form.cleaned_data["file"])
            except transfer.AddressImportError as exc:
                form.add_error("file", exc.message)
                errors = exc.errors
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已导入 {count} 个地址,状态为“待核采”。")
                return redirect("addresses:list")
        status = 400
    else:
        form = ImportForm()
        status = 200
    filters = FilterForm(villages=villages_of(user))
    return page(
        request,
        "addresses/transfer.html",
        {"form": form, "errors": errors, "headers": transfer.HEADERS, "filters": filters},
        status=status,
    )


@require_GET
@manage_required
def export(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = FilterForm(request.GET, villages=villages_of(user))
    form.is_valid()
    rows = form.apply(selectors.addresses_visible_to(user=user), path_prefix=user_scope_path(user) or None).order_by(
        "path", "building", "unit", "room", "id"
    )
    return excel_response(
        filename="标准地址.xlsx",
        sheet_title="标准地址",
        headers=transfer.HEADERS,
        rows=transfer.export_rows(rows.iterator(chunk_size=2000)),
        user=user,
        object_type=Address._meta.label,
    )
