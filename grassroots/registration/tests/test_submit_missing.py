"""Submitting with materials missing: the applicant (or window staff) is told
which ones before the application goes in, and it goes in only on an explicit
confirmation. 《行政许可法》第三十二条 obliges the authority to receive an
incomplete application and to list every gap once, so the application is not
blocked; it must not go in unnoticed either. Page and API alike; nothing
changes without the confirmation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.registration.models import Application
from grassroots.registration.services import applications as apps
from grassroots.registration.services.applications import MaterialsMissing
from grassroots.registration.states import State

from . import support_applications as s

pytestmark = pytest.mark.django_db
SKIP = ("supervisor-approval", "premises-title")


@pytest.fixture
def clock(monkeypatch):
    return s.Clock(monkeypatch)


def _incomplete() -> Application:
    application = s.draft()
    s.upload_all(application, skip=SKIP)
    return application


# --- Service -----------------------------------------------------------------------


def test_submit_with_missing_materials_needs_a_confirmation(clock):
    application = _incomplete()
    with pytest.raises(MaterialsMissing) as caught:
        apps.application_submit(application=application)
    assert caught.value.status == 409
    assert caught.value.code == "materials_missing"
    assert caught.value.missing == ["业务主管单位的批准文件", "住所(场所)产权证明"]
    assert "业务主管单位的批准文件、住所(场所)产权证明" in caught.value.message
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.submitted_at is None
    assert not application.events.filter(action="submit").exists()

    apps.application_submit(application=application, confirm_incomplete=True)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    event = application.events.get(action="submit")
    assert event.data["missing"] == ["业务主管单位的批准文件", "住所(场所)产权证明"]
    assert "确认缺少" in event.text


def test_complete_application_submits_without_confirmation(clock):
    application = s.draft()
    s.upload_all(application)
    apps.application_submit(application=application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.events.get(action="submit").data.get("missing") == []


def test_resubmit_still_missing_a_returned_item_needs_a_confirmation(clock):
    window = s.staff()
    application = s.returned(window, skip=("supervisor-approval",))
    with pytest.raises(MaterialsMissing) as caught:
        apps.application_resubmit(application=application)
    assert caught.value.missing == ["业务主管单位的批准文件"]
    requirement = application.service.requirements.get(code="supervisor-approval")
    apps.material_upload(application=application, requirement=requirement, file=s.pdf("批准文件.pdf"))
    apps.application_resubmit(application=application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


# --- Applicant's page ----------------------------------------------------------------


def test_tracking_page_lists_the_missing_materials_before_submitting(client, clock):
    application = _incomplete()
    url = reverse("registration-public:app-track", args=[application.tracking_code])
    html = client.get(url).content.decode()
    assert 'data-testid="missing-materials"' in html
    assert "业务主管单位的批准文件" in html and "住所(场所)产权证明" in html
    assert 'name="confirm_incomplete"' in html
    assert "材料已备齐,提交申请" not in html

    submit = reverse("registration-public:app-public-action", args=[application.tracking_code, "submit"])
    response = client.post(submit, {})
    assert response.status_code == 409
    assert "以下材料还没有上传" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT

    response = client.post(submit, {"confirm_incomplete": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_complete_application_page_has_no_warning(client, clock):
    application = s.draft()
    s.upload_all(application)
    html = client.get(reverse("registration-public:app-track", args=[application.tracking_code])).content.decode()
    assert 'data-testid="missing-materials"' not in html
    assert "材料已备齐,提交申请" in html
    assert 'name="confirm_incomplete"' not in html


# --- Window staff's page ------------------------------------------------------------


def test_staff_submit_on_behalf_warns_the_same_way(client, clock):
    window = s.staff()
    application = s.draft(window)
    s.upload_all(application, actor=window, skip=SKIP)
    client.force_login(window)
    html = client.get(reverse("registration:app-detail", args=[application.pk])).content.decode()
    assert 'data-testid="missing-materials"' in html
    url = reverse("registration:app-action", args=[application.pk, "submit"])
    response = client.post(url, {}, headers={"HX-Request": "true"})
    assert "以下材料还没有上传" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT
    client.post(url, {"submit-confirm_incomplete": "on"})
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


# --- API -----------------------------------------------------------------------------


def test_public_api_answers_409_with_the_missing_list(clock):
    application = _incomplete()
    api = APIClient()
    url = reverse("api:app-public-submit", args=[application.tracking_code])
    response = api.post(url, {}, format="json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "materials_missing"
    assert response.json()["missing"] == ["业务主管单位的批准文件", "住所(场所)产权证明"]
    application.refresh_from_db()
    assert application.state == State.DRAFT
    response = api.post(url, {"confirm_incomplete": True}, format="json")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_staff_api_needs_the_confirmation_too(clock):
    window = s.staff()
    application = s.draft(window)
    s.upload_all(application, actor=window, skip=SKIP)
    api = APIClient()
    api.force_authenticate(window)
    url = reverse("api:app-submit", args=[application.pk])
    assert api.post(url, {}, format="json").status_code == 409
    assert api.post(url, {"confirm_incomplete": True}, format="json").status_code == 200
