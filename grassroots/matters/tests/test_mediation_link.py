"""The matter page links to the mediation centre: a transfer button for
centre staff while the matter is open, then a link to the dispute case."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.matters.models import Channel
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.mediation.services.cases import dispute_from_matter

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def _matter(tree):
    matter, _created = matter_create(
        data=MatterInput(
            node=tree.unit_a1, title="邻里漏水纠纷", description="楼上漏水,双方协商不成", channel=Channel.HOTLINE
        )
    )
    return matter


def test_transfer_button_then_case_link(client, tree, make_user):
    matter = _matter(tree)
    staff = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
    client.force_login(staff)
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert f"/mediation/transfer/{matter.pk}/" in html
    case = dispute_from_matter(actor=staff, matter=matter)
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-testid="dispute-link"' in html
    assert case.number in html
    assert f"/mediation/transfer/{matter.pk}/" not in html


def test_no_transfer_button_without_capability(client, tree, make_user):
    matter = _matter(tree)
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "transfer-to-mediation" not in html
