"""Public boards under /notices/ (no login): the full-screen LED page for a
village hall's screen, the compact page for low-resolution LED signs, the
plain text that LED controllers poll (UTF-8 or GBK), the village's Atom feed
and the printed A4 notice (公示) with a QR code back to the online page.

Everything here reads the public selectors (published or ended notices only;
the LED surfaces only those in their period today) and shows staff-written
titles and content (scrubbed of phone and ID numbers, ADR 0018), dates,
progress and units: never a person's name or contact details."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from grassroots.core.documents import PDF_CONTENT_TYPE, content_disposition, qr_png_data_uri, qr_svg, render_pdf
from grassroots.core.links import public_base_url
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.regions.models import Node

from .. import selectors, services, share
from ..models import Kind, Publication, State
from ..share import period_label

# Rotation of the LED pages: seconds per notice (?seconds=N within bounds).
LED_SECONDS_DEFAULT = 15
LED_SECONDS_MIN = 2
LED_SECONDS_MAX = 120
# How often the page fetches its slides again (?refresh=N within bounds), and
# how many it rotates.
LED_REFRESH_SECONDS = 60
LED_REFRESH_MIN = 5
LED_REFRESH_MAX = 600
LED_MAX_SLIDES = 30
# Characters of content on the full-screen board (the rest is on the portal).
LED_CONTENT_CHARS = 150
FEED_MAX_ENTRIES = 50
PDF_CACHE_SECONDS = 3600
TEXT_CACHE_SECONDS = 60

# Kinds whose progress (%) means something to a resident: how far the
# matter (or the matters behind a meeting's resolutions) has got.
PROGRESS_KINDS = (Kind.PLAN, Kind.RESULT, Kind.RESOLUTION)

# ?encoding= of led.txt → Python codec and charset label.
TEXT_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "gbk": "gbk",
    "cp936": "gbk",
    "gb2312": "gb2312",
    "gb18030": "gb18030",
}
WEEKDAYS = "一二三四五六日"


# --- shared helpers -------------------------------------------------------------------


def _village_or_404(village_id: int) -> Node:
    village = selectors.village_by_id(village_id)
    if village is None:
        raise Http404("没有这个村(社区)。")
    return village


def _public_base() -> str:
    return public_base_url()


def detail_url(publication: Publication) -> str:
    """The absolute address of the notice on the portal (QR codes, feeds)."""
    return share.public_url(publication)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _trim(text: str, limit: int) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _percent(publication: Publication, known: dict[int, int] | None = None) -> int | None:
    """The progress to show, if any; `known` holds percentages computed for a
    whole list at once (selectors.percents)."""
    if publication.kind not in PROGRESS_KINDS:
        return None
    if known is not None and publication.pk in known:
        return known[publication.pk]
    return selectors.percents([publication])[publication.pk]


def _qr(publication: Publication) -> str:
    """The QR code of the notice's page as a data URI; the same for as long as
    the address is, so it is drawn once and kept in the cache."""
    url = detail_url(publication)
    key = "publicity-qr:" + hashlib.sha256(url.encode()).hexdigest()
    image = cache.get(key)
    if image is None:
        image = qr_png_data_uri(url, scale=6)
        cache.set(key, image, 24 * 3600)
    return str(image)


def _short_day(day: datetime.date, today: datetime.date) -> str:
    return f"{day.month}月{day.day}日" if day.year == today.year else services.date_label(day)


def short_period(publication: Publication, today: datetime.date) -> str:
    """The period for small signs: "11月30日—12月7日" (the year only when it differs)."""
    if publication.starts_on is None or publication.ends_on is None:
        return "公示期未定"
    return f"{_short_day(publication.starts_on, today)}—{_short_day(publication.ends_on, today)}"


def issuer_of(publication: Publication) -> Node:
    """The unit that issues (and stamps) the notice: the village/community
    of its place, or the subdistrict for notices above village level."""
    return selectors.village_of(publication.node) or publication.node


def _issuers(publications: list[Publication]) -> dict[int, Node]:
    """issuer_of() for a list, in one query."""
    prefixes = {p.node.path[: Node.steplen * depth] for p in publications for depth in range(1, p.node.depth + 1)}
    villages = selectors.villages_by_path(prefixes)
    found = {}
    for publication in publications:
        path = publication.node.path
        village = next(
            (
                villages[path[:end]]
                for end in range(Node.steplen, len(path) + 1, Node.steplen)
                if path[:end] in villages
            ),
            None,
        )
        found[publication.pk] = village or publication.node
    return found


def _bounded(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = (request.GET.get(name) or "").strip()
    if not raw.isdigit():
        return default
    return max(low, min(high, int(raw)))


# --- LED pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    pk: int
    kind: str
    kind_label: str
    title: str
    period: str
    short_period: str
    content: str
    percent: int | None
    days_left: int
    qr: str


def _slides(village: Node, *, with_content: bool) -> list[Slide]:
    today = timezone.localdate()
    slides = []
    current = selectors.public_current(village=village, today=today)[:LED_MAX_SLIDES]
    known = selectors.percents(current)
    for publication in current:
        assert publication.ends_on is not None  # published notices have a period
        slides.append(
            Slide(
                pk=publication.pk,
                kind=publication.kind,
                kind_label=str(Kind(publication.kind).label),
                title=_one_line(scrub_personal_numbers(publication.title)),
                period=period_label(publication),
                short_period=short_period(publication, today),
                content=_trim(scrub_personal_numbers(publication.content), LED_CONTENT_CHARS) if with_content else "",
                percent=_percent(publication, known),
                days_left=(publication.ends_on - today).days,
                qr=_qr(publication) if with_content else "",
            )
        )
    return slides


def _led_page(request: HttpRequest, village_id: int, *, compact: bool) -> HttpResponse:
    village = _village_or_404(village_id)
    slides = _slides(village, with_content=not compact)
    signature = hashlib.sha256(repr(slides).encode()).hexdigest()[:16]
    deck = "publicity/board/_deck_compact.html" if compact else "publicity/board/_deck.html"
    context = {"village": village, "slides": slides, "signature": signature}
    if request.GET.get("fragment"):
        # What the page's script fetches every minute: only the slides.
        return render(request, deck, context)
    now = timezone.localtime()
    context.update(
        {
            "deck_template": deck,
            "seconds": _bounded(request, "seconds", LED_SECONDS_DEFAULT, LED_SECONDS_MIN, LED_SECONDS_MAX),
            "refresh_seconds": _bounded(request, "refresh", LED_REFRESH_SECONDS, LED_REFRESH_MIN, LED_REFRESH_MAX),
            "refresh_url": f"{request.path}?fragment=1",
            "now_ms": int(now.timestamp() * 1000),
            "time_zone": settings.TIME_ZONE,
            "date_text": f"{services.date_label(now.date())} 星期{WEEKDAYS[now.weekday()]}",
            "time_text": f"{now:%H:%M}",
        }
    )
    return render(request, "publicity/led_compact.html" if compact else "publicity/led.html", context)


@login_not_required
@never_cache
@require_GET
def led(request: HttpRequest, village_id: int) -> HttpResponse:
    """The full-screen board (1920×1080) of a village hall."""
    return _led_page(request, village_id, compact=False)


@login_not_required
@never_cache
@require_GET
def led_compact(request: HttpRequest, village_id: int) -> HttpResponse:
    """The same rotation for low-resolution LED signs (e.g. 480×240)."""
    return _led_page(request, village_id, compact=True)


# --- plain text for LED controllers ---------------------------------------------------


def text_line(publication: Publication, known: dict[int, int] | None = None) -> str:
    """【理事方案】title 公示期:2026年11月30日至2026年12月7日 进度60%"""
    title = _one_line(scrub_personal_numbers(publication.title))
    line = f"【{Kind(publication.kind).label}】{title} 公示期:{period_label(publication)}"
    percent = _percent(publication, known)
    if percent is not None:
        line += f" 进度{percent}%"
    return line


@login_not_required
@require_GET
def led_text(request: HttpRequest, village_id: int) -> HttpResponse:
    village = _village_or_404(village_id)
    wanted = (request.GET.get("encoding") or "utf-8").strip().lower()
    codec = TEXT_ENCODINGS.get(wanted)
    if codec is None:
        return HttpResponse(
            "不支持该编码,请使用 encoding=utf-8、gbk、gb2312 或 gb18030。\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    lines = [village.label]
    current = selectors.public_current(village=village)[:LED_MAX_SLIDES]
    known = selectors.percents(current)
    lines += [text_line(p, known) for p in current]
    if len(lines) == 1:
        lines.append("暂无公示事项")
    body = "\n".join(lines) + "\n"
    # Characters the controller's charset lacks become "?" rather than an error.
    response = HttpResponse(body.encode(codec, errors="replace"), content_type=f"text/plain; charset={codec}")
    patch_cache_control(response, public=True, max_age=TEXT_CACHE_SECONDS)
    return response


# --- Atom feed ------------------------------------------------------------------------


def _entry_html(publication: Publication, known: dict[int, int]) -> str:
    state = "公示中" if services.shown_state(publication) == State.PUBLISHED else "公示期满"
    parts = [f"<p>公示期:{escape(period_label(publication))}({state})</p>"]
    percent = _percent(publication, known)
    if percent is not None:
        parts.append(f"<p>办理进度:{percent}%</p>")
    parts.append(f"<p>{linebreaksbr(escape(scrub_personal_numbers(publication.content)))}</p>")
    return "".join(parts)


def _entry_moment(publication: Publication) -> datetime.datetime | None:
    if publication.published_at:
        return publication.published_at
    if publication.starts_on:
        return timezone.make_aware(datetime.datetime.combine(publication.starts_on, datetime.time()))
    return None


@login_not_required
@require_GET
def feed(request: HttpRequest, village_id: int) -> HttpResponse:
    village = _village_or_404(village_id)
    base = _public_base()
    atom = Atom1Feed(
        title=f"{village.label}公示",
        link=base + reverse("notices:village", args=[village.pk]),
        description=f"{village.label}的理事方案、理事结果、议事决议、评议结果和评事考评排行公示。",
        subtitle=f"{village.label}的理事方案、理事结果、议事决议、评议结果和评事考评排行公示。",
        language="zh-hans",
        feed_url=base + request.path,
        author_name=village.name,
    )
    entries = list(selectors.public_publications(village=village)[:FEED_MAX_ENTRIES])
    known = selectors.percents(entries)
    issuers = _issuers(entries)
    for publication in entries:
        url = detail_url(publication)
        label = str(Kind(publication.kind).label)
        moment = _entry_moment(publication)
        atom.add_item(
            title=f"【{label}】{scrub_personal_numbers(publication.title)}",
            link=url,
            unique_id=url,
            description=_entry_html(publication, known),
            pubdate=moment,
            updateddate=publication.ended_at or moment,
            categories=[label],
            author_name=issuers.get(publication.pk, publication.node).name,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response


# --- printed notice (A4 PDF) ----------------------------------------------------------


def notice_pdf_bytes(publication: Publication) -> bytes:
    """The A4 notice for the bulletin board. Cached per version of the row
    and progress: rendering takes about a second and the URL is public."""
    percent = _percent(publication)
    shown = services.shown_state(publication)
    stamp = publication.updated_at.timestamp() if publication.updated_at else 0
    key = f"publicity:notice-pdf:{publication.pk}:{shown}:{stamp}:{percent}"
    pdf = cache.get(key)
    if isinstance(pdf, bytes):
        return pdf
    url = detail_url(publication)
    issuer = issuer_of(publication)
    pdf = render_pdf(
        template_name="publicity/notice_pdf.html",
        context={
            "publication": publication,
            "kind_label": Kind(publication.kind).label,
            "period": period_label(publication),
            "percent": percent,
            "place": issuer.label,
            "issuer": issuer.name,
            "issued_on": publication.starts_on,
            "ended": shown == State.ENDED,
            "url": url,
            "qr": qr_svg(url, scale=4),
        },
    )
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


@login_not_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.public_get(pk=pk)
    if publication is None:
        raise Http404("公示不存在或已撤回。")
    response = HttpResponse(notice_pdf_bytes(publication), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"公示-{publication.pk}.pdf", inline=True)
    patch_cache_control(response, public=True, max_age=300)
    return response
