"""Regression (issue 11 item 13): an agreement without `performance_deadline`
is valid under the schema (the field is optional) and was a 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.mediation.models import Agreement, DisputeCase
from grassroots.mediation.states import State

pytestmark = pytest.mark.django_db


def test_an_agreement_without_a_deadline_is_performed_at_once(centre):
    case = centre.case(State.MEDIATING)
    api = APIClient()
    api.force_authenticate(centre.mediator)
    body = {"facts": "楼上渗漏到楼下。", "terms": "赔偿 2000 元。", "performance_method": "当场转账"}
    response = api.post(f"/api/v1/mediation/cases/{case.pk}/agree", body, format="json")
    assert response.status_code == 200, response.content
    agreement = Agreement.objects.get(case=case)
    assert agreement.performance_deadline is None
    assert DisputeCase.objects.get(pk=case.pk).state == State.AGREED


def test_a_case_id_that_is_not_a_bigint_is_404(centre):
    api = APIClient()
    api.force_authenticate(centre.mediator)
    for pk in ("abc", "9" * 20):
        response = api.post(f"/api/v1/mediation/cases/{pk}/agree", {}, format="json")
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
