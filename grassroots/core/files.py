"""Uploaded-file checks every app shares: photos and PDFs only, by content
(magic bytes), not by the name or the browser's claim; size limited; sha256
computed. A rejected file raises `FileRejected` (a DomainError on the field
"attachments"); an app that has its own error class converts it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from .errors import DomainError


class FileRejected(DomainError):
    """One of the files is not acceptable; nothing was stored."""


MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"%PDF-", "application/pdf", ".pdf"),
]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    content: ContentFile[bytes]


def _sniff(head: bytes) -> str | None:
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    # WebP and HEIC (phone cameras): RIFF....WEBP / ....ftypheic
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"heif"}:
        return "image/heic"
    return None


def check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    """Validate all files first so that one bad file rejects the whole
    submission and nothing is stored."""
    if len(files) > MAX_FILES:
        raise FileRejected("too_many_files", f"附件最多 {MAX_FILES} 个。", field="attachments")
    checked = []
    for upload in files:
        name = (upload.name or "附件")[-200:]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise FileRejected("file_too_large", f"“{name}”超过 10 MB,请压缩后再上传。", field="attachments")
        # Read from the start: a caller (or an earlier check) may have read it.
        upload.seek(0)
        data = upload.read()
        if len(data) > MAX_BYTES:
            raise FileRejected("file_too_large", f"“{name}”超过 10 MB,请压缩后再上传。", field="attachments")
        if not data:
            raise FileRejected("file_empty", f"“{name}”是空文件。", field="attachments")
        content_type = _sniff(data[:16])
        if content_type is None:
            raise FileRejected(
                "file_type", f"“{name}”不是照片或 PDF 文件(支持 JPG、PNG、GIF、WebP、HEIC、PDF)。", field="attachments"
            )
        checked.append(
            CheckedFile(
                name=name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                content=ContentFile(data, name=name),
            )
        )
    return checked


def sniff_upload(upload: UploadedFile) -> str | None:
    """The content type of one upload by its first bytes (`None`: neither a
    photo nor a PDF), read from the start and rewound for the next reader."""
    upload.seek(0)
    try:
        return _sniff(upload.read(16))
    finally:
        upload.seek(0)
