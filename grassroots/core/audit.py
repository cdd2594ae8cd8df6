"""The append-only, hash-chained audit log.

`audit_record` is the only writer of `AuditEntry`; `audit_verify` recomputes
the chain. Each entry's hash covers its content and the previous entry's hash:

    hash = sha256(canonical_json(content) || prev_hash)

where `content` is ``{created_at, actor_id, actor_username, ip, action,
object_type, object_id, result, detail}``; canonical JSON has sorted keys, no
spaces, ``ensure_ascii=False``, UTF-8. `created_at` is ISO 8601 in UTC with
microseconds; `ip` is written in a form that does not depend on the database or
the Python version (see `_canonical_ip`). The first entry's `prev_hash` is 64
zeros. Editing a row breaks its own hash; deleting or inserting a row breaks
the next row's link. Truncating the tail, or rewriting everything after some
point, is only visible against a head hash recorded elsewhere: that is what the
`anchor_hash` argument of `audit_verify` (``--anchor`` of the command) checks.

Transactions: `audit_record` writes inside the caller's transaction, so a
state change and its audit row commit or roll back together (a rolled-back
change did not happen, and neither did its audit row). Entries that must
survive a failing request (logins, failed logins, lockouts, denials) are
recorded outside any atomic block; the project has no ATOMIC_REQUESTS, so a
view is in autocommit unless it opens a block itself. Such callers pass
``durable=True``, which makes Django raise if they are accidentally nested in
a transaction that could still roll the entry back.

The chain is strictly linear, so an appender holds the chain until its
transaction ends and other appenders wait for it. Inside a transaction,
record the entry as the last step, just before the block closes.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clientip import client_ip
from .models import AuditEntry
from .request_context import current_request_context

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "ACTION_LABELS",
    "GENESIS_HASH",
    "Action",
    "VerifyResult",
    "audit_record",
    "audit_verify",
    "entry_hash",
]

GENESIS_HASH = "0" * 64
MAX_APPEND_ATTEMPTS = 5
# Arbitrary, fixed key of the PostgreSQL advisory lock that serialises appends.
CHAIN_LOCK_KEY = 0x6772_6173_7372_7401

_USERNAME_MAX = AuditEntry._meta.get_field("actor_username").max_length or 150
_OBJECT_TYPE_MAX = AuditEntry._meta.get_field("object_type").max_length or 100
_OBJECT_ID_MAX = AuditEntry._meta.get_field("object_id").max_length or 64
_ACTION_MAX = AuditEntry._meta.get_field("action").max_length or 64


class Action:
    """Action names used across the platform. Apps may add their own
    ``<app>.<verb>`` names; `label` falls back to the raw name."""

    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGOUT = "auth.logout"
    LOCKOUT = "auth.lockout"
    DENIED = "access.denied"
    REVEAL = "data.reveal"
    EXPORT = "data.export"
    STATE_CHANGE = "state.change"
    CREATE = "data.create"
    UPDATE = "data.update"

    LABELS: dict[str, Any] = {
        LOGIN: _("登录"),
        LOGIN_FAILED: _("登录失败"),
        LOGOUT: _("退出登录"),
        LOCKOUT: _("账户锁定"),
        DENIED: _("拒绝访问"),
        REVEAL: _("查看完整个人信息"),
        EXPORT: _("导出数据"),
        STATE_CHANGE: _("状态变更"),
        CREATE: _("新建数据"),
        UPDATE: _("修改数据"),
    }

    @classmethod
    def label(cls, action: str) -> str:
        return str(cls.LABELS.get(action, action))

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in cls.LABELS.items()]


# Display labels keyed by action name (kept as a module name for pages and the API).
ACTION_LABELS: dict[str, Any] = Action.LABELS


# --- Canonical form and hashing ---------------------------------------------


def _canonical_time(value: datetime.datetime) -> str:
    if timezone.is_naive(value):
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None  # zone ids are link-local noise; the database cannot store them
    return address


def _canonical_ip(value: str | None) -> str | None:
    """IPv4 as dotted quad, IPv6 fully expanded from its 16 bytes. Databases
    and Python versions print IPv6 (notably IPv4-mapped) addresses differently;
    the bytes do not change."""
    if value is None or value == "":
        return None
    address = _parse_ip(value)
    if address is None:
        return f"invalid:{value}"  # only a tampered row can hold this; its hash will not match
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    packed = address.packed
    return ":".join(packed[i : i + 2].hex() for i in range(0, 16, 2))


def _canonical_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def entry_hash(
    *,
    created_at: datetime.datetime,
    actor_id: Any,
    actor_username: str,
    ip: str | None,
    action: str,
    object_type: str,
    object_id: str,
    result: str,
    detail: Any,
    prev_hash: str,
) -> str:
    content = {
        "created_at": _canonical_time(created_at),
        "actor_id": actor_id,
        "actor_username": actor_username,
        "ip": _canonical_ip(ip),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "result": result,
        "detail": detail,
    }
    return hashlib.sha256(_canonical_json(content) + prev_hash.encode("ascii")).hexdigest()


def _hash_of_entry(entry: AuditEntry) -> str:
    return entry_hash(
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        ip=entry.ip,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        result=entry.result,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
    )


# --- Writing ------------------------------------------------------------------


def _lock_chain() -> None:
    """Serialise appenders on PostgreSQL with a transaction-scoped advisory
    lock, so that they queue instead of racing for the same head and
    exhausting their retries under load. It is held until the caller's
    transaction ends, which is no longer than an appender extending the head
    would wait anyway (on the unique index). SQLite needs nothing: the block
    starts with BEGIN IMMEDIATE, which already takes the database write lock."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _head_hash() -> str:
    """Hash of the newest entry. Chain order is id order: an entry can only
    link to a committed one, which was inserted (and numbered) before it."""
    head = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    return head or GENESIS_HASH


