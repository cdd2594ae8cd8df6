"""Writing Open311 answers as JSON or XML (UTF-8, the spec's element names)
and errors in the Open311 error format."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET  # building only; nothing here parses input

from django.http import HttpResponse

FORMATS = ("json", "xml")
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# Element names of a list's items, by the name of the list element.
_ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


class Open311Error(Exception):
    """An answer in the Open311 error format with this HTTP status."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        item_name = _ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, root, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, data: Any, *, xml_root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(xml_root, data), content_type=XML_TYPE, status=status)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode("utf-8"), content_type=JSON_TYPE, status=status)


def error_response(fmt: str, status: int, description: str) -> HttpResponse:
    """``[{"code": 404, "description": "…"}]`` or ``<errors><error>…``; an
    unknown format answers in JSON."""
    fmt = fmt if fmt in FORMATS else "json"
    return respond(fmt, [{"code": status, "description": description}], xml_root="errors", status=status)
