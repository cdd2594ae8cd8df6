from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import itertools
import json
import threading
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from grassroots.core import audit
from grassroots.core.audit import GENESIS_HASH, Action, audit_record, audit_verify, entry_hash
from grassroots.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEntry]:
    return [
        audit_record(action=Action.UPDATE, object_type="regions.Resident", object_id=i, detail={"n": i})
        for i in range(n)
    ]


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# --- Writing --------------------------------------------------------------------


def test_chain_links_every_entry_to_the_previous_one():
    entries = _chain(5)

    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    result = audit_verify()
    assert result.ok is True
    assert result.checked == 5
    assert result.first_broken_id is None
    assert result.head_hash == entries[-1].hash
    assert "完整" in result.reason


def test_hash_follows_the_documented_canonical_form(make_user):
    user = make_user(username="wangwu")
    entry = audit_record(
        action=Action.REVEAL,
        actor=user,
        ip="10.0.0.1",
        object_type="regions.Resident",
        object_id=7,
        detail={"字段": "身份证号"},
    )
    entry.refresh_from_db()

    content = {
        "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": user.pk,
        "actor_username": "wangwu",
        "ip": "10.0.0.1",
        "action": "data.reveal",
        "object_type": "regions.Resident",
        "object_id": "7",
        "result": "success",
        "detail": {"字段": "身份证号"},
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert "身份证号".encode() in canonical
    assert entry.hash == hashlib.sha256(canonical + GENESIS_HASH.encode()).hexdigest()


def test_empty_log_verifies_with_genesis_head():
    result = audit_verify()

    assert (result.ok, result.checked, result.head_hash) == (True, 0, GENESIS_HASH)


def test_actor_and_ip_come_from_the_request(make_user):
    user = make_user(username="zhaoliu")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1")
    request.user = user

    entry = audit_record(action=Action.EXPORT, request=request)

    entry.refresh_from_db()
    assert entry.actor_id == user.pk
    assert entry.actor_username == "zhaoliu"
    assert entry.ip == "10.1.2.3"  # X-Forwarded-For is ignored


def test_explicit_actor_and_ip_override_the_request(make_user):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = make_user(username="requester")
    other = make_user(username="other")

    entry = audit_record(action=Action.UPDATE, request=request, actor=other, ip="192.168.0.8")

    assert (entry.actor_id, entry.actor_username, entry.ip) == (other.pk, "other", "192.168.0.8")


def test_anonymous_request_records_no_actor_but_keeps_attempted_username():
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.9.9.9")
    request.user = AnonymousUser()

    entry = audit_record(
        action=Action.LOGIN_FAILED, request=request, result=AuditEntry.Result.FAILURE, attempted_username="张三"
    )

    entry.refresh_from_db()
    assert entry.actor_id is None
    assert entry.actor_username == ""
    assert entry.detail == {"attempted_username": "张三"}
    assert entry.result == "failure"
    assert entry.ip == "10.9.9.9"
    assert audit_verify().ok


def test_obj_fills_object_type_and_id(make_user):
    user = make_user()

    entry = audit_record(action=Action.UPDATE, obj=user)

    assert (entry.object_type, entry.object_id) == ("accounts.User", str(user.pk))


def test_obj_with_explicit_object_type_is_refused(make_user):
    user = make_user()

    with pytest.raises(TypeError):
        audit_record(action=Action.UPDATE, obj=user, object_type="x")
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"action": ""}, ValueError),
        ({"action": "x" * 65}, ValueError),
        ({"action": Action.UPDATE, "result": "maybe"}, ValueError),
        ({"action": Action.UPDATE, "detail": {"bad": float("nan")}}, ValueError),
    ],
)
def test_invalid_input_is_refused_and_nothing_written(kwargs, error):
    audit_record(action=Action.CREATE)

    with pytest.raises(error):
        audit_record(**kwargs)
    assert AuditEntry.objects.count() == 1


