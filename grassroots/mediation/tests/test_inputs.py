"""A page and its API twin give the service the same input (one mapping,
`core.inputs.input_from`, or fields named after the service's arguments):
registering a case, adding a party, referring a matter, logging a
consultation."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.mediation.models import Consultation, DisputeCase, DisputeReferral
from grassroots.mediation.services import cases, consultations, referrals

from .conftest import RESPONDENT_ID
from .test_referrals import REASON
from .test_transfer import make_matter

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mediation"

CASE = {
    "source": "police",
    "source_reference": "张公湖田警移〔2026〕030号",
    "title": "宠物犬咬伤行人",
    "description": "居民遛狗未拴绳,咬伤路过老人。",
    "dispute_type": "other",
    "location": "湖田小区3号楼",
    "amount": "1200",
    "risk_level": "medium",
    "risk_note": "双方情绪激动",
}
APPLICANT = {"side": "applicant", "kind": "person", "name": "李老汉", "phone": "13700001111"}
RESPONDENT = {"side": "respondent", "kind": "person", "name": "赵犬主", "id_number": RESPONDENT_ID}


def _captured(module: Any, target: str) -> tuple[Any, list[Any]]:
    """Patch service `target` of `module` to record the input it was given
    (a copy: the service normalises it in place) and then run as usual."""
    seen: list[Any] = []
    real = getattr(module, target)

    def record(**kwargs: Any) -> Any:
        seen.append(copy.deepcopy(kwargs["data"]))
        return real(**kwargs)

    return mock.patch.object(module, target, side_effect=record), seen


def _clients(user: Any) -> tuple[Client, APIClient]:
    """The same user on the pages and on the API."""
    page = Client()
    page.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return page, api


def test_case_registration_page_and_api_build_the_same_input(centre):
    page, api = _clients(centre.manager)
    form = {
        **CASE,
        "node": centre.tree.grid_a1.pk,
        "escalation_risk": "on",
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "3",
        **{f"party-0-{k}": v for k, v in APPLICANT.items()},
        **{f"party-1-{k}": v for k, v in RESPONDENT.items()},
    }
    body = {
        **CASE,
        "node": centre.tree.grid_a1.pk,
        "escalation_risk": True,
        "parties": [APPLICANT, RESPONDENT],
    }
    patch, seen = _captured(cases, "dispute_register")
    with patch:
        assert page.post(reverse("mediation:register"), form).status_code == 302
        assert api.post(f"{BASE}/cases", body, format="json").status_code == 201
    from_page, from_api = seen
    assert from_page == from_api
    assert from_page.escalation_risk is True and len(from_page.parties) == 2
    assert DisputeCase.objects.count() == 2


def test_adding_a_party_page_and_api_build_the_same_input(centre):
    case = centre.case()
    party = {"side": "respondent", "kind": "organisation", "name": "湖田物业公司", "credit_code": ""}
    party |= {"representative": "孙经理", "address": "湖田街道1号", "phone": "05332345678"}
    page, api = _clients(centre.manager)
    patch, seen = _captured(cases, "party_add")
    with patch:
        assert page.post(reverse("mediation:case-action", args=[case.pk, "party"]), party).status_code == 302
        assert api.post(f"{BASE}/cases/{case.pk}/parties", party, format="json").status_code == 200
    from_page, from_api = seen
    assert from_page == from_api
    assert from_page.name == "湖田物业公司" and from_page.representative == "孙经理"
    assert case.parties.filter(name="湖田物业公司").count() == 2


def test_referring_a_matter_page_and_api_build_the_same_input(centre):
    first = make_matter(centre)
    second = make_matter(centre, number="SX20260105-0002", tracking_code="ABCDEFGHJM")
    referral = {
        "dispute_type": "neighbour",
        "reason": REASON,
        "other_party": "王五",
        "other_party_phone": "13912345678",
    }
    page, api = _clients(centre.grid_worker)
    patch, seen = _captured(referrals, "referral_create")
    with patch:
        form = {**referral, "escalation_risk": "on"}
        assert page.post(reverse("mediation:refer", args=[first.pk]), form).status_code == 302
        body = {**referral, "escalation_risk": True, "matter": second.pk}
        assert api.post(f"{BASE}/referrals", body, format="json").status_code == 201
    from_page, from_api = seen
    assert from_page == from_api
    assert from_page.escalation_risk is True and from_page.other_party == "王五"
    assert DisputeReferral.objects.count() == 2


def test_logging_a_consultation_page_and_api_give_the_same_arguments(centre):
    consultation = {
        "grid": centre.tree.grid_a1.pk,
        "consulted_on": timezone.localdate().isoformat(),
        "category": "family",
        "topic": "赡养费标准",
        "asker_name": "王秀兰",
        "advice": "按子女负担能力和当地生活水平协商确定。",
    }
    page, api = _clients(centre.adviser)
    with mock.patch.object(consultations, "consultation_log", wraps=consultations.consultation_log) as log:
        assert page.post(reverse("mediation:grids"), consultation).status_code == 302
        assert api.post(f"{BASE}/consultations", consultation, format="json").status_code == 201
    from_page, from_api = (call.kwargs for call in log.call_args_list)
    assert from_page == from_api
    assert from_page["grid"] == centre.tree.grid_a1 and from_page["topic"] == "赡养费标准"
    assert Consultation.objects.count() == 2
