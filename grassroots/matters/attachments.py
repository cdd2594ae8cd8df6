"""Matters' attachment check: the shared file checks of `core/files.py`,
raising the matter's own error so that callers catching `MatterError` (the
visit form names the item) see it."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from grassroots.core import files as core_files
from grassroots.core.files import CheckedFile

from .errors import MatterError


def check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    try:
        return core_files.check_files(files)
    except core_files.FileRejected as exc:
        raise MatterError(exc.code, exc.message, field=exc.field) from exc
