"""Documents that staff print and exchange: PDF (WeasyPrint), QR codes (segno)
and Excel exports (openpyxl).

PDFs are rendered from Django templates extending `documents/base_a4.html`,
with Debian's fonts-noto-cjk. Rendering never reaches the network: only
`data:` URLs, static files and files under the static/media directories are
fetched (intranet deployments, and no server-side request forgery through a
document).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from grassroots.core.audit import Action, audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "content_disposition",
    "excel_bytes",
    "excel_response",
    "export_watermark",
    "install_export_guard",
    "pdf_response",
    "qr_png_data_uri",
    "qr_svg",
    "render_pdf",
]

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QR_ERROR_LEVEL = "m"  # 15 % of the symbol may be damaged (printed, folded, stamped over)

# --- Content-Disposition ------------------------------------------------------------


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition value with an ASCII fallback and the real (e.g.
    Chinese) name in RFC 5987 form: ``attachment; filename="x.xlsx";
    filename*=UTF-8''%E5%AF%BC…``."""
    name = re.sub(r'[\r\n"\\/]', "_", filename).strip() or "download"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "download"
    ascii_ext = re.sub(r"[^A-Za-z0-9]+", "", ext)
    fallback = f"{ascii_stem}.{ascii_ext}" if ascii_ext else ascii_stem
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- PDF ------------------------------------------------------------------------------


def _static_path(url_path: str) -> Path | None:
    """The file behind a /static/… URL path, from the finders or STATIC_ROOT."""
    relative = url_path.removeprefix(settings.STATIC_URL).lstrip("/")
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _local_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    roots += [Path(d if isinstance(d, str | Path) else d[1]) for d in settings.STATICFILES_DIRS]
    return [root.resolve() for root in roots]


def _url_fetcher() -> Any:
    from weasyprint import URLFetcher  # heavy import (Pango through cffi): load on first use

    class LocalURLFetcher(URLFetcher):
        """Serves data: URLs, /static/… paths (of any host, so that templates
        may use `{% static %}` with any base_url), and files under the static
        and media directories. Everything else is refused."""

        def __init__(self) -> None:
            super().__init__(timeout=5, allowed_protocols=["data", "file"], allow_redirects=False)
            self._roots = _local_roots()

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme in {"file", "http", "https"} and parts.path.startswith(settings.STATIC_URL):
                static = _static_path(url2pathname(parts.path))
                if static is not None:
                    return super().fetch(static.resolve().as_uri(), headers)
            if scheme == "file":
                path = Path(url2pathname(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in self._roots):
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"文档渲染不允许读取该地址: {url}")

    return LocalURLFetcher()


