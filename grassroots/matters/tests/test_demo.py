"""The demo matters: deterministic, through the services, idempotent."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from grassroots.accounts.demo import ensure_demo_users
from grassroots.core.audit import audit_verify
from grassroots.core.models import AuditEntry, Notification
from grassroots.publicity.models import Kind as PublicationKind
from grassroots.publicity.models import Publication
from grassroots.regions.demo import generate_demo
from grassroots.regions.importer import hutian_load
from grassroots.regions.models import Node

from ..demo import demo_plan, generate_demo_matters
from ..models import EventKind, Feedback, Matter, MatterEvent
from ..selectors import matters_public
from ..states import OPEN_STATES, State

pytestmark = pytest.mark.django_db

XIZHANG, DIANZI, XIAHU = "370303003206", "370303003015", "370303003202"


@pytest.fixture
def hutian(db):
    hutian_load()
    # Three villages keep the test quick; the demo users live in the first two.
    generate_demo(seed=2023, village_codes=[XIZHANG, DIANZI, XIAHU], reference_date=datetime.date(2026, 11, 30))
    ensure_demo_users()


def _villages():
    return [("0001", "西张村", ["00010001", "00010002"]), ("0002", "店子社区", ["00020001"])]


def test_the_plan_is_deterministic():
    first = demo_plan(seed=2023, villages=_villages(), count=120)
    assert first == demo_plan(seed=2023, villages=_villages(), count=120)
    assert first != demo_plan(seed=2024, villages=_villages(), count=120)
    states = {p.state for p in first}
    assert states == set(State.values)  # every state is planned
    assert [p.age_days for p in first] == sorted((p.age_days for p in first), reverse=True)
    for plan in first:
        assert "{" not in plan.title and "{" not in plan.description
        if plan.state == State.MERGED:
            assert plan.merge_into is not None
            target = first[plan.merge_into]
            assert target.index < plan.index and target.state in OPEN_STATES


def test_needs_the_demo_users(db):
    hutian_load()
    with pytest.raises(CommandError, match="create_demo_users"):
        call_command("generate_demo_matters", stdout=StringIO())
    assert not Matter.objects.exists()


def test_generates_matters_in_every_state_through_the_services(hutian):
    out = StringIO()
    call_command("generate_demo_matters", "--seed", "2023", "--count", "120", stdout=out)
    text = out.getvalue()
    assert text.startswith("已生成演示事项 120 件")
    matters = Matter.objects.all()
    assert matters.count() == 120
    assert {m.state for m in matters} == set(State.values)
    # Through the services: every matter has its creation event, and every
    # state change has a transition event and an audit entry.
    assert MatterEvent.objects.filter(kind=EventKind.CREATED).count() == 120
    transitions = MatterEvent.objects.filter(kind=EventKind.TRANSITION).count()
    assert transitions > 120
    assert AuditEntry.objects.filter(action="state.change", object_type="matters.Matter").count() == transitions
    # Publications are published through their own state change (draft → published).
    published = AuditEntry.objects.filter(action="state.change", object_type="publicity.Publication").count()
    assert published == Publication.objects.count() > 0
    assert audit_verify().ok
    # Spread over about two months, numbered by the day reported.
    now = timezone.now()
    oldest = matters.earliest("created_at")
    assert now - oldest.created_at > datetime.timedelta(days=40)
    assert oldest.number.startswith(f"SX{timezone.localdate(oldest.created_at):%Y%m%d}-")
    for matter in matters.exclude(state__in=[State.REPORTED, State.REJECTED, State.MERGED]):
        assert matter.accepted_at is not None
        assert matter.accepted_at >= matter.created_at
        if matter.resolved_at:
            assert matter.resolved_at >= matter.accepted_at
            if matter.closed_at:
                assert matter.closed_at >= matter.resolved_at
        events = list(matter.events.order_by("id").values_list("created_at", flat=True))
        assert events == sorted(events)
    # Overdue and escalated matters, publications for collective ones, feedback.
    today = timezone.localdate()
    assert matters.filter(state=State.HANDLING, due_date__lt=today).exists()
    assert matters.filter(escalation_level__gte=1).exists()
    for closed in matters.filter(touches_collective=True, state=State.CLOSED):
        kinds = set(closed.publications.values_list("kind", flat=True))
        assert kinds == {PublicationKind.PLAN, PublicationKind.RESULT}
    assert Publication.objects.exists()
    assert Feedback.objects.exists()
    assert Notification.objects.filter(channel=Notification.Channel.SMS).exists()
    # Realistic texts in the demo villages only.
    villages = set(Node.objects.filter(code__in=[XIZHANG, DIANZI, XIAHU]).values_list("path", flat=True))
    assert {m.path[:8] for m in matters} <= villages
    # Some reporters agreed to a public listing, others did not (ADR 0018); the
    # public set holds none in a sensitive category.
    consented = matters.filter(public_consent=True).count()
    assert 0 < consented < 120
    public = matters_public()
    assert public.exists() and not public.filter(category__sensitive=True).exists()

    # Idempotent: a second run does nothing.
    out = StringIO()
    call_command("generate_demo_matters", stdout=out)
    assert "未重复生成" in out.getvalue()
    assert Matter.objects.count() == 120


def test_same_seed_same_matters(hutian):
    report = generate_demo_matters(seed=7, count=40)
    first = list(Matter.objects.order_by("idempotency_key").values_list("title", "state", "channel", "node__path"))
    assert report.total == 40
    Matter.objects.update(idempotency_key=None)  # let it run again on the same tree
    generate_demo_matters(seed=7, count=40)
    second = list(
        Matter.objects.filter(idempotency_key__startswith="demo-")
        .order_by("idempotency_key")
        .values_list("title", "state", "channel", "node__path")
    )
    assert first == second


def test_accept_event_states_the_back_dated_deadline(hutian):
    from grassroots.matters.models import Matter
    from grassroots.matters.services.transitions import date_label

    generate_demo_matters(seed=11, count=40)
    accepted = Matter.objects.filter(accepted_at__isnull=False, due_date__isnull=False).exclude(
        state=State.DELIBERATING
    )
    checked = 0
    for matter in accepted:
        event = matter.events.filter(action="accept").first()
        if event is not None and "办理期限" in event.text and not matter.events.filter(action="reopen").exists():
            assert matter.due_date is not None
            assert date_label(matter.due_date) in event.text, (matter.number, event.text)
            checked += 1
    assert checked >= 5