def _clean_text(value: str) -> str:
    """PostgreSQL refuses NUL in text and JSON, and nothing can encode a lone
    surrogate; hostile input (a typed username) must not stop the entry."""
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list):
        return [_clean_json(item) for item in value]
    if isinstance(value, dict):
        return {_clean_text(key): _clean_json(item) for key, item in value.items()}
    return value


def _normalise_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip through JSON so that what is hashed is exactly what the
    # database gives back (dates, decimals and lazy strings become strings;
    # non-string keys become strings).
    if not detail:
        return {}
    normalised = _clean_json(json.loads(json.dumps(detail, cls=DjangoJSONEncoder, allow_nan=False)))
    if not isinstance(normalised, dict):
        raise TypeError("audit detail must be a dict")
    return normalised


def audit_record(
    *,
    action: str,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    result: str = AuditEntry.Result.SUCCESS,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    attempted_username: str | None = None,
    durable: bool = False,
) -> AuditEntry:
    """Append one entry to the audit chain and return it.

    The actor defaults to ``request.user`` (anonymous → no actor); the IP to
    the request's client address (`core.clientip.client_ip`: the socket peer,
    or ``X-Forwarded-For`` only behind a trusted proxy, ADR 0026). A caller
    that passes no request (a service) gets the address and the request id of
    the request being served, from the request context (ADR 0027); the
    request id goes into ``detail["request_id"]``. ``obj`` fills ``object_type`` (the model label)
    and ``object_id``. ``attempted_username`` keeps the name typed at a failed
    login, in ``detail``. With ``durable=True`` the entry is committed at once
    and calling it inside a transaction is an error (see the module docstring).
    """
    if not action or len(action) > _ACTION_MAX or _clean_text(action) != action:
        raise ValueError(f"audit action must be 1–{_ACTION_MAX} characters")
    if result not in AuditEntry.Result.values:
        raise ValueError(f"unknown audit result: {result!r}")
    if obj is not None:
        if object_type or object_id != "":
            raise TypeError("pass either obj= or object_type=/object_id=, not both")
        object_type = obj._meta.label
        object_id = "" if obj.pk is None else str(obj.pk)

    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # AnonymousUser
    actor_id = actor.pk if actor is not None else None
    actor_username = actor.get_username()[:_USERNAME_MAX] if actor is not None else ""

    entry_detail = _normalise_detail(detail)
    if attempted_username:
        entry_detail["attempted_username"] = _clean_text(str(attempted_username))[:_USERNAME_MAX]

    context = current_request_context()
    if context is not None:
        entry_detail.setdefault("request_id", context.request_id)
    if ip is None and request is not None:
        ip = client_ip(request)
    elif ip is None and context is not None:
        ip = context.ip
    stored_ip: str | None = None
    if ip:
        address = _parse_ip(str(ip))
        if address is None:
            entry_detail["invalid_ip"] = _clean_text(str(ip))[:100]
        else:
            stored_ip = str(address)

    fields: dict[str, Any] = {
        "actor_id": actor_id,
        "actor_username": _clean_text(actor_username),
        "ip": stored_ip,
        "action": action,
        "object_type": _clean_text(str(object_type))[:_OBJECT_TYPE_MAX],
        "object_id": _clean_text(str(object_id))[:_OBJECT_ID_MAX],
        "result": str(result),
        "detail": entry_detail,
    }

    last_error: IntegrityError | None = None
    for _attempt in range(MAX_APPEND_ATTEMPTS):
        try:
            # The savepoint keeps a lost race from poisoning the caller's
            # transaction. The head is read inside it, after the chain lock.
            with transaction.atomic(durable=durable):
                _lock_chain()
                prev_hash = _head_hash()
                created_at = timezone.now()
                digest = entry_hash(created_at=created_at, prev_hash=prev_hash, **fields)
                return AuditEntry.objects.create(created_at=created_at, prev_hash=prev_hash, hash=digest, **fields)
        except IntegrityError as exc:
            # Another writer extended the same head (prev_hash is unique): one
            # that did not take the lock, or a second process on SQLite whose
            # transaction began before ours. Re-read the head and try again.
            last_error = exc
    raise RuntimeError(f"could not append to the audit chain after {MAX_APPEND_ATTEMPTS} attempts") from last_error


