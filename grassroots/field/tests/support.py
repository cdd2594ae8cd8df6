"""Shared helpers of the field tests: people of the small tree, JPEG photos,
items and the API calls."""

from __future__ import annotations

import base64
import io
import itertools
import random
import uuid
from typing import Any

from django.test import Client
from django.utils import timezone
from PIL import Image

SYNC = "/api/v1/field/sync"
SNAPSHOT = "/api/v1/field/snapshot"
ITEMS = "/api/v1/field/items"
_serial = itertools.count(1)


def jpeg(width: int = 64, height: int = 48, *, quality: int = 80, fmt: str = "JPEG", noise: bool = False) -> str:
    buffer = io.BytesIO()
    if noise:  # does not compress: a photo as large as its pixels
        image = Image.frombytes("RGB", (width, height), random.Random(width).randbytes(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (200, 120, 40))
    image.save(buffer, format=fmt, quality=quality)
    return base64.b64encode(buffer.getvalue()).decode()


def photo(data: str | None = None, **meta: Any) -> dict[str, Any]:
    return {"data": data or jpeg(), "taken_at": meta.get("taken_at"), "lat": meta.get("lat"), "lng": meta.get("lng")}


def new_key() -> str:
    return str(uuid.uuid4())


def item(item_type: str, body: dict[str, Any], *, key: str | None = None) -> dict[str, Any]:
    return {"key": key or new_key(), "type": item_type, "created_at": timezone.now().isoformat(), "body": body}


def matter_body(**fields: Any) -> dict[str, Any]:
    n = next(_serial)
    return {
        "title": fields.pop("title", f"楼道灯不亮 {n}"),
        "description": fields.pop("description", "三楼楼道的声控灯坏了一周,晚上看不见台阶。"),
        "category": None,
        "photos": [],
        **fields,
    }


def visit_body(household: int, *, matters: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "household": household,
        "visited_at": timezone.now().isoformat(),
        "notes": fields.pop("notes", "老人身体尚好,反映楼道照明问题。"),
        "matters": matters if matters is not None else [],
        **fields,
    }


def sync(client: Client, items: list[Any]) -> Any:
    return client.post(SYNC, {"items": items}, content_type="application/json")


def sync_one(client: Client, one: dict[str, Any]) -> dict[str, Any]:
    response = sync(client, [one])
    assert response.status_code == 200, response.content
    return response.json()["results"][0]


def resolve(client: Client, key: str, option: str) -> Any:
    return client.post(f"{ITEMS}/{key}/resolve", {"option": option}, content_type="application/json")
