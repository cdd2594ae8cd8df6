"""Signed heads of the audit chain (ADR 0027).

The hash chain shows an edited, inserted or deleted row, but not a cut-off
tail: delete the newest rows and what is left is still a valid chain. A
*signed head* records, at some moment, the newest row's id and hash and the
number of rows up to it, with an HMAC-SM3 over them under
``GRASSROOTS_AUDIT_HEAD_KEY`` — a key the database does not hold, so someone
with only database access cannot forge one. Heads are appended as JSON lines
to ``GRASSROOTS_AUDIT_HEAD_FILE`` (outside the database) and written to the
log (``grassroots.audit.heads``), which is normally shipped off the server.

`audit_heads_check` (run by ``manage.py audit_verify``) then requires every
signed head to be still covered: the row with that id exists with that hash,
and at least that many rows exist up to it. Rows deleted after a head was
signed fail this check. Rows changed after the last head and before the next
are the window the signing interval leaves (15 minutes with celery beat).

Line format (keys sorted, no spaces)::

    {"count":12,"last_hash":"…","last_id":12,"mac":"…","signed_at":"2026-…Z","v":1}

``mac`` = HMAC-SM3(key, "grassroots-audit-head\\0" ‖ canonical JSON of the
other five fields), hex.
"""

from __future__ import annotations

import datetime
import hmac as std_hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .audit import GENESIS_HASH
from .models import AuditEntry

__all__ = [
    "AuditHeadError",
    "HeadCheck",
    "SignedHead",
    "audit_head_sign",
    "audit_heads_check",
    "head_key",
    "parse_head_line",
]

logger = logging.getLogger("grassroots.audit.heads")

FORMAT_VERSION = 1
_DOMAIN = b"grassroots-audit-head\x00"
_FIELDS = {"v", "last_id", "last_hash", "count", "signed_at", "mac"}
_LOOKUP_CHUNK = 500


class AuditHeadError(Exception):
    """A head that cannot be read or trusted, or a sign that must not happen."""


def head_key(value: str | None = None) -> bytes:
    """The signing key from settings: hex, at least 16 bytes."""
    raw = settings.AUDIT_HEAD_KEY if value is None else value
    try:
        key = bytes.fromhex(raw or "")
    except ValueError as exc:
        raise ImproperlyConfigured("GRASSROOTS_AUDIT_HEAD_KEY must be hexadecimal.") from exc
    if len(key) < 16:
        raise ImproperlyConfigured("GRASSROOTS_AUDIT_HEAD_KEY must be at least 32 hex characters (16 bytes).")
    return key


@dataclass(frozen=True)
class SignedHead:
    last_id: int
    last_hash: str
    count: int
    signed_at: str
    mac: str

    def payload(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "count": self.count,
            "signed_at": self.signed_at,
        }

    def line(self) -> str:
        return json.dumps({**self.payload(), "mac": self.mac}, sort_keys=True, separators=(",", ":"))


