"""A real Celery worker (subprocess, Redis broker) delivers an outbox row only
after the enqueuing transaction commits. Redis must be reachable: without it
this test fails, it does not skip."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from config.celery import app as celery_app
from grassroots.core.models import Notification, SmsMessage
from grassroots.core.notifications import services
from grassroots.core.notifications.tasks import deliver_notification

REDIS_URL = os.environ.get("GRASSROOTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
PHONE = "13812345678"
TEST_KIND = services.sms_kind("tests.notice", "测试通知", ("text",))
READY_TIMEOUT = 60
DELIVERY_TIMEOUT = 30
POLL_INTERVAL = 0.2  # seconds between two looks at the condition


def _celery_executable() -> str:
    candidate = Path(sys.executable).with_name("celery")
    return str(candidate) if candidate.exists() else str(Path(settings.BASE_DIR) / ".venv" / "bin" / "celery")


def _database_url() -> str:
    """The URL of the database this test uses (the test database, with any
    pytest-xdist suffix), for the worker subprocess."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or "5432"
        return f"postgres://{credentials}{host}:{port}/{quote(db['NAME'], safe='')}"
    raise AssertionError(f"the worker test does not know how to share a {connection.vendor} database")


def _purge(client: redis.Redis, token: str) -> None:
    """Delete the test queue, its pidbox and every kombu binding naming them."""
    for key in client.scan_iter(match=f"*{token}*"):
        client.delete(key)
    for key in client.scan_iter(match="_kombu.binding.*"):
        stale = [member for member in client.smembers(key) if token.encode() in member]
        if stale:
            client.srem(key, *stale)
    for key in (b"unacked", b"unacked_index"):
        if client.type(key) == b"hash":
            stale = [field for field, value in client.hgetall(key).items() if token.encode() in value]
            if stale:
                client.hdel(key, *stale)


def _wait_for(
    process: subprocess.Popen[bytes], condition: Callable[[], bool], timeout: float, describe: Callable[[], str]
) -> None:
    """Poll `condition` until a deadline. Between polls the test waits on the
    worker process itself, so a worker that dies fails the test at once
    instead of at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(describe())
        try:
            process.wait(timeout=min(POLL_INTERVAL, remaining))
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"the Celery worker exited with {process.returncode}: {describe()}")


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({exc}). The real-worker test needs Redis: "
            "`./run test` starts it, or start redis-server on 127.0.0.1:6379 "
            "(or point GRASSROOTS_TEST_REDIS_URL at one)."
        )
    yield client
    client.close()


@pytest.fixture
def queue_name(redis_client: redis.Redis) -> Iterator[str]:
    name = f"grassroots-test-{uuid.uuid4().hex[:12]}"
    _purge(redis_client, name)
    yield name
    _purge(redis_client, name)


@pytest.fixture
def worker(queue_name: str, tmp_path: Path, transactional_db: None) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A Celery worker consuming only this test's queue, on this test's
    database. Torn down (its whole process group) before the database is."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": REDIS_URL,
        "GRASSROOTS_TEST_REAL_BROKER": "1",
        "DATABASE_URL": _database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        _celery_executable(),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue_name,
        "-n",
        f"{queue_name}@%h",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}:\n{log_path.read_text()}")
            return " ready." in log_path.read_text()

        _wait_for(process, ready, READY_TIMEOUT, lambda: f"the Celery worker did not start:\n{log_path.read_text()}")
        yield process, log_path
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def _drop_broker_connections() -> None:
    """Forget pooled broker connections, so the next publish connects to the
    broker configured now (Celery caches its pools on first use)."""
    app: Any = celery_app
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if app.amqp._producer_pool is not None:
        app.amqp._producer_pool.force_close_all()
    app.amqp._producer_pool = None


@contextlib.contextmanager
def real_broker(queue: str) -> Iterator[None]:
    """Make this (eager, test) process publish to Redis, routed to `queue`."""
    keys = ("task_always_eager", "broker_url", "task_routes")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(
        task_always_eager=False,
        broker_url=REDIS_URL,
        task_routes={"grassroots.core.notifications.tasks.*": {"queue": queue}},
    )
    _drop_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _drop_broker_connections()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_only_after_commit(worker, redis_client, queue_name):
    process, log_path = worker
    publish = deliver_notification.apply_async
    with real_broker(queue_name), mock.patch.object(deliver_notification, "apply_async", wraps=publish) as published:
        with transaction.atomic():
            notification = services.notify_sms(
                PHONE,
                "请于周五下午三点参加议事会。",
                kind=TEST_KIND,
                params={"text": "请于周五下午三点参加议事会。"},
                link="/m/1/",
            )
            # Nothing has left this process: no task was published and the
            # queue is empty, so no worker can act, however long it is given.
            assert published.call_count == 0
            assert redis_client.llen(queue_name) == 0
            assert not SmsMessage.objects.exists()
            assert Notification.objects.get(pk=notification.pk).status == Notification.Status.PENDING
        published.assert_called_once()
        assert published.call_args.args[0] == (notification.pk,)

        def delivered() -> bool:
            row = Notification.objects.get(pk=notification.pk)
            return row.status == Notification.Status.SENT and SmsMessage.objects.filter(notification=row).exists()

        _wait_for(
            process,
            delivered,
            DELIVERY_TIMEOUT,
            lambda: f"the worker did not deliver notification {notification.pk}:\n{log_path.read_text()}",
        )
    assert process.poll() is None  # still running: the fixture stops it
    row = Notification.objects.get(pk=notification.pk)
    assert row.attempts == 1
    assert row.sent_at is not None
    assert row.last_error == ""
    sms = SmsMessage.objects.get(notification=row)
    assert sms.phone == PHONE
    assert sms.body == "请于周五下午三点参加议事会。\nhttp://127.0.0.1:8000/m/1/"
    log = log_path.read_text()
    assert "grassroots.core.notifications.tasks.deliver_notification" in log
    assert "succeeded" in log
    # The test process is eager again.
    assert celery_app.conf.task_always_eager is True