def test_detail_values_are_normalised_so_the_hash_survives_the_database():
    detail: dict[Any, Any] = {
        "from": "新建",
        "to": "已受理",
        "at": datetime.date(2026, 3, 1),
        "amount": decimal.Decimal("1.50"),
        3: [1],
    }

    entry = audit_record(action=Action.STATE_CHANGE, detail=detail)

    entry.refresh_from_db()
    assert entry.detail == {"from": "新建", "to": "已受理", "at": "2026-03-01", "amount": "1.50", "3": [1]}
    assert audit_verify().ok


@pytest.mark.parametrize("ip", ["2001:DB8::1", "::ffff:1.2.3.4", "fe80::1"])
def test_ipv6_addresses_verify_whatever_form_the_database_returns(ip):
    audit_record(action=Action.LOGIN, ip=ip)
    audit_record(action=Action.LOGOUT, ip=ip)

    assert audit_verify().ok
    assert audit_verify().checked == 2


def test_invalid_ip_is_kept_in_detail_not_in_the_ip_column():
    entry = audit_record(action=Action.LOGIN, ip="not-an-ip")

    entry.refresh_from_db()
    assert entry.ip is None
    assert entry.detail == {"invalid_ip": "not-an-ip"}
    assert audit_verify().ok


def test_long_values_are_truncated_to_the_columns():
    entry = audit_record(action=Action.UPDATE, object_type="t" * 300, object_id="9" * 300, attempted_username="u" * 300)

    entry.refresh_from_db()
    assert len(entry.object_type) == 100
    assert len(entry.object_id) == 64
    assert len(entry.detail["attempted_username"]) == 150
    assert audit_verify().ok


def test_entry_rolls_back_with_the_callers_transaction():
    audit_record(action=Action.CREATE)

    def failing_change() -> None:
        with transaction.atomic():
            audit_record(action=Action.STATE_CHANGE)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        failing_change()

    assert list(AuditEntry.objects.values_list("action", flat=True)) == [Action.CREATE]
    assert audit_verify().ok


def test_durable_entry_refuses_to_hide_inside_a_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=Action.DENIED, result=AuditEntry.Result.DENIED, durable=True)

    assert AuditEntry.objects.count() == 0


def test_durable_entry_outside_a_transaction_is_written():
    entry = audit_record(action=Action.DENIED, result=AuditEntry.Result.DENIED, durable=True)

    assert AuditEntry.objects.filter(pk=entry.pk, result="denied").exists()


def test_action_labels_are_chinese_with_raw_fallback():
    assert Action.label(Action.LOGIN_FAILED) == "登录失败"
    assert Action.label(Action.REVEAL) == "查看完整个人信息"
    assert Action.label("matters.accept") == "matters.accept"
    assert (Action.EXPORT, "导出数据") in Action.choices()


# --- Concurrency ------------------------------------------------------------------


def test_append_on_a_stale_head_retries_and_keeps_the_chain_linear(monkeypatch):
    first, second = _chain(2)
    real_head = audit._head_hash
    calls: list[str] = []

    def stale_then_real() -> str:
        # The first read returns the head another writer has already extended,
        # as if that writer committed between our read and our insert.
        value = first.hash if not calls else real_head()
        calls.append(value)
        return value

    monkeypatch.setattr(audit, "_head_hash", stale_then_real)

    third = audit_record(action=Action.LOGOUT)

    assert calls == [first.hash, second.hash]
    assert third.prev_hash == second.hash
    assert AuditEntry.objects.count() == 3
    assert AuditEntry.objects.filter(prev_hash=first.hash).count() == 1
    assert audit_verify().ok


