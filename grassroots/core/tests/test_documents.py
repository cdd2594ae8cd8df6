"""Documents: PDF with CJK fonts, QR codes, audited Excel exports."""

from __future__ import annotations

import base64
import datetime
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import unquote

import pytest
import segno
from django.conf import settings
from django.test import RequestFactory, override_settings
from openpyxl import load_workbook
from PIL import Image

from grassroots.core import documents
from grassroots.core.models import AuditEntry

NOTICE_TEMPLATE = """{% extends "documents/base_a4.html" %}
{% block content %}
<div class="qr-box">{{ qr|safe }}</div>
<p>{{ body }}</p>
<table><thead><tr><th>姓名</th><th>电话</th></tr></thead>
<tbody>{% for name, phone in rows %}<tr><td>{{ name }}</td><td>{{ phone }}</td></tr>{% endfor %}</tbody></table>
{% endblock %}
{% block signature %}<div class="signature"><p>湖田街道办事处</p></div>{% endblock %}
"""

LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [settings.BASE_DIR / "grassroots" / "templates"],
        "OPTIONS": {
            "loaders": [
                ("django.template.loaders.locmem.Loader", {"tests/notice.html": NOTICE_TEMPLATE}),
                "django.template.loaders.filesystem.Loader",
            ]
        },
    }
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (Debian poppler-utils) is needed by the PDF tests; ./run setup installs it"
    return path


def _pdf_to_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run([_tool("pdftotext"), str(path), "-"], check=True, capture_output=True, text=True).stdout


def _pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run([_tool("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout


# --- PDF --------------------------------------------------------------------------


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_render_pdf_embeds_cjk_fonts_and_keeps_the_chinese_text(tmp_path):
    body = "定于2026年3月6日下午三点在西张村党群服务中心召开协商议事会。"
    pdf = documents.render_pdf(
        template_name="tests/notice.html",
        context={
            "title": "关于召开协商议事会的通知",
            "org_name": "湖田街道办事处",
            "doc_number": "湖街字〔2026〕3号",
            "body": body,
            "qr": documents.qr_svg("https://example.org/m/ABC123", scale=2),
            "rows": [("张三", "138****5678"), ("李四", "139****0001")],
        },
    )
    assert pdf.startswith(b"%PDF-")
    fonts = _pdf_fonts(pdf, tmp_path)
    embedded = [line for line in fonts.splitlines() if re.search(r"Noto.?(Serif|Sans).?CJK.?SC", line)]
    assert any("Serif" in line for line in embedded), fonts
    assert any("Sans" in line for line in embedded), fonts
    assert all(line.split()[-5] == "yes" for line in embedded), fonts  # the "emb" column
    text = re.sub(r"\s+", "", _pdf_to_text(pdf, tmp_path))
    assert body in text
    assert "关于召开协商议事会的通知" in text
    assert "湖街字〔2026〕3号" in text
    assert "张三138****5678" in text
    assert "第1页共1页" in text


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_render_pdf_escapes_context_values(tmp_path):
    pdf = documents.render_pdf(
        template_name="tests/notice.html",
        context={"title": "通知", "body": "<b>加粗</b>", "qr": "", "rows": []},
    )
    assert "<b>加粗</b>" in _pdf_to_text(pdf, tmp_path)


def test_pdf_response_names_the_file_in_utf8():
    with override_settings(TEMPLATES=LOCMEM_TEMPLATES):
        response = documents.pdf_response(
            filename="议事通知.pdf",
            template_name="tests/notice.html",
            context={"title": "通知", "body": "内容", "qr": "", "rows": []},
        )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "议事通知.pdf"


def test_the_url_fetcher_serves_static_and_data_urls_only():
    fetcher = documents._url_fetcher()
    css = fetcher.fetch("file:///static/css/app.css")
    try:
        assert css.read()  # found through the staticfiles finders
    finally:
        css.close()
    data = fetcher.fetch("data:text/plain;base64,5rmW55Sw")
    try:
        assert data.read().decode() == "湖田"
    finally:
        data.close()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/secret.png",
        "https://example.org/logo.png",
        "file:///static/../../etc/passwd",
    ):
        with pytest.raises(ValueError, match="不允许"):
            fetcher.fetch(url)


# --- QR codes ---------------------------------------------------------------------


def _expected_matrix(data: str) -> list[list[bool]]:
    qr = segno.make(data, error="m", micro=False)
    return [[bool(v) for v in row] for row in qr.matrix]


def _matrix_from_svg_path(d: str, size: int, border: int) -> list[list[bool]]:
    """Rebuild the module matrix from segno's path (M/m moves, h runs)."""
    matrix = [[False] * size for _ in range(size)]
    x = y = 0.0
    for op, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", d):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = float(a)
            row = int(y) - border
            for col in range(int(x) - border, int(x + run) - border):
                matrix[row][col] = True
            x += run
    return matrix


@pytest.mark.parametrize("data", ["A", "https://grassroots.example/track/HT-2026-000123", "湖田街道 议事会 第3号"])
def test_qr_svg_encodes_the_data(data):
    svg = documents.qr_svg(data, scale=3)
    root = ET.fromstring(svg)  # noqa: S314  (our own output)
    assert root.tag == "svg"
    assert root.get("class") == "qr"
    expected = _expected_matrix(data)
    size = len(expected)
    assert size >= 21  # a full QR symbol, never a Micro QR one
    assert root.get("width") == root.get("height") == str((size + 8) * 3)
    (path,) = root.iter("path")
    assert path.get("transform") == "scale(3)"
    assert _matrix_from_svg_path(path.get("d") or "", size, border=4) == expected


def test_qr_png_data_uri_encodes_the_data():
    data = "https://grassroots.example/track/HT-2026-000123"
    uri = documents.qr_png_data_uri(data, scale=5)
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(uri[len(prefix) :]))).convert("L")

    def dark(x: int, y: int) -> bool:
        value = image.getpixel((x, y))
        assert isinstance(value, int)
        return value < 128

    expected = _expected_matrix(data)
    size = len(expected)
    assert image.size == ((size + 8) * 5, (size + 8) * 5)
    decoded = [[dark((col + 4) * 5 + 2, (row + 4) * 5 + 2) for col in range(size)] for row in range(size)]
    assert decoded == expected
    # The quiet zone is white.
    assert not any(dark(i, 0) for i in range(image.size[0]))


