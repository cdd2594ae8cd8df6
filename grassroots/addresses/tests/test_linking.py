"""Households point to a verified address: the text match (services and
the data migration 0002), the list of those not linked, the command, and
the demo register on the small tree."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Household

from ..demo import generate_demo_addresses
from ..models import Address, Campaign
from ..services.linking import households_link, link_key
from ..states import State
from .support import room


def test_link_key_reads_old_spellings():
    assert link_key("湖田街道西张村 3号楼 1单元 101室") == link_key("湖田街道西张村3栋1单元101室")
    assert link_key("３幢") == "3栋"


@pytest.mark.django_db
def test_households_link_by_text_and_list_the_rest(tree, people, client):
    # The small tree's households read "1单元101室" (no place): only the full form links.
    unit = tree.unit_a1
    room(unit, "101", building="1")
    linked = Household.objects.create(unit=unit, room="102", address="湖田街道西张村 1号楼1单元102室")
    room(unit, "102", building="1")
    report = households_link(actor=SYSTEM)
    linked.refresh_from_db()
    assert linked.standard_address is not None
    assert linked.standard_address.full_text == "湖田街道西张村建设路18号1栋1单元102室"
    assert report.linked == 1 and {h.address for h in report.unlinked} == {"1单元101室"}
    client.force_login(people.street)
    page = client.get(reverse("addresses:households")).content.decode()
    assert page.count('data-testid="household"') == 2 and "1单元101室" in page
    out = io.StringIO()
    call_command("link_households", stdout=out)
    assert "未能关联 2 户" in out.getvalue()


@pytest.mark.django_db
def test_demo_register_on_the_small_tree(tree, people):
    report = generate_demo_addresses()
    assert report.created and report.addresses == Address.objects.count()
    # 4 buildings, 4 units, 2 households.
    assert report.addresses == 10 and report.households_linked == 0
    campaign = Campaign.objects.get()
    assert campaign.batches.count() == 4
    assert Address.objects.filter(state=State.COLLECTED).exists() or report.collected
    assert not generate_demo_addresses().created


BEFORE = [("addresses", "0001_initial"), ("regions", "0002_household_standard_address")]
AFTER = [("addresses", "0002_link_households")]


@pytest.mark.django_db(transaction=True)
def test_migration_links_matching_households():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Node = apps.get_model("regions", "Node")
    Old = apps.get_model("regions", "Household")
    OldAddress = apps.get_model("addresses", "Address")
    Node.objects.create(path="0001", depth=1, numchild=1, name="湖田街道", level=1, code="370303003000")
    Node.objects.create(
        path="00010001", depth=2, numchild=1, name="西张村委会", short_name="西张村", level=2, code="370303003206"
    )
    unit = Node.objects.create(path="000100010001", depth=3, numchild=0, name="1单元", level=5)
    common = {"node": unit, "path": unit.path, "kind": "room", "division_code": "370303003206", "road": "建设路"}
    target = OldAddress.objects.create(
        door_number="18",
        building="3",
        unit="1",
        room="101",
        full_text="湖田街道西张村建设路18号3栋1单元101室",
        **common,
    )
    match = Old.objects.create(unit=unit, path=unit.path, room="101", address="湖田街道西张村3号楼1单元101室")
    miss = Old.objects.create(unit=unit, path=unit.path, room="909", address="湖田街道西张村3号楼1单元909室")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    New = executor.loader.project_state(AFTER).apps.get_model("regions", "Household")
    assert New.objects.get(pk=match.pk).standard_address_id == target.pk
    assert New.objects.get(pk=miss.pk).standard_address_id is None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
