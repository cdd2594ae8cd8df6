"""The sync of a phone's outbox (ADR 0054). Each item runs in its own
transaction and is answered on its own: one bad item never rejects the
others. Idempotency is the unique (worker, key) pair of `SyncItem`: the row
is inserted in the same transaction as the record it stands for, so a retry
after a network drop finds it ("duplicate", the first record), and two
concurrent deliveries of one key race on the constraint: the loser's insert
fails (on PostgreSQL it waits for the winner's commit) and it answers the
winner's row. The same key with another body is refused."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.errors import PermissionDenied as DomainPermissionDenied

from ..errors import FieldConflict, FieldError, SyncConflict
from ..models import SyncItem
from ..permissions import require_field_app
from ..states import DISCARDING, OPTIONS, Option, Reason, Status
from . import matters, places  # noqa: F401  (their handlers register themselves)
from .bodies import BodyInvalid, ItemSerializer, body_valid, flatten
from .photos import slim
from .registry import HANDLERS, Context, Record

MAX_ITEMS = 50
KEY_REUSED_MESSAGE = "该同步编号已用于另一条记录,本条未保存。请修改后重新提交(将使用新的编号)。"


@dataclass
class Result:
    key: str
    status: str
    record: Record | None = None
    reason: str | None = None
    message: str | None = None
    options: list[dict[str, str]] | None = None
    errors: dict[str, list[str]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def fingerprint(item_type: str, body: Any) -> str:
    """SHA-256 of the canonical JSON of what was delivered (key order and
    spacing do not matter; values do)."""
    text = json.dumps({"type": item_type, "body": body}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def options_of(reason: str) -> list[dict[str, str]]:
    return [{"code": code, "label": str(Option(code).label)} for code in OPTIONS.get(reason, ())]


def result_of(item: SyncItem, *, replay: bool = False) -> Result:
    """The answer for a stored item; a replay of an accepted one is a "duplicate"."""
    record = None
    if item.record_id is not None:
        record = Record(type=item.record_type, id=item.record_id, label=item.record_label, url=item.record_url)
    status = Status.ACCEPTED.value if item.status == Status.ACCEPTED else item.status
    if replay and item.status == Status.ACCEPTED:
        status = "duplicate"
    return Result(
        key=item.key,
        status=status,
        record=record,
        reason=item.reason or None,
        message=item.message or None,
        options=options_of(item.reason) if item.status == Status.CONFLICT else None,
        errors=item.errors or None if item.status == Status.INVALID else None,
    )


def _apply(item: SyncItem, actor: User, body: Any, option: str | None) -> None:
    """Run the item's handler in a savepoint and write its outcome on `item`
    (not saved). A domain error rolls the handler's writes back."""
    try:
        with transaction.atomic():
            valid = body_valid(item.type, body)
            record = HANDLERS[item.type](Context(actor=actor, key=item.key, created_at=item.created_at), valid, option)
    except SyncConflict as conflict:
        item.status, item.reason = Status.CONFLICT, conflict.reason
        item.message = (conflict.message or str(Reason(conflict.reason).label))[:500]
        item.body = body  # kept whole (photos too) until the worker chooses
        return
    except BodyInvalid as exc:
        item.status, item.errors, item.message = Status.INVALID, exc.errors, exc.message[:500]
    except DomainPermissionDenied as exc:
        item.status, item.reason, item.message = Status.REFUSED, Reason.FORBIDDEN, exc.message[:500]
    except (Http404, NotFound):
        item.status, item.message = Status.INVALID, "所涉及的对象不存在,或不在您的辖区内。"
        item.errors = {"non_field_errors": [item.message]}
    except DomainError as exc:
        item.status, item.message = Status.INVALID, exc.message[:500]
        item.errors = {exc.field or "non_field_errors": [exc.message]}
    else:
        item.status = Status.ACCEPTED
        if record is not None:
            item.record_type, item.record_id = record.type, record.id
            item.record_label, item.record_url = record.label, record.url
    item.body = slim(body)


