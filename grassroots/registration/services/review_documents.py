"""The documents of the preliminary review: the return notice (补正材料告知书)
and the acceptance notice (受理通知书), as context and as PDF."""

from __future__ import annotations

from typing import Any

from grassroots.core.documents import render_pdf
from grassroots.core.errors import Conflict

from ..models import Application, Authority, ReturnNotice
from ..states import Action
from .workflow import format_tracking_code


def _authority() -> Authority | None:
    return Authority.objects.order_by("id").first()


def notice_context(*, notice: ReturnNotice) -> dict[str, Any]:
    application = notice.application
    return {
        "notice": notice,
        "application": application,
        "authority": _authority(),
        "tracking_code": format_tracking_code(application.tracking_code),
        "doc_number": notice.number,
        "title": "补正材料告知书",
    }


def return_notice_pdf(*, notice: ReturnNotice) -> bytes:
    """补正告知书: every item and its reason, citing Art. 32."""
    return render_pdf(template_name="registration/documents/return_notice.html", context=notice_context(notice=notice))


def acceptance_context(*, application: Application) -> dict[str, Any]:
    accept = application.events.filter(action=Action.ACCEPT).order_by("-id").first()
    return {
        "application": application,
        "deemed": bool(accept and accept.data.get("deemed")),
        "authority": _authority(),
        "tracking_code": format_tracking_code(application.tracking_code),
        "doc_number": application.number,
        "title": "受理通知书",
    }


def acceptance_notice_pdf(*, application: Application) -> bytes:
    """受理通知书 with the acceptance number and the due dates."""
    if not application.number:
        raise Conflict("not_accepted", "申请尚未受理,没有受理通知书。")
    return render_pdf(
        template_name="registration/documents/acceptance_notice.html",
        context=acceptance_context(application=application),
    )