def render_pdf(*, template_name: str, context: dict[str, Any], base_url: str | None = None) -> bytes:
    """Render a Django template to PDF bytes. Relative URLs resolve against
    `base_url` (default: the project's static source directory)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    base = base_url or (Path(settings.BASE_DIR) / "grassroots" / "static").as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=_url_fetcher())
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return pdf


def pdf_response(
    *,
    filename: str,
    template_name: str,
    context: dict[str, Any],
    base_url: str | None = None,
    inline: bool = True,
    watermark: str = "",
) -> HttpResponse:
    """A PDF download; with `watermark` (an exported list with personal
    data, ADR 0060) the text runs diagonally across every page and in the
    footer (`documents/base_a4.html`)."""
    if watermark:
        context = {**context, "export_watermark": watermark}
    response = HttpResponse(
        render_pdf(template_name=template_name, context=context, base_url=base_url),
        content_type=PDF_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


# --- QR codes -----------------------------------------------------------------


def _qr(data: str) -> segno.QRCode:
    # micro=False: Micro QR symbols are not read by common phone scanners.
    return segno.make(data, error=QR_ERROR_LEVEL, micro=False)


def qr_svg(data: str, *, scale: int = 4) -> str:
    """Inline SVG markup of a QR code (4-module quiet zone), for templates
    (``{{ qr|safe }}``) and PDFs. One module is `scale` user units."""
    return _qr(data).svg_inline(scale=scale, svgclass="qr", lineclass=None, title=None)


def qr_png_data_uri(data: str, *, scale: int = 4) -> str:
    """A ``data:image/png;base64,…`` URI of a QR code, for ``<img src>``
    (the CSP allows data: images)."""
    return _qr(data).png_data_uri(scale=scale)


# --- Excel ------------------------------------------------------------------------

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str) -> str:
    return (_SHEET_TITLE_FORBIDDEN.sub("_", title).strip("'") or "Sheet1")[:31]


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK glyphs are two columns wide


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write local (Asia/Shanghai) wall time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        value = str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _text_cell(ws: Any, value: Any) -> Any:
    cell: Any = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would write "=…" as a formula: user data must stay text.
        cell.data_type = "s"
    return cell


def _row(ws: Any, values: Sequence[Any]) -> list[Any]:
    row = []
    for raw in values:
        value = _cell_value(raw)
        row.append(_text_cell(ws, value) if isinstance(value, str) and value.startswith("=") else value)
    return row


def export_watermark(user: Any, *, number: str = "", when: datetime.datetime | None = None) -> str:
    """The text every export carries (GB/T 35273 §7.1): who, when and, for an
    approved export, the request number."""
    moment = timezone.localtime(when or timezone.now())
    name = getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", "") or "系统"
    username = getattr(user, "username", "")
    who = f"{name}({username})" if username and username != name else name
    text = f"导出人:{who} 导出时间:{moment:%Y-%m-%d %H:%M:%S}"
    return f"{text} 审批单号:{number}" if number else text


def excel_bytes(
    *,
    sheet_title: str,
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    watermark: str,
    watermark_row: bool = False,
) -> tuple[bytes, int]:
    """An .xlsx of `rows` under a bold, frozen header row, and its row count.

    The `watermark` goes into the printed header and footer of every page and
    the document properties; with `watermark_row` also as the sheet's last
    row (approved exports, ADR 0060). Rows are streamed through openpyxl's
    write-only mode, so a large export does not build a workbook in memory."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = watermark
    workbook.properties.lastModifiedBy = watermark
    workbook.properties.description = watermark
    workbook.properties.keywords = "watermark"
    sheet: Any = workbook.create_sheet(title=_sheet_title(sheet_title))
    mark = watermark.replace("&", "&&")
    sheet.oddHeader.center.text = mark
    sheet.oddFooter.center.text = f"{mark} 第 &P 页"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(_display_width(str(header)) + 4, 10), 60)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center")
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, _cell_value(header))
        cell.font = bold
        cell.alignment = centred
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    try:
        for row in rows:
            sheet.append(_row(sheet, row))
            count += 1
    except BaseException:
        # Finish and delete the half-written sheet's temporary file now
        # rather than at interpreter exit; then let the error through.
        with contextlib.suppress(Exception):
            sheet.close()
            sheet._writer.cleanup()
        raise
    if watermark_row:
        sheet.append([_text_cell(sheet, f"水印 {watermark}")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


# The export gate (ADR 0060) lives above core: it installs a guard here that
# every `excel_response` consults, so that no page's export of more rows than
# the configured limit leaves without approval. The guard answers the 需审批
# page (or None to let the file go); a request carrying `export_approval` (an
# approved request replayed for its requester) passes with its number.
ExportGuard = Callable[..., "HttpResponse | None"]
_GUARDS: list[ExportGuard] = []


def install_export_guard(guard: ExportGuard) -> None:
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def excel_response(
    *,
    filename: str,
    sheet_title: str,
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    user: Any,
    request: HttpRequest | None = None,
    object_type: str = "",
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """An .xlsx download of `rows` (see `excel_bytes`, watermarked with the
    user and the time) and an audit entry (`data.export`) with the row count
    and file name.

    Callers pass values already masked for the user (``138****5678``); this
    function writes what it is given. The audit entry is written in the
    caller's transaction (see `audit`).
    """
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    approval = getattr(request, "export_approval", None)
    number = str(getattr(approval, "number", "")) if approval is not None else ""
    content, count = excel_bytes(
        sheet_title=sheet_title,
        headers=headers,
        rows=rows,
        watermark=export_watermark(user, number=number),
        watermark_row=bool(number),
    )
    if approval is None and request is not None:
        for guard in _GUARDS:
            refused = guard(request=request, user=user, rows=count, filename=filename)
            if refused is not None:
                return refused
    audit_record(
        action=Action.EXPORT,
        actor=user,
        request=request,
        object_type=object_type,
        detail={"rows": count, "filename": filename, **(detail or {}), **({"number": number} if number else {})},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
