"""The move of matters.Publication into publicity: existing records are
copied as published (or ended) notices at their matter's place."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("matters", "0004_publication_moving_to_publicity"), ("publicity", "0001_publications_and_objections")]
AFTER = [("matters", "0005_publication_moved_to_publicity"), ("publicity", "0002_copy_matter_publications")]


def test_old_publication_records_are_copied():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Node = apps.get_model("regions", "Node")
    User = apps.get_model("accounts", "User")
    Matter = apps.get_model("matters", "Matter")
    Old = apps.get_model("matters", "Publication")
    node = Node.objects.create(path="0001", depth=1, numchild=0, name="湖田街道", level=1, code="370303003000")
    village = Node.objects.create(path="00010001", depth=2, numchild=0, name="西张村委会", level=2, code="370303003206")
    user = User.objects.create(username="v", role="village_staff", jurisdiction=node)
    matter = Matter.objects.create(
        number="SX20261101-0001",
        tracking_code="ABCDEFGHJK",
        node=village,
        path=village.path,
        title="厂房出租",
        description="厂房出租事宜",
        channel="web",
    )
    today = datetime.date.today()
    Old.objects.create(
        matter=matter,
        path=village.path,
        kind="plan",
        title="方案公示",
        content="方案",
        created_by=user,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=13),
        channels=["notice"],
    )
    Old.objects.create(
        matter=matter,
        path=village.path,
        kind="result",
        title="结果公示",
        content="结果",
        created_by=user,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        channels=["notice", "led"],
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    New = executor.loader.project_state(AFTER).apps.get_model("publicity", "Publication")
    rows = {p.kind: p for p in New.objects.all()}
    assert set(rows) == {"plan", "result"}
    assert rows["plan"].state == "ended" and rows["result"].state == "published"
    assert rows["result"].channels == ["notice", "led"] and rows["result"].node_id == village.pk
    assert rows["plan"].path == village.path and rows["plan"].published_by_id == user.pk
    # Back to the latest state for the other tests.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