# --- Content-Disposition ------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [
        ("居民名单.xlsx", "download.xlsx"),
        ("matters-2026.xlsx", "matters-2026.xlsx"),
        ('a"b\r\nc.pdf', "a_b__c.pdf"),
        ("西张村 residents.xlsx", "residents.xlsx"),
    ],
)
def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name(filename, fallback):
    value = documents.content_disposition(filename)
    assert "\r" not in value
    assert "\n" not in value
    assert f'filename="{fallback}"' in value
    encoded = value.split("filename*=UTF-8''")[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded)
    assert unquote(encoded) == re.sub(r'[\r\n"\\/]', "_", filename)


# --- Excel ------------------------------------------------------------------------


@pytest.mark.django_db
def test_excel_response_writes_the_rows_and_audits_the_export(make_user):
    user = make_user()
    request = RequestFactory().get("/regions/residents/export", REMOTE_ADDR="10.1.2.3")
    request.user = user
    when = datetime.datetime(2026, 3, 6, 7, 30, tzinfo=datetime.UTC)  # 15:30 in Shanghai

    def rows():
        yield ["张三", "138****5678", 76, when]
        yield ["李四", '=HYPERLINK("http://evil")', None, datetime.date(2026, 3, 1)]
        yield ["王五\x07", "139****0001", 3.5, "备注"]

    response = documents.excel_response(
        filename="西张村居民名单",
        sheet_title="居民/名单",
        headers=["姓名", "电话", "年龄", "登记时间"],
        rows=rows(),
        user=user,
        request=request,
        object_type="regions.Resident",
        detail={"filter": "西张村"},
    )

    assert response["Content-Type"] == documents.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "西张村居民名单.xlsx"

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["居民_名单"]
    sheet = workbook["居民_名单"]
    assert sheet.freeze_panes == "A2"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["姓名", "电话", "年龄", "登记时间"],
        ["张三", "138****5678", 76, datetime.datetime(2026, 3, 6, 15, 30)],
        ["李四", '=HYPERLINK("http://evil")', None, datetime.datetime(2026, 3, 1, 0, 0)],
        ["王五", "139****0001", 3.5, "备注"],
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet["B3"].data_type == "s"  # user text, never a formula

    entry = AuditEntry.objects.get()
    assert entry.action == "data.export"
    assert entry.actor == user
    assert entry.ip == "10.1.2.3"
    assert entry.object_type == "regions.Resident"
    assert entry.detail == {"rows": 3, "filename": "西张村居民名单.xlsx", "filter": "西张村"}


@pytest.mark.django_db
def test_an_empty_export_is_still_audited(make_user):
    user = make_user()
    response = documents.excel_response(
        filename="empty.xlsx", sheet_title="Sheet", headers=["编号"], rows=[], user=user
    )
    sheet: Any = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["编号"]]
    entry = AuditEntry.objects.get()
    assert entry.actor == user
    assert entry.detail == {"rows": 0, "filename": "empty.xlsx"}


@pytest.mark.django_db
def test_a_failing_row_source_records_no_export(make_user):
    user = make_user()

    def rows():
        yield ["1"]
        raise RuntimeError("query failed")

    with pytest.raises(RuntimeError):
        documents.excel_response(filename="x.xlsx", sheet_title="x", headers=["a"], rows=rows(), user=user)
    assert AuditEntry.objects.count() == 0
