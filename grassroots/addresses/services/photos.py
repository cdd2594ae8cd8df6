"""The site photo of an address: checked by content, not by its name.

A photo must be a JPEG, PNG or WebP image (its type by content, the shared
check of `core.files`) that Pillow can open and verify, no larger than
`MAX_PHOTO_BYTES`, and the type the browser declared (when it declared one)
must agree with what the bytes are. It is stored under a
random name; what the file was called on the phone is not kept."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from grassroots.core.files import sniff_upload

from ..errors import AddressError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _refuse(message: str) -> AddressError:
    return AddressError("photo_invalid", message, field="photo")


def photo_check(photo: UploadedFile | Any) -> str:
    """The file name to store `photo` under (random, with the extension of
    its real type), or an AddressError in Chinese."""
    size = getattr(photo, "size", None) or 0
    if size <= 0:
        raise _refuse("照片是空文件,请重新拍摄。")
    if size > MAX_PHOTO_BYTES:
        raise _refuse(f"照片不能超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB。")
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse("无法识别照片内容,请上传 JPG、PNG 或 WebP 格式的照片。") from exc
    finally:
        photo.seek(0)
    content_type = sniff_upload(photo) or ""
    extension = EXTENSIONS.get(content_type)
    if extension is None:
        raise _refuse("照片只能是 JPG、PNG 或 WebP 格式。")
    if width * height > MAX_PIXELS:
        raise _refuse("照片像素过大,请降低分辨率后重新上传。")
    declared = (getattr(photo, "content_type", "") or "").split(";")[0].strip().lower()
    if declared and declared not in (content_type, "image/jpg" if extension == "jpg" else content_type):
        raise _refuse("照片的文件类型与内容不符。")
    return f"{uuid.uuid4().hex}.{extension}"