# --- Verifying ----------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None
    reason: str
    head_hash: str


def audit_verify(
    *, start_id: int | None = None, anchor_hash: str | None = None, chunk_size: int = 2000
) -> VerifyResult:
    """Recompute the chain in id order, streaming (memory stays flat).

    With ``start_id`` the check starts at that entry and links it to the
    entry before it; if there is none (older entries purged after the
    retention period) its ``prev_hash`` is taken as the trusted starting point.
    With ``anchor_hash`` (a head hash recorded earlier, e.g. in a daily report
    kept elsewhere) the check also fails if no checked entry has that hash,
    which reveals a truncated or rewritten tail.
    """
    entries = AuditEntry.objects.order_by("id")
    expected_prev: str | None = GENESIS_HASH
    prev_id: int | None = None
    if start_id is not None:
        entries = entries.filter(id__gte=start_id)
        before = AuditEntry.objects.filter(id__lt=start_id).order_by("-id").values_list("id", "hash").first()
        if before is None:
            expected_prev = None  # accept the first entry's prev_hash as the anchor
        else:
            prev_id, expected_prev = before

    checked = 0
    head = expected_prev or GENESIS_HASH
    anchor_seen = anchor_hash is None
    for entry in entries.iterator(chunk_size=chunk_size):
        if expected_prev is not None and entry.prev_hash != expected_prev:
            if prev_id is None:
                reason = f"第 {entry.pk} 条记录是链中第一条,但前序哈希不是初始值(之前的记录被删除,或此条为伪造)"
            else:
                reason = f"第 {entry.pk} 条记录的前序哈希与第 {prev_id} 条不衔接(有记录被删除或插入)"
            return VerifyResult(False, checked, entry.pk, reason, head)
        if _hash_of_entry(entry) != entry.hash:
            return VerifyResult(False, checked, entry.pk, f"第 {entry.pk} 条记录的哈希与内容不符(记录被修改)", head)
        checked += 1
        head = entry.hash
        expected_prev = entry.hash
        prev_id = entry.pk
        if not anchor_seen and entry.hash == anchor_hash:
            anchor_seen = True

    if not anchor_seen:
        return VerifyResult(
            False,
            checked,
            None,
            f"此前记录的链头哈希 {anchor_hash} 已不在链中(日志末尾被截断或被整体改写)",
            head,
        )
    return VerifyResult(True, checked, None, f"审计日志完整:共核验 {checked} 条记录。", head)
