"""Plain texts derived from a publication: the "copy for WeChat group"
message and the lines an LED controller shows. Only staff-written titles and
content, dates and the public link: never a person's contact details."""

from __future__ import annotations

from django.urls import reverse

from grassroots.core import links
from grassroots.core.scrubbing import scrub_personal_numbers

from .models import Kind, Publication
from .services import date_label


def public_url(publication: Publication) -> str:
    """The notice's page on the portal as residents reach it (WeChat texts,
    QR codes on printed notices and LED boards, feeds): the public site's
    address (GRASSROOTS_PUBLIC_BASE_URL), never the address staff happen to use."""
    return links.public_url(reverse("notices:detail", args=[publication.pk]))


def period_label(publication: Publication) -> str:
    if publication.starts_on is None or publication.ends_on is None:
        return "公示期未定"
    return f"{date_label(publication.starts_on)}至{date_label(publication.ends_on)}"


def wechat_text(publication: Publication, url: str, *, max_chars: int = 300) -> str:
    """A message for the community's WeChat groups and public account: title,
    period, the start of the content and the link to the full notice."""
    body = " ".join(scrub_personal_numbers(publication.content).split())
    if len(body) > max_chars:
        body = body[: max_chars - 1] + "…"
    return (
        f"【{Kind(publication.kind).label}公示】{scrub_personal_numbers(publication.title)}\n"
        f"公示期:{period_label(publication)}\n"
        f"{body}\n"
        f"全文及进度:{url}\n"
        "如有异议,请在公示期内通过上述链接提出。"
    )
