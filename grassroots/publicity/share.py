"""Plain texts derived from a publication: the "copy for WeChat group"
message and the lines an LED controller shows. Only staff-written titles and
content, dates and the public link: never a person's contact details."""

from __future__ import annotations

from .models import Kind, Publication
from .services import date_label


def period_label(publication: Publication) -> str:
    if publication.starts_on is None or publication.ends_on is None:
        return "公示期未定"
    return f"{date_label(publication.starts_on)}至{date_label(publication.ends_on)}"


def wechat_text(publication: Publication, url: str, *, max_chars: int = 300) -> str:
    """A message for the community's WeChat groups and public account: title,
    period, the start of the content and the link to the full notice."""
    body = " ".join(publication.content.split())
    if len(body) > max_chars:
        body = body[: max_chars - 1] + "…"
    return (
        f"【{Kind(publication.kind).label}公示】{publication.title}\n"
        f"公示期:{period_label(publication)}\n"
        f"{body}\n"
        f"全文及进度:{url}\n"
        "如有异议,请在公示期内通过上述链接提出。"
    )
