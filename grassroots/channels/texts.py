"""What a publication says in a group message and in an article: only
staff-written title and content (scrubbed of phone and ID numbers), the
period and the public link, never a person's contact details."""

from __future__ import annotations

import datetime
import html

from django.urls import reverse

from grassroots.core import links
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.publicity.models import Kind, Publication

MARKDOWN_BODY_CHARS = 300
DIGEST_CHARS = 110


def notice_url(publication: Publication) -> str:
    """The notice on the public portal, as residents reach it."""
    return links.public_url(reverse("notices:detail", args=[publication.pk]))


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "未定"


def _clean(text: str) -> str:
    return " ".join(scrub_personal_numbers(text).split())


def heading(publication: Publication) -> str:
    return f"【{Kind(publication.kind).label}公示】{_clean(publication.title)}"


def markdown_text(publication: Publication) -> str:
    """The group message: heading, period, the start of the content and the link."""
    body = _clean(publication.content)
    if len(body) > MARKDOWN_BODY_CHARS:
        body = body[: MARKDOWN_BODY_CHARS - 1] + "…"
    return (
        f"**{heading(publication)}**\n"
        f"> 公示期:{_day(publication.starts_on)}至{_day(publication.ends_on)}\n\n"
        f"{body}\n\n"
        f"[查看全文及进度,如有异议请在公示期内提出]({notice_url(publication)})"
    )


def article_html(publication: Publication) -> str:
    paragraphs = [p.strip() for p in scrub_personal_numbers(publication.content).splitlines() if p.strip()]
    url = html.escape(notice_url(publication))
    return (
        f"<p>公示期:{_day(publication.starts_on)}至{_day(publication.ends_on)}</p>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        + f'<p>全文、办理进度及异议渠道:<a href="{url}">{url}</a></p>'
    )


def digest(publication: Publication) -> str:
    body = _clean(publication.content)
    return body if len(body) <= DIGEST_CHARS else body[: DIGEST_CHARS - 1] + "…"
