"""Audit rows written by services that never see the request still carry the
client address and the request id (ADR 0027): evaluation sessions and
registration certificates, through their APIs."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.core.audit import Action, audit_record
from grassroots.core.models import AuditEntry
from grassroots.core.request_context import RequestContext, _current, current_request_context
from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.tests.conftest import world  # noqa: F401 - the evaluation fixture
from grassroots.registration.models import Organisation
from grassroots.registration.tests.certificate_support import catalogue, registered, window_user

pytestmark = pytest.mark.django_db

CLIENT = "203.0.113.7"


def test_a_service_audit_row_takes_the_address_from_the_request_context():
    token = _current.set(RequestContext(ip=CLIENT, request_id="r" * 32))
    try:
        entry = audit_record(action=Action.UPDATE, object_type="x", object_id=1)
        explicit = audit_record(action=Action.UPDATE, object_type="x", object_id=2, ip="10.0.0.1")
    finally:
        _current.reset(token)
    assert (entry.ip, entry.detail) == (CLIENT, {"request_id": "r" * 32})
    assert explicit.ip == "10.0.0.1"  # an explicit address still wins
    assert current_request_context() is None
    assert audit_record(action=Action.UPDATE, object_type="x", object_id=3).ip is None  # no request, no address


def test_evaluation_session_audit_rows_carry_the_client_address(world):  # noqa: F811
    api = APIClient(REMOTE_ADDR=CLIENT)
    api.force_authenticate(world.staff)
    created = api.post(
        "/api/v1/evaluation/sessions", {"village": world.tree.village_a.pk, "month": "2026-05"}, format="json"
    )
    assert created.status_code == 201
    session = AppraisalSession.objects.get()
    api.force_authenticate(world.street)
    assert api.post(f"/api/v1/evaluation/sessions/{session.pk}/freeze", {}, format="json").status_code == 200

    rows = AuditEntry.objects.filter(object_type="evaluation.AppraisalSession", object_id=str(session.pk))
    assert rows.count() >= 2
    assert set(rows.values_list("ip", flat=True)) == {CLIENT}
    assert all(row.detail.get("request_id") for row in rows)


def test_certificate_audit_rows_carry_the_client_address():
    catalogue()
    staff = window_user()
    certificate = registered(actor=staff, org_name="淄博高新区体育协会", field="体育")
    organisation = certificate.organisation
    api = APIClient(REMOTE_ADDR=CLIENT)
    api.force_authenticate(staff)
    response = api.post(
        f"/api/v1/registration/organisations/{organisation.pk}/revoke", {"reason": "告知承诺不实"}, format="json"
    )
    assert response.status_code == 200

    revoked = AuditEntry.objects.get(object_type=Organisation._meta.label, object_id=str(organisation.pk))
    assert revoked.ip == CLIENT
    assert revoked.detail["request_id"] == response["X-Request-ID"]
