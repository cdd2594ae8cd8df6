"""/api/v1/safety/inspections: recording an inspection through the same
mapping and service as the page, listing with filters, one with its
answers; problems on bad input (nothing written), roles, another subtree."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.models import AuditEntry

from ..models import ChecklistVersion, Inspection, PremisesKind, Result
from ..services.campaigns import CampaignInput, campaign_open
from ..services.inspections import versions_applicable
from .support import inspect, premises_at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/safety/inspections"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(premises, *, fail_note="消防通道堵塞", **changes):
    """Answers to every item of the first checklist in force: the first fails."""
    version = versions_applicable(premises)[0]
    items = list(version.items.order_by("position"))
    answers = [{"item": items[0].pk, "result": Result.FAIL, "note": fail_note}] + [
        {"item": item.pk, "result": Result.PASS} for item in items[1:]
    ]
    values = {"premises": premises.pk, "version": version.pk, "answers": answers, "note": "例行检查"}
    values.update(changes)
    return values


def test_record_list_and_retrieve(tree, people):
    premises = premises_at(tree.grid_a1)
    client = api(people.grid_a)
    answer = client.post(BASE, body(premises, inspectors=[people.village_a.pk]), format="json")
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["failed"] == 1 and data["premises"] == premises.pk and data["photo_count"] == 0
    assert set(data["inspector_names"]) == {"safe_grid_a", "safe_village_a"}
    assert data["answers"][0]["result"] == "fail" and data["answers"][0]["note"] == "消防通道堵塞"
    assert data["answers"][0]["position"] == 1 and data["answers"][0]["text"]
    inspection = Inspection.objects.get(pk=data["id"])
    assert inspection.recorded_by == people.grid_a
    assert AuditEntry.objects.filter(object_type="safety.Inspection", object_id=str(inspection.pk)).exists()
    shown = client.get(f"{BASE}/{inspection.pk}").json()
    assert shown["id"] == inspection.pk and len(shown["answers"]) == len(data["answers"])
    today = timezone.localdate().isoformat()
    listed = client.get(BASE, {"premises": premises.pk, "node": tree.grid_a1.pk, "date_from": today, "date_to": today})
    assert [row["id"] for row in listed.json()["results"]] == [inspection.pk]
    assert client.get(BASE, {"date_to": "2020-01-01"}).json()["results"] == []


def test_version_defaults_and_time(tree, people):
    premises = premises_at(tree.grid_a1)
    when = (timezone.now() - datetime.timedelta(days=2)).replace(microsecond=0)
    values = body(premises, inspected_at=when.isoformat())
    del values["version"]
    answer = api(people.grid_a).post(BASE, values, format="json")
    assert answer.status_code == 201
    assert Inspection.objects.get(pk=answer.json()["id"]).inspected_at == when


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": []}, "answers"),
        ({"answers": "全部合格"}, "answers"),
        ({"premises": "abc"}, "premises"),
        ({"premises": 10**30}, "premises"),
        ({"inspected_at": "昨天"}, "inspected_at"),
        ({"inspected_at": "2020-01-01T08:00:00+08:00"}, "inspected_at"),
        ({"inspected_at": "0001-01-01T00:00:00"}, "inspected_at"),
        ({"inspectors": [0]}, "inspectors"),
        ({"note": "长" * 1001}, "note"),
        ({"version": 10**9}, "version"),
    ],
)
def test_bad_input_is_a_chinese_problem_and_writes_nothing(tree, people, change, field):
    premises = premises_at(tree.grid_a1)
    answer = api(people.grid_a).post(BASE, {**body(premises), **change}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert field in str(problem) and any("\u4e00" <= ch <= "\u9fff" for ch in problem["detail"])
    assert not Inspection.objects.exists()


def test_answers_are_checked_by_the_service(tree, people):
    premises = premises_at(tree.grid_a1)
    client = api(people.grid_a)
    values = body(premises, fail_note="")
    no_note = client.post(BASE, values, format="json")
    assert no_note.status_code == 400 and "请写明发现的问题" in no_note.json()["detail"]
    values = body(premises)
    missing = client.post(BASE, {**values, "answers": values["answers"][:-1]}, format="json")
    assert missing.status_code == 400 and "还没有填写结果" in missing.json()["detail"]
    twice = client.post(BASE, {**values, "answers": [*values["answers"], values["answers"][0]]}, format="json")
    assert twice.status_code == 400 and "只能填写一次" in str(twice.json())
    outsider = client.post(BASE, {**values, "inspectors": [people.grid_b.pk]}, format="json")
    assert outsider.status_code == 400 and outsider.json()["code"] == "inspector_invalid"
    applicable = {v.pk for v in versions_applicable(premises)}
    foreign = ChecklistVersion.objects.exclude(pk__in=applicable).first()
    assert foreign is not None
    wrong_version = client.post(BASE, {**values, "version": foreign.pk}, format="json")
    assert wrong_version.status_code == 400 and wrong_version.json()["code"] == "version_not_in_force"
    reversed_days = client.get(BASE, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert reversed_days.status_code == 400 and "截止日期" in str(reversed_days.json())
    assert client.get(BASE, {"date_from": "明天"}).status_code == 400
    assert not Inspection.objects.exists()


def test_roles_and_other_subtree(tree, people, settings):
    premises = premises_at(tree.grid_a1)
    inspection = inspect(premises, actor=people.grid_a)
    assert api().get(BASE).status_code in (401, 403)
    assert api().post(BASE, body(premises), format="json").status_code in (401, 403)
    assert api(people.window).get(BASE).status_code == 403
    assert api(people.window).post(BASE, body(premises), format="json").status_code == 403
    other = api(people.grid_b)
    assert other.get(f"{BASE}/{inspection.pk}").status_code == 404
    assert other.get(BASE).json()["results"] == []
    assert other.get(BASE, {"premises": premises.pk}).status_code == 404
    assert other.get(BASE, {"node": tree.grid_a1.pk}).status_code == 404
    assert other.post(BASE, body(premises), format="json").status_code == 404
    assert Inspection.objects.count() == 1


def test_campaign_filter(tree, people):
    shop = premises_at(tree.grid_a1, name="小超市", kind=PremisesKind.SMALL_SHOP)
    warehouse = premises_at(tree.grid_a1)
    in_shop, _in_warehouse = inspect(shop, actor=people.grid_a), inspect(warehouse, actor=people.grid_a)
    today = timezone.localdate()
    campaign = campaign_open(
        actor=people.village_a,
        data=CampaignInput(
            title="小商店专项", node=tree.village_a, starts_on=today, due_on=today, kinds=[PremisesKind.SMALL_SHOP]
        ),
    )
    listed = api(people.grid_a).get(BASE, {"campaign": campaign.pk}).json()["results"]
    assert [row["id"] for row in listed] == [in_shop.pk]
    assert api(people.village_b).get(BASE, {"campaign": campaign.pk}).status_code == 404


def test_list_query_count(tree, people, django_assert_max_num_queries):
    for n in range(6):
        inspect(premises_at(tree.grid_a1, name=f"仓库{n}"), actor=people.grid_a, inspectors=[people.village_a])
    client = api(people.village_a)
    with django_assert_max_num_queries(4):
        rows = client.get(BASE).json()["results"]
    assert len(rows) == 6 and all(row["inspector_names"] for row in rows)
    with django_assert_max_num_queries(8):
        assert client.get(f"{BASE}/{rows[0]['id']}").status_code == 200