def _replayed(existing: SyncItem, print_: str) -> Result:
    if existing.fingerprint != print_:
        return Result(key=existing.key, status=Status.REFUSED, reason=Reason.KEY_REUSED, message=KEY_REUSED_MESSAGE)
    return result_of(existing, replay=True)


def item_sync(*, actor: User, raw: Any) -> Result:
    """One outbox item: validated, deduplicated by key, applied in its own transaction."""
    envelope = ItemSerializer(data=raw if isinstance(raw, dict) else {})
    if not envelope.is_valid():
        key = raw.get("key") if isinstance(raw, dict) else None
        errors = flatten(envelope.errors)
        return Result(
            key=str(key)[:64] if isinstance(key, str) else "",
            status=Status.INVALID,
            message=next(iter(errors.values()))[0],
            errors=errors,
        )
    key, item_type = envelope.validated_data["key"], envelope.validated_data["type"]
    body = raw["body"]
    print_ = fingerprint(item_type, body)
    existing = SyncItem.objects.filter(worker=actor, key=key).first()
    if existing is not None:
        return _replayed(existing, print_)
    item = SyncItem(
        worker=actor,
        node=actor.jurisdiction,
        key=key,
        type=item_type,
        fingerprint=print_,
        status=Status.ACCEPTED,
        created_at=envelope.validated_data["created_at"],
    )
    try:
        with transaction.atomic():
            # The key is claimed first: a concurrent delivery waits here, or fails.
            item.save()
            _apply(item, actor, body, None)
            item.save()
    except IntegrityError:
        existing = SyncItem.objects.filter(worker=actor, key=key).first()
        if existing is None:
            raise
        return _replayed(existing, print_)
    return result_of(item)


def items_sync(*, actor: User, items: list[Any]) -> list[Result]:
    """A phone's batch, at most MAX_ITEMS, each answered on its own."""
    require_field_app(actor)
    if actor.jurisdiction is None:
        raise DomainPermissionDenied("您的账号没有所属辖区,不能同步现场记录。")
    if len(items) > MAX_ITEMS:
        raise FieldError("too_many_items", f"每次最多同步 {MAX_ITEMS} 条记录,请分批同步。", field="items")
    return [item_sync(actor=actor, raw=raw) for raw in items]


def item_resolve(*, actor: User, key: str, option: str) -> Result:
    """The worker's choice for a conflict. The same choice again answers the
    same result; another choice after the first is refused (409)."""
    require_field_app(actor)
    item = SyncItem.objects.filter(worker=actor, key=key).first()
    if item is None:
        raise NotFound("未找到该同步记录。")
    if item.resolution:
        if item.resolution == option:
            return result_of(item)
        raise FieldConflict("already_resolved", f"该记录已按“{Option(item.resolution).label}”处理,不能再改为其他方式。")
    offered = OPTIONS.get(item.reason, ()) if item.status == Status.CONFLICT else ()
    if option not in offered:
        raise FieldError("option_invalid", "请选择所列的处理方式之一。", field="option")
    with transaction.atomic():
        record = None
        if option not in DISCARDING:
            try:
                with transaction.atomic():
                    valid = body_valid(item.type, item.body)
                    record = HANDLERS[item.type](
                        Context(actor=actor, key=item.key, created_at=item.created_at), valid, option
                    )
            except BodyInvalid as exc:
                raise FieldError("invalid", exc.message, field="option") from exc
        now = timezone.now()
        updates: dict[str, Any] = {
            "resolution": option,
            "resolved_at": now,
            "status": Status.DISCARDED if option in DISCARDING else Status.ACCEPTED,
            "body": slim(item.body),
        }
        if record is not None:
            updates.update(
                record_type=record.type, record_id=record.id, record_label=record.label, record_url=record.url
            )
        # Conditional on "not yet resolved": a concurrent choice loses here and its record rolls back.
        if not SyncItem.objects.filter(pk=item.pk, resolution="").update(**updates):
            raise FieldConflict("already_resolved", "该记录刚刚已被处理,请刷新。")
    item.refresh_from_db()
    return result_of(item)
