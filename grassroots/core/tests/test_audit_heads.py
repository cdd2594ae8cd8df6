"""Signed audit heads catch a cut-off tail (ADR 0027)."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from grassroots.core.audit import GENESIS_HASH, Action, audit_record, audit_verify
from grassroots.core.audit_heads import (
    AuditHeadError,
    SignedHead,
    _mac,
    audit_head_sign,
    audit_heads_check,
    head_key,
    parse_head_line,
)
from grassroots.core.checks import audit_head_key_check
from grassroots.core.models import AuditEntry
from grassroots.core.tasks import sign_audit_head

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEntry]:
    return [audit_record(action=Action.UPDATE, object_type="regions.Resident", object_id=i) for i in range(n)]


def _delete_newest(count: int) -> None:
    # What someone with database access can do; the ORM refuses it.
    ids = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True)[:count])
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [pk])


def _verify(**options: Any) -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out, stderr=out, **options)
    return out.getvalue()


def _head_file() -> Path:
    return Path(settings.AUDIT_HEAD_FILE)


def _forge(key: bytes, **fields: Any) -> str:
    unsigned = SignedHead(mac="", **fields)
    return SignedHead(**{**unsigned.__dict__, "mac": _mac(unsigned.payload(), key)}).line()


def test_intact_chain_with_a_signed_head_passes():
    entries = _chain(3)
    head = audit_head_sign()

    assert (head.last_id, head.last_hash, head.count) == (entries[-1].pk, entries[-1].hash, 3)
    assert parse_head_line(_head_file().read_text().strip()) == head
    _chain(2)  # rows after the head are fine
    text = _verify()
    assert "审计日志完整:共核验 5 条记录" in text
    assert "签名链头完好" in text


def test_deleting_the_newest_rows_after_a_head_was_signed_fails():
    _chain(5)
    audit_head_sign()
    _delete_newest(2)
    assert audit_verify().ok  # the chain alone cannot see it

    with pytest.raises(CommandError) as excinfo:
        _verify()
    assert excinfo.value.returncode == 1
    assert "日志末尾被截断" in str(excinfo.value)


def test_a_truncated_chain_is_not_signed_over():
    _chain(4)
    audit_head_sign()
    _delete_newest(1)
    _chain(1)  # a new row hides the gap from the chain; the head still points at the deleted one

    with pytest.raises(AuditHeadError):
        audit_head_sign()
    assert sign_audit_head().startswith("未签名新的链头")
    assert len(_head_file().read_text().splitlines()) == 1
    with pytest.raises(CommandError, match="截断"):
        _verify(sign=True)


def test_fewer_rows_than_the_head_counted_fails():
    entries = _chain(3)
    line = _forge(
        head_key(), last_id=entries[-1].pk, last_hash=entries[-1].hash, count=4, signed_at="2026-05-01T00:00:00Z"
    )
    _head_file().write_text(line + "\n")

    with pytest.raises(CommandError, match="现在只剩 3 条"):
        _verify()


def test_a_forged_head_is_rejected():
    entries = _chain(3)
    audit_head_sign()
    forged = _forge(
        b"k" * 32, last_id=entries[0].pk, last_hash=entries[0].hash, count=1, signed_at="2026-05-01T00:00:00Z"
    )
    with _head_file().open("a") as handle:
        handle.write(forged + "\n")

    with pytest.raises(CommandError) as excinfo:
        _verify()
    assert excinfo.value.returncode == 1
    assert "第 2 行" in str(excinfo.value) and "伪造" in str(excinfo.value)


def test_a_tampered_head_line_is_rejected():
    _chain(2)
    head = audit_head_sign()
    data = json.loads(head.line())
    data["count"] = 1
    _head_file().write_text(json.dumps(data) + "\n")
    with pytest.raises(CommandError, match="伪造"):
        _verify()
    _head_file().write_text("{not json\n")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        _verify()


def test_a_head_copied_from_the_log_is_checked_too(tmp_path, caplog):
    _chain(3)
    with caplog.at_level(logging.INFO, logger="grassroots.audit.heads"):
        head = audit_head_sign()
    logged = [r.getMessage() for r in caplog.records if r.name == "grassroots.audit.heads"]
    assert logged == [f"audit head {head.line()}"]

    _head_file().unlink()  # the file is gone; the log copy still shows the cut
    _delete_newest(1)
    with pytest.raises(CommandError, match="截断"):
        _verify(head=[head.line()])
    with pytest.raises(CommandError, match="伪造"):
        _verify(head=[head.line().replace('"count":3', '"count":2')])


def test_no_head_yet_warns_but_passes_and_sign_writes_one():
    _chain(2)
    assert "尚无签名链头" in _verify()
    text = _verify(sign=True)
    assert "已签发新的链头" in text
    assert parse_head_line(_head_file().read_text().strip()).count == 2


def test_empty_chain_signs_the_genesis_head():
    head = audit_head_sign()
    assert (head.last_id, head.last_hash, head.count) == (0, GENESIS_HASH, 0)
    assert audit_heads_check().ok


def test_heads_before_the_start_id_are_not_required():
    entries = _chain(4)
    _head_file().write_text(
        _forge(head_key(), last_id=entries[0].pk, last_hash=entries[0].hash, count=1, signed_at="2026-05-01T00:00:00Z")
        + "\n"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entries[0].pk])  # purged after retention
    assert "签名链头完好" in _verify(start_id=entries[1].pk)
    assert not audit_heads_check().ok


def test_the_beat_task_signs_and_is_scheduled():
    _chain(1)
    line = sign_audit_head()
    assert parse_head_line(line).count == 1
    schedule = settings.CELERY_BEAT_SCHEDULE["core-audit-sign-head"]
    assert schedule["task"] == "grassroots.core.tasks.sign_audit_head"
    assert sign_audit_head.name == schedule["task"]


@pytest.mark.parametrize(
    ("debug", "key", "expected"),
    [
        (False, "", ["grassroots.E020"]),
        (True, "", []),
        (False, "xyz", ["grassroots.E021"]),
        (False, "ab" * 8 + "c", ["grassroots.E021"]),
        (False, "0123456789abcdef0123456789abcdef", ["grassroots.E021"]),  # the test field key
        (False, "ab" * 32, []),
    ],
)
def test_head_key_check(settings, debug, key, expected):
    settings.DEBUG = debug
    settings.AUDIT_HEAD_KEY = key
    settings.FIELD_ENCRYPTION_KEY = "0123456789abcdef0123456789abcdef"
    assert [message.id for message in audit_head_key_check()] == expected
