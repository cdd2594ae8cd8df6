"""Migrations 0006–0008 (ADR 0045): economy's own 联村党委 rows move into party's
organisations (kind 联村党委, member villages kept) and companies point at
them; the reverse rebuilds economy committees from those organisations."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("economy", "0005_project_register"), ("party", "0001_initial")]
AFTER = [("economy", "0008_committee_tables_removed")]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def test_committees_move_into_party_and_back():
    executor = _executor()
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Node = apps.get_model("regions", "Node")
    Committee = apps.get_model("economy", "JointCommittee")
    Member = apps.get_model("economy", "CommitteeMember")
    Company = apps.get_model("economy", "Company")
    Branch = apps.get_model("party", "Branch")
    street = Node.objects.create(path="0009", depth=1, numchild=2, name="湖田街道", level=1, code="370303003999")
    a = Node.objects.create(path="00090001", depth=2, numchild=0, name="西张村委会", level=2, code="370303003991")
    b = Node.objects.create(path="00090002", depth=2, numchild=0, name="店子社区", level=2, code="370303003992")
    # A 党支部 of the same name at the same place is not reused as the committee.
    Branch.objects.create(name="同名组织", kind="branch", node=street, path=street.path)
    committee = Committee.objects.create(name="跨村联建联村党委", node=street, path=street.path, secretary="王书记")
    other = Committee.objects.create(name="同名组织", node=street, path=street.path)
    for village in (a, b):
        Member.objects.create(committee=committee, village=village)
    company = Company.objects.create(
        name="宏湖控股", node=street, path=street.path, committee=committee, founded_on=datetime.date(2024, 1, 1)
    )
    second = Company.objects.create(
        name="第二公司", node=street, path=street.path, committee=other, founded_on=datetime.date(2024, 1, 1)
    )

    executor = _executor()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Branch = apps.get_model("party", "Branch")
    Company = apps.get_model("economy", "Company")
    moved = Company.objects.get(pk=company.pk).committee
    assert moved.kind == "joint" and moved.name == "跨村联建联村党委" and moved.path == street.path
    assert sorted(v.pk for v in moved.villages.all()) == [a.pk, b.pk]
    renamed = Company.objects.get(pk=second.pk).committee
    assert renamed.kind == "joint" and renamed.name == "同名组织(联村党委)"
    assert Branch.objects.filter(kind="joint").count() == 2

    executor = _executor()
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Company = apps.get_model("economy", "Company")
    back = Company.objects.get(pk=company.pk).committee
    assert back.name == "跨村联建联村党委" and sorted(m.village_id for m in back.members.all()) == [a.pk, b.pk]

    # Back to the latest state for the other tests.
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())
