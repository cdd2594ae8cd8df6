"""Photos in an outbox item: base64 JPEG, compressed on the phone. Each is
decoded, checked with Pillow (a real JPEG, within the size and edge limits)
and handed to the owning app's attachment mechanism as an upload. The time
and position the phone recorded travel with it (kept in the sync item)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image, UnidentifiedImageError

from ..errors import FieldError


@dataclass(frozen=True)
class Photo:
    data: bytes
    sha256: str
    taken_at: str | None
    lat: float | None
    lng: float | None

    def upload(self, name: str) -> UploadedFile:
        return SimpleUploadedFile(f"{name}.jpg", self.data, content_type="image/jpeg")

    def meta(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "size": len(self.data),
            "taken_at": self.taken_at,
            "lat": self.lat,
            "lng": self.lng,
        }


def _refuse(field: str, message: str) -> FieldError:
    return FieldError("photo_invalid", message, field=field)


def photo_decode(value: dict[str, Any], *, field: str, number: int) -> Photo:
    """One validated PHOTO (the serializer checked its shape) → its bytes."""
    limit = settings.FIELD_PHOTO_MAX_BYTES
    text = value["data"]
    # base64 inflates by 4/3: refuse before decoding a text far over the limit.
    if len(text) > limit * 4 // 3 + 8:
        raise _refuse(field, f"第 {number} 张照片超过 {limit // 1000} KB,请压缩后重试。")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _refuse(field, f"第 {number} 张照片的数据无法解码。") from exc
    if len(data) > limit:
        raise _refuse(field, f"第 {number} 张照片超过 {limit // 1000} KB,请压缩后重试。")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(field, f"第 {number} 张照片不是有效的 JPEG 图片。") from exc
    if kind != "JPEG":
        raise _refuse(field, f"第 {number} 张照片不是 JPEG 图片。")
    edge = settings.FIELD_PHOTO_MAX_EDGE
    if max(size) > edge:
        raise _refuse(field, f"第 {number} 张照片的边长超过 {edge} 像素,请压缩后重试。")
    return Photo(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        taken_at=value.get("taken_at"),
        lat=value.get("lat"),
        lng=value.get("lng"),
    )


def photos_decode(values: list[dict[str, Any]], *, field: str) -> list[Photo]:
    limit = settings.FIELD_PHOTOS_PER_ITEM
    if len(values) > limit:
        raise _refuse(field, f"每条记录最多 {limit} 张照片。")
    return [photo_decode(value, field=field, number=n) for n, value in enumerate(values, start=1)]


def slim(value: Any) -> Any:
    """`value` with each photo's data replaced by its hash, size and metadata:
    what the sync item keeps once the photos are stored by the owning app."""
    if isinstance(value, dict):
        if isinstance(value.get("data"), str) and set(value) <= {"data", "taken_at", "lat", "lng"}:
            data = value["data"].encode()
            return {
                "sha256_b64": hashlib.sha256(data).hexdigest(),
                "taken_at": value.get("taken_at"),
                "lat": value.get("lat"),
                "lng": value.get("lng"),
            }
        return {key: slim(item) for key, item in value.items()}
    if isinstance(value, list):
        return [slim(item) for item in value]
    return value