def _mac(payload: dict[str, Any], key: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(_DOMAIN + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("ascii"))
    return mac.finalize().hex()


def parse_head_line(line: str, *, key: bytes | None = None) -> SignedHead:
    """Parse one head line (from the file or copied from the log) and check
    its signature. Raises AuditHeadError with a Chinese reason."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise AuditHeadError("链头记录不是有效的 JSON。") from exc
    if not isinstance(data, dict) or set(data) != _FIELDS or data["v"] != FORMAT_VERSION:
        raise AuditHeadError("链头记录的格式不对。")
    last_id, count, last_hash, signed_at, mac = (
        data["last_id"],
        data["count"],
        data["last_hash"],
        data["signed_at"],
        data["mac"],
    )
    if not (
        type(last_id) is int
        and type(count) is int
        and last_id >= 0
        and count >= 0
        and isinstance(last_hash, str)
        and len(last_hash) == 64
        and isinstance(signed_at, str)
        and isinstance(mac, str)
    ):
        raise AuditHeadError("链头记录的字段不对。")
    head = SignedHead(last_id=last_id, last_hash=last_hash, count=count, signed_at=signed_at, mac=mac)
    expected = _mac(head.payload(), key if key is not None else head_key())
    if not std_hmac.compare_digest(expected, mac):
        raise AuditHeadError(f"链头记录(第 {last_id} 条,签于 {signed_at})的签名无效:不是用本系统的密钥签发的(伪造)。")
    return head


def _read_file(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.strip()]


def _append(path: Path, line: str) -> None:
    """One write with O_APPEND: concurrent signers cannot interleave a line;
    fsync so that a head the log reports is also on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


# --- Checking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadCheck:
    ok: bool
    heads: int
    newest: SignedHead | None
    reason: str


def _uncovered(heads: list[SignedHead], *, start_id: int | None) -> str | None:
    """The reason the first head not covered by the table is not, or None."""
    relevant = [h for h in heads if h.last_id > 0 and (start_id is None or h.last_id >= start_id)]
    wanted = sorted({h.last_id for h in relevant})
    present: dict[int, str] = {}
    for i in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[i : i + _LOOKUP_CHUNK]
        present.update(AuditEntry.objects.filter(id__in=chunk).values_list("id", "hash"))
    for head in sorted(relevant, key=lambda h: h.last_id, reverse=True):
        found = present.get(head.last_id)
        if found is None:
            return (
                f"签名链头(签于 {head.signed_at})记录的第 {head.last_id} 条审计记录已不存在:"
                "日志末尾被截断(最新的记录被删除)。"
            )
        if found != head.last_hash:
            return (
                f"第 {head.last_id} 条审计记录的哈希与签名链头(签于 {head.signed_at})不符:该记录之后的日志被整体改写。"
            )
    newest = max(relevant, key=lambda h: (h.last_id, h.count), default=None)
    if newest is not None and start_id is None:
        count = AuditEntry.objects.filter(id__lte=newest.last_id).count()
        if count < newest.count:
            return f"签名链头(签于 {newest.signed_at})时共有 {newest.count} 条记录,现在只剩 {count} 条:有记录被删除。"
    return None


def audit_heads_check(
    *, path: Path | None = None, extra_lines: Iterable[str] = (), start_id: int | None = None
) -> HeadCheck:
    """Check every head in the head file (and `extra_lines`, heads copied from
    the log) against the audit table. Does not recompute the chain: run
    `audit_verify` too (the command runs both)."""
    key = head_key()
    lines = [*_read_file(path or Path(settings.AUDIT_HEAD_FILE)), *extra_lines]
    heads: list[SignedHead] = []
    for number, line in enumerate(lines, start=1):
        try:
            heads.append(parse_head_line(line, key=key))
        except AuditHeadError as exc:
            return HeadCheck(False, len(heads), None, f"第 {number} 行链头记录无法采信:{exc}")
    if not heads:
        return HeadCheck(True, 0, None, "尚无签名链头:无法发现日志末尾被截断。请确认 celery beat 在运行。")
    newest = max(heads, key=lambda h: (h.last_id, h.count))
    reason = _uncovered(heads, start_id=start_id)
    if reason is not None:
        return HeadCheck(False, len(heads), newest, reason)
    return HeadCheck(
        True,
        len(heads),
        newest,
        f"签名链头完好:{len(heads)} 个链头均在日志中,最新一个签于 {newest.signed_at}(第 {newest.last_id} 条)。",
    )


# --- Signing ------------------------------------------------------------------------------


def audit_head_sign(*, path: Path | None = None, now: datetime.datetime | None = None) -> SignedHead:
    """Sign the current head, append it to the head file and log it.

    Refuses (AuditHeadError) while an earlier head is no longer covered:
    signing the cut-off chain would make the truncation look legitimate.
    """
    key = head_key()
    path = path or Path(settings.AUDIT_HEAD_FILE)
    check = audit_heads_check(path=path)
    if not check.ok:
        logger.error("audit head not signed: %s", check.reason)
        raise AuditHeadError(f"未签名新的链头:{check.reason}")
    newest = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    last_id, last_hash = newest if newest is not None else (0, GENESIS_HASH)
    count = AuditEntry.objects.filter(id__lte=last_id).count()
    signed_at = (now or timezone.now()).astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    unsigned = SignedHead(last_id=last_id, last_hash=last_hash, count=count, signed_at=signed_at, mac="")
    head = SignedHead(**{**unsigned.__dict__, "mac": _mac(unsigned.payload(), key)})
    _append(path, head.line())
    logger.info("audit head %s", head.line())
    return head
