"""The one photo check of the app (民生实事 projects and activities): the
file is read by content (core.files), must be a photo, and gets a random
name so nothing the uploader typed reaches the storage path."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile

from grassroots.core.files import CheckedFile, FileRejected, check_files

from ..errors import LivelihoodError

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
MAX_CAPTION = 100


def clean_caption(caption: str) -> str:
    caption = (caption or "").strip()
    if len(caption) > MAX_CAPTION:
        raise LivelihoodError("caption_too_long", "照片说明不能超过 100 个字。", field="caption")
    return caption


def checked_photo(photo: UploadedFile) -> CheckedFile:
    try:
        checked = check_files([photo])
    except FileRejected as exc:
        raise LivelihoodError(exc.code, exc.message, field="photo") from exc
    if not checked:
        raise LivelihoodError("photo_required", "请选择照片。", field="photo")
    item = checked[0]
    if item.content_type not in PHOTO_TYPES:
        raise LivelihoodError("photo_type", f"“{item.name}”不是照片(支持 JPG、PNG、WebP、HEIC)。", field="photo")
    item.content.name = f"{uuid.uuid4().hex}.{PHOTO_TYPES[item.content_type]}"
    return item
