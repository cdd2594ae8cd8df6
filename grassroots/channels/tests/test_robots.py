"""WeCom group robots: registering (the key encrypted and masked), pushing a
notice to two groups over the webhook protocol (markdown with the link, then
the QR image), failures (errcode != 0, HTTP errors) retried with the parts
already posted not posted again, and the final failure shown."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.db import connection

from grassroots.accounts.roles import Role
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import category, new_matter, seed_categories
from grassroots.publicity.services import publication_publish
from grassroots.publicity.tests.staff_helpers import draft_of
from grassroots.testing.factories import UserFactory

from ..errors import ChannelError
from ..models import ChannelPost, Status, WecomRobot
from ..services.delivery import Outcome, post_deliver
from ..services.posts import post_retry, publication_push
from ..services.robots import parse_webhook_key, robot_register, robot_retire
from .support import KEY_A, KEY_B, robot_at

WEBHOOK = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY_A}"


@pytest.fixture
def staff_a(tree):
    return UserFactory(username="robot_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)


@pytest.fixture
def staff_b(tree):
    return UserFactory(username="robot_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b)


@pytest.fixture
def published(tree, staff_a):
    seed_categories()
    matter = new_matter(tree.grid_a1)
    lifecycle.matter_accept(actor=staff_a, matter=matter, category=category())
    lifecycle.matter_assign(actor=staff_a, matter=matter, assignee=staff_a, plan="厂房按公开招租方式出租。")
    return publication_publish(actor=staff_a, publication=draft_of(staff_a, matter))


@pytest.fixture
def two_groups(tree, staff_a):
    return [
        robot_at(tree.village_a, created_by=staff_a, name="西张村邻里群", key=KEY_A),
        robot_at(tree.grid_a1, created_by=staff_a, name="第1网格楼长群", key=KEY_B),
    ]


def test_the_key_is_taken_from_the_webhook_address():
    assert parse_webhook_key(WEBHOOK) == KEY_A
    assert parse_webhook_key(f"  {KEY_B} ") == KEY_B
    for bad in ("", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + KEY_A, "https://x/other?key=abc", "短"):
        with pytest.raises(ChannelError):
            parse_webhook_key(bad)


def test_a_robot_is_registered_encrypted_and_audited(tree, staff_a):
    robot = robot_register(actor=staff_a, node=tree.village_a, name=" 西张村 邻里群 ", webhook=WEBHOOK)
    assert robot.name == "西张村 邻里群" and robot.masked_key == "****0f1a"
    with connection.cursor() as cursor:
        cursor.execute("SELECT webhook_key FROM channels_wecomrobot WHERE id = %s", [robot.pk])
        stored = cursor.fetchone()[0]
    assert KEY_A not in stored  # SM4-GCM ciphertext at rest
    assert WecomRobot.objects.get().webhook_key == KEY_A
    assert AuditEntry.objects.filter(action="channels.robot_register").exists()
    with pytest.raises(ChannelError) as dup:
        robot_register(actor=staff_a, node=tree.village_a, name="西张村 邻里群", webhook=KEY_B)
    assert dup.value.code == "name_taken"


def test_registering_is_refused_outside_the_subtree_and_to_other_roles(tree, staff_a):
    with pytest.raises(NotFound):
        robot_register(actor=staff_a, node=tree.village_b, name="店子群", webhook=WEBHOOK)
    grid = UserFactory(username="robot_grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    with pytest.raises(PermissionDenied):
        robot_register(actor=grid, node=tree.grid_a1, name="楼长群", webhook=WEBHOOK)
    with pytest.raises(ChannelError):
        robot_register(actor=staff_a, node=tree.village_a, name="", webhook=WEBHOOK)
    assert not WecomRobot.objects.exists()


def test_a_retired_robot_gets_nothing(tree, staff_a, staff_b, published, two_groups):
    with pytest.raises(NotFound):
        robot_retire(actor=staff_b, robot=two_groups[0])
    robot_retire(actor=staff_a, robot=two_groups[0])
    with pytest.raises(ChannelError):
        publication_push(actor=staff_a, publication=published, robot_ids=[two_groups[0].pk], to_account=False)


def test_a_notice_reaches_two_registered_groups(
    wecom, staff_a, published, two_groups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posts = publication_push(
            actor=staff_a, publication=published, robot_ids=[r.pk for r in two_groups], to_account=False
        )
    assert len(posts) == 2
    assert set(ChannelPost.objects.values_list("status", flat=True)) == {Status.SENT}
    for key in (KEY_A, KEY_B):
        markdown, image = wecom.received[key]
        assert markdown["msgtype"] == "markdown"
        assert "【理事方案公示】" in markdown["markdown"]["content"]
        assert f"/notices/{published.pk}/" in markdown["markdown"]["content"]
        png = base64.b64decode(image["image"]["base64"])
        assert png.startswith(b"\x89PNG") and hashlib.md5(png).hexdigest() == image["image"]["md5"]  # noqa: S324
    # Pushing again to the same groups creates nothing.
    with pytest.raises(ChannelError):
        publication_push(actor=staff_a, publication=published, robot_ids=[two_groups[0].pk], to_account=False)


def test_a_rate_limit_then_success(wecom, staff_a, published, two_groups):
    post = ChannelPost.objects.create(publication=published, target="wecom", robot=two_groups[0], created_by=staff_a)
    wecom.fail(KEY_A, 45009)
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.RETRY
    post.refresh_from_db()
    assert post.status == Status.PENDING and post.result["errcode"] == 45009 and "45009" in post.last_error
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SENT
    post.refresh_from_db()
    assert post.status == Status.SENT and post.attempts == 2 and post.result["parts"] == ["markdown", "qr"]
    assert [m["msgtype"] for m in wecom.received[KEY_A]] == ["markdown", "image"]


def test_a_failed_image_does_not_repeat_the_markdown(wecom, staff_a, published, two_groups):
    post = ChannelPost.objects.create(publication=published, target="wecom", robot=two_groups[0], created_by=staff_a)
    wecom.fail(KEY_A, -502, msgtype="image")  # the image of the first attempt: a gateway error
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.RETRY
    post.refresh_from_db()
    assert post.result["parts"] == ["markdown"] and "502" in post.last_error
    assert KEY_A not in post.last_error  # the key is in the URL: never recorded
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SENT
    assert [m["msgtype"] for m in wecom.received[KEY_A]] == ["markdown", "image"]


def test_an_invalid_key_fails_at_once_and_can_be_retried(wecom, staff_a, published, tree):
    robot = robot_at(tree.village_a, created_by=staff_a, name="已删除的群", key="00000000-0000-0000-0000-000000000000")
    post = ChannelPost.objects.create(publication=published, target="wecom", robot=robot, created_by=staff_a)
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.FAILED
    post.refresh_from_db()
    assert post.status == Status.FAILED and "93000" in post.last_error
    post_retry(actor=staff_a, post=post)
    post.refresh_from_db()
    assert post.status == Status.PENDING and post.attempts == 0
    with pytest.raises(ChannelError):
        post_retry(actor=staff_a, post=post)


def test_push_refusals_change_nothing(tree, staff_a, staff_b, published, two_groups):
    with pytest.raises(ChannelError) as nothing:
        publication_push(actor=staff_a, publication=published, robot_ids=[], to_account=False)
    assert nothing.value.code == "nothing_chosen"
    with pytest.raises(ChannelError) as disabled:
        publication_push(actor=staff_a, publication=published, robot_ids=[], to_account=True)
    assert disabled.value.code == "account_disabled"
    with pytest.raises(NotFound):
        publication_push(actor=staff_b, publication=published, robot_ids=[two_groups[0].pk], to_account=False)
    other = robot_at(tree.village_b, created_by=staff_b, name="店子社区群", key=KEY_B)
    with pytest.raises(ChannelError):
        publication_push(actor=staff_a, publication=published, robot_ids=[other.pk], to_account=False)
    assert not ChannelPost.objects.exists()


def test_the_demo_backend_records_without_sending(staff_a, published, two_groups):
    post = ChannelPost.objects.create(publication=published, target="wecom", robot=two_groups[0], created_by=staff_a)
    assert post_deliver(post_id=post.pk, last_try=False) is Outcome.SENT
    post.refresh_from_db()
    assert post.result["demo"] is True
