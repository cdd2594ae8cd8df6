"""Display tokens: issued with checks (nothing written on bad input), stored
as a digest, usable only while active and unexpired, revoked by managers in
scope, expired by the daily job."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry

from ..models import ScreenToken
from ..services import screen_token_issue, screen_token_revoke, screen_token_use, screen_tokens_expire, token_digest
from ..states import State
from ..tasks import expire_screen_tokens

pytestmark = pytest.mark.django_db


def test_issue_stores_only_the_digest_and_audits(tree, people):
    before = AuditEntry.objects.count()
    token, secret = screen_token_issue(actor=people.street, node=tree.subdistrict, label="指挥中心大屏", days=90)
    assert len(secret) >= 40
    row = ScreenToken.objects.get(pk=token.pk)
    assert row.digest == token_digest(secret) and secret not in row.digest
    assert row.hint == secret[:6] and row.state == State.ACTIVE
    assert abs((row.expires_at - timezone.now()) - datetime.timedelta(days=90)) < datetime.timedelta(minutes=1)
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and AuditEntry.objects.count() == before + 1 and entry.action == "data.create"
    assert secret not in str(entry.detail)


@pytest.mark.parametrize(
    ("label", "days", "node", "code"),
    [
        ("", 30, "subdistrict", "label_required"),
        ("屏" * 61, 30, "subdistrict", "label_too_long"),
        ("大屏", 0, "subdistrict", "days_out_of_range"),
        ("大屏", 367, "subdistrict", "days_out_of_range"),
        ("大屏", 30, "grid_a1", "node_level"),
    ],
)
def test_issue_refuses_bad_input_and_writes_nothing(tree, people, label, days, node, code):
    with pytest.raises(DomainError) as excinfo:
        screen_token_issue(actor=people.street, node=getattr(tree, node), label=label, days=days)
    assert excinfo.value.code == code
    assert ScreenToken.objects.count() == 0


def test_issue_needs_the_capability_and_the_scope(tree, people):
    with pytest.raises(PermissionDenied):
        screen_token_issue(actor=people.village_a, node=tree.village_a, label="村大屏", days=30)
    with pytest.raises(NotFound):
        screen_token_issue(actor=people.street_b, node=tree.village_a, label="大屏", days=30)
    assert ScreenToken.objects.count() == 0


def test_use_accepts_only_active_unexpired_tokens(tree, people):
    token, secret = screen_token_issue(actor=people.street, node=tree.subdistrict, label="大屏", days=30)
    assert screen_token_use(secret=secret) == token
    assert ScreenToken.objects.get(pk=token.pk).last_used_at is not None
    assert screen_token_use(secret=secret + "x") is None
    assert screen_token_use(secret="") is None
    assert screen_token_use(secret="a" * 500) is None
    ScreenToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert screen_token_use(secret=secret) is None


def test_revoke_in_scope_only_and_then_refused(tree, people):
    token, secret = screen_token_issue(actor=people.street, node=tree.village_a, label="西张村大屏", days=30)
    with pytest.raises(NotFound):
        screen_token_revoke(actor=people.street_b, token=token)
    with pytest.raises(PermissionDenied):
        screen_token_revoke(actor=people.village_a, token=token)
    assert ScreenToken.objects.get(pk=token.pk).state == State.ACTIVE
    screen_token_revoke(actor=people.street, token=token)
    assert ScreenToken.objects.get(pk=token.pk).state == State.REVOKED
    assert screen_token_use(secret=secret) is None


def test_the_daily_job_revokes_expired_tokens_once(tree, people):
    old, _ = screen_token_issue(actor=people.street, node=tree.subdistrict, label="旧屏", days=1)
    fresh, _ = screen_token_issue(actor=people.street, node=tree.subdistrict, label="新屏", days=30)
    ScreenToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    assert expire_screen_tokens() == 1
    assert screen_tokens_expire() == 0
    assert ScreenToken.objects.get(pk=old.pk).state == State.REVOKED
    assert ScreenToken.objects.get(pk=fresh.pk).state == State.ACTIVE
    assert screen_token_revoke(actor=SYSTEM, token=fresh).state == State.REVOKED