def test_append_gives_up_after_bounded_retries_and_leaves_the_transaction_usable(monkeypatch):
    first, _second = _chain(2)
    attempts: list[int] = []

    def always_stale() -> str:
        attempts.append(1)
        return first.hash

    monkeypatch.setattr(audit, "_head_hash", always_stale)

    with pytest.raises(RuntimeError, match="audit chain"):
        audit_record(action=Action.LOGOUT)

    assert len(attempts) == audit.MAX_APPEND_ATTEMPTS
    assert AuditEntry.objects.count() == 2  # the failed savepoints left the outer transaction usable
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_separate_connections_keep_one_chain():
    writers, per_writer = 4, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                audit_record(action=Action.UPDATE, object_id=f"{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = audit_verify()
    assert result.ok, result.reason
    assert result.checked == writers * per_writer


# --- Tampering ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", Action.LOGIN),
        ("actor_username", "mallory"),
        ("actor_id", 999999),
        ("ip", "10.6.6.6"),
        ("object_type", "accounts.User"),
        ("object_id", "99"),
        ("result", "failure"),
        ("detail", json.dumps({"n": 999})),
        ("created_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_sql_edit_of_any_column_is_detected_at_that_row(column, value):
    entries = _chain(4)
    target = entries[2]

    _sql(f"UPDATE core_auditentry SET {column} = %s WHERE id = %s", [value, target.pk])  # noqa: S608

    result = audit_verify()
    assert result.ok is False
    assert result.first_broken_id == target.pk
    assert result.reason == f"第 {target.pk} 条记录的哈希与内容不符(记录被修改)"
    assert result.checked == 2
    assert result.head_hash == entries[1].hash


def test_edit_with_recomputed_hash_is_detected_at_the_next_row():
    entries = _chain(3)
    target = entries[1]
    forged = entry_hash(
        created_at=target.created_at,
        actor_id=None,
        actor_username="",
        ip=None,
        action=Action.LOGIN,
        object_type=target.object_type,
        object_id=target.object_id,
        result=target.result,
        detail=target.detail,
        prev_hash=target.prev_hash,
    )

    _sql("UPDATE core_auditentry SET action = %s, hash = %s WHERE id = %s", [Action.LOGIN, forged, target.pk])

    result = audit_verify()
    assert result.first_broken_id == entries[2].pk
    assert result.reason == f"第 {entries[2].pk} 条记录的前序哈希与第 {target.pk} 条不衔接(有记录被删除或插入)"


def test_deleted_middle_row_is_detected_at_the_next_row():
    entries = _chain(4)

    _sql("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])

    result = audit_verify()
    assert result.ok is False
    assert result.first_broken_id == entries[2].pk
    assert result.reason == f"第 {entries[2].pk} 条记录的前序哈希与第 {entries[0].pk} 条不衔接(有记录被删除或插入)"


def test_deleted_first_row_is_detected():
    entries = _chain(3)

    _sql("DELETE FROM core_auditentry WHERE id = %s", [entries[0].pk])

    result = audit_verify()
    assert result.first_broken_id == entries[1].pk
    assert "第一条" in result.reason


def test_forged_row_with_a_wrong_hash_is_detected():
    entries = _chain(3)
    now = timezone.now()

    forged = AuditEntry.objects.create(
        created_at=now,
        action=Action.REVEAL,
        prev_hash=entries[-1].hash,
        hash=hashlib.sha256(b"made up").hexdigest(),
    )

    result = audit_verify()
    assert result.first_broken_id == forged.pk
    assert "哈希与内容不符" in result.reason


def test_forged_row_with_a_valid_own_hash_but_no_link_is_detected():
    entries = _chain(3)
    fake_prev = hashlib.sha256(b"an entry that never existed").hexdigest()
    now = timezone.now()
    fields: dict[str, Any] = {
        "actor_id": None,
        "actor_username": "",
        "ip": None,
        "action": Action.REVEAL,
        "object_type": "regions.Resident",
        "object_id": "1",
        "result": "success",
        "detail": {},
    }

    forged = AuditEntry.objects.create(
        created_at=now, prev_hash=fake_prev, hash=entry_hash(created_at=now, prev_hash=fake_prev, **fields), **fields
    )

    result = audit_verify()
    assert result.first_broken_id == forged.pk
    assert result.reason == f"第 {forged.pk} 条记录的前序哈希与第 {entries[-1].pk} 条不衔接(有记录被删除或插入)"


def test_truncated_tail_is_only_visible_against_a_recorded_anchor():
    entries = _chain(4)
    anchor = audit_verify().head_hash

    _sql("DELETE FROM core_auditentry WHERE id = %s", [entries[-1].pk])

    assert audit_verify().ok is True  # the chain alone cannot see a cut tail
    result = audit_verify(anchor_hash=anchor)
    assert result.ok is False
    assert result.first_broken_id is None
    assert anchor in result.reason
    assert audit_verify(anchor_hash=entries[1].hash).ok is True


def test_start_id_links_to_the_previous_entry():
    entries = _chain(5)

    result = audit_verify(start_id=entries[2].pk)
    assert (result.ok, result.checked, result.head_hash) == (True, 3, entries[-1].hash)

    _sql("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
    assert audit_verify(start_id=entries[2].pk).first_broken_id == entries[2].pk


def test_start_id_after_a_retention_purge_trusts_the_first_remaining_entry():
    entries = _chain(5)
    _sql("DELETE FROM core_auditentry WHERE id < %s", [entries[2].pk])

    assert audit_verify().first_broken_id == entries[2].pk
    result = audit_verify(start_id=entries[2].pk)
    assert (result.ok, result.checked) == (True, 3)


def test_small_chunks_give_the_same_answer():
    entries = _chain(7)
    _sql("UPDATE core_auditentry SET object_id = %s WHERE id = %s", ["x", entries[5].pk])

    assert audit_verify(chunk_size=2).first_broken_id == entries[5].pk


# --- Command ----------------------------------------------------------------------------


def test_command_reports_an_intact_chain():
    entries = _chain(3)
    out = io.StringIO()

    call_command("audit_verify", stdout=out)

    text = out.getvalue()
    assert "审计日志完整:共核验 3 条记录" in text
    assert entries[-1].hash in text


def test_command_fails_with_exit_status_1_and_names_the_broken_entry():
    entries = _chain(3)
    target = entries[1]
    _sql("UPDATE core_auditentry SET action = %s WHERE id = %s", [Action.EXPORT, target.pk])
    out = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", stdout=out)

    message = str(excinfo.value)
    when = timezone.localtime(target.created_at).strftime("%Y-%m-%d %H:%M:%S")
    assert excinfo.value.returncode == 1
    assert f"编号 {target.pk}" in message
    assert when in message
    assert "导出数据(data.export)" in message
    assert "哈希与内容不符" in message
    assert "完整" not in out.getvalue()


def test_command_checks_an_anchor():
    entries = _chain(2)

    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", anchor="f" * 64, stdout=io.StringIO())
    assert excinfo.value.returncode == 1

    out = io.StringIO()
    call_command("audit_verify", anchor=entries[0].hash, start_id=entries[0].pk, stdout=out)
    assert "共核验 2 条记录" in out.getvalue()


def test_hostile_text_is_cleaned_so_the_entry_is_still_written():
    entry = audit_record(
        action=Action.LOGIN_FAILED,
        result=AuditEntry.Result.FAILURE,
        attempted_username="adm\x00in\ud800",
        object_id="1\x002",
        detail={"k\x00": ["v\x00"]},
    )

    entry.refresh_from_db()
    assert entry.detail == {"attempted_username": "adm\ufffdin?", "k\ufffd": ["v\ufffd"]}
    assert entry.object_id == "1\ufffd2"
    assert audit_verify().ok


def test_deleting_a_user_leaves_the_chain_intact(make_user):
    user = make_user()
    audit_record(action=Action.LOGIN, actor=user)
    user.delete()
    assert audit_verify().ok


def test_orm_cannot_change_or_delete_entries(make_user):
    from grassroots.core.models import AuditEntry, AuditLogImmutable

    entry = audit_record(action=Action.LOGIN, actor=make_user())
    entry.action = "auth.logout"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.LOGIN
    assert audit_verify().ok
