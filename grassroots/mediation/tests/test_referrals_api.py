"""/api/v1/mediation/referrals: create (grid workers, village staff), list,
accept and return (the centre); anonymous 401, wrong role 403, another
subtree 404, a decided referral 409. Negative answers change nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.mediation.models import DisputeCase, DisputeReferral
from grassroots.mediation.states import ReferralState

from .test_referrals import REASON, refer
from .test_transfer import make_matter

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mediation/referrals"


@pytest.fixture
def api():
    return APIClient()


def _body(target, **overrides):
    body = {"matter": target.pk, "dispute_type": "neighbour", "reason": REASON, "other_party": "王五"}
    body.update(overrides)
    return body


def test_create_by_grid_worker(api, centre):
    matter = make_matter(centre)
    api.force_authenticate(centre.grid_worker)
    response = api.post(BASE, _body(matter, other_party_phone="13912345678"), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "pending" and data["matter"] == matter.pk and data["other_party_phone"] == "139****5678"
    again = api.post(BASE, _body(matter), format="json")
    assert again.status_code == 409 and again.json()["code"] == "referral_pending"
    assert DisputeReferral.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("mediator", 403), ("manager", 403), ("other_mediator", 403)])
def test_create_refused(api, centre, who, status):
    matter = make_matter(centre)
    if who:
        api.force_authenticate(getattr(centre, who))
    assert api.post(BASE, _body(matter), format="json").status_code == status
    assert not DisputeReferral.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "短"}, "reason"),
        ({"dispute_type": "war"}, "dispute_type"),
        ({"matter": 99999999999999999999}, "matter"),
        ({"matter": "abc"}, "matter"),
    ],
)
def test_create_bad_input(api, centre, body, field):
    matter = make_matter(centre)
    api.force_authenticate(centre.grid_worker)
    response = api.post(BASE, _body(matter, **body), format="json")
    assert response.status_code == 400, response.content
    problem = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in problem.get("errors", {}) or problem.get("code") in ("reason_required", "type_invalid")
    assert not DisputeReferral.objects.exists()


def test_other_village_matter_is_404(api, centre):
    matter = make_matter(centre, node=centre.tree.grid_b1)
    api.force_authenticate(centre.grid_worker)
    assert api.post(BASE, _body(matter), format="json").status_code == 404


def test_list_accept_and_return(api, centre, django_assert_max_num_queries):
    first = refer(centre.grid_worker, make_matter(centre))
    second = refer(centre.grid_worker, make_matter(centre, number="SX20260105-0002", tracking_code="ABCDEFGHJM"))
    api.force_authenticate(centre.mediator)
    with django_assert_max_num_queries(6):
        listing = api.get(BASE, {"state": "pending"})
    assert listing.status_code == 200 and listing.json()["count"] == 2
    assert api.get(BASE, {"state": "nonsense"}).status_code == 400

    response = api.post(f"{BASE}/{first.pk}/accept", {"risk_level": "high"}, format="json")
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["source"] == "matter" and case["risk_level"] == "high"
    facts = case["matter_facts"]
    assert facts["number"] == first.matter.number and facts["reporter_phone"] == "138****0000"
    assert facts["referral"]["reason"] == REASON and facts["place"] == "湖田街道 / 西张村 / 第1网格"
    assert api.post(f"{BASE}/{first.pk}/accept", {}, format="json").status_code == 409

    assert api.post(f"{BASE}/{second.pk}/return", {}, format="json").status_code == 400
    response = api.post(f"{BASE}/{second.pk}/return", {"reason": "请补充对方当事人信息。"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert DisputeReferral.objects.get(pk=second.pk).state == ReferralState.RETURNED


@pytest.mark.parametrize(("who", "status"), [("adviser", 403), ("grid_worker", 403), ("other_mediator", 404)])
def test_centre_actions_refused(api, centre, who, status):
    referral = refer(centre.grid_worker, make_matter(centre))
    api.force_authenticate(getattr(centre, who))
    assert api.post(f"{BASE}/{referral.pk}/accept", {}, format="json").status_code == status
    assert api.post(f"{BASE}/{referral.pk}/return", {"reason": "请补充信息。"}, format="json").status_code == status
    if status == 404:
        assert api.get(f"{BASE}/{referral.pk}").status_code == 404
    referral.refresh_from_db()
    assert referral.state == ReferralState.PENDING and not DisputeCase.objects.exists()
