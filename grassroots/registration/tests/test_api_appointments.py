"""API under /api/v1/registration/: catalogue, notice, dates, slots, booking,
cancelling, and the staff list and marks — success, bad input, roles."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.registration.models import Appointment, Service, Window
from grassroots.registration.services import appointments as svc
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = D(2026, 9, 28)
TUESDAY = D(2026, 9, 29)
PHONE = "13800138000"
BASE = "/api/v1/registration/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def today(monkeypatch):
    holder = {"day": MONDAY}
    monkeypatch.setattr(svc, "local_today", lambda: holder["day"])
    return holder


@pytest.fixture
def catalogue(db):
    seed_catalogue()
    window = Window.objects.get()
    return {
        "pne": Service.objects.get(code="pne-establish"),
        "window": window,
        "nine": window.slot_templates.get(start_time=datetime.time(9, 0)),
    }


def book(catalogue, day=TUESDAY, phone=PHONE):
    return svc.appointment_book(
        slot=catalogue["nine"], date=day, service=catalogue["pne"], name="王秀兰", phone=phone, today=MONDAY
    )


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_url_names():
    assert reverse("api:appt-services") == BASE + "services"
    assert reverse("api:appt-notice") == BASE + "notice"
    assert reverse("api:appt-dates") == BASE + "appointment-dates"
    assert reverse("api:appt-slots") == BASE + "slots"
    assert reverse("api:appt-appointments") == BASE + "appointments"
    assert reverse("api:appt-cancel") == BASE + "appointments/cancel"
    assert reverse("api:appt-attended", args=[1]) == BASE + "appointments/1/attended"
    assert reverse("api:appt-no-show", args=[1]) == BASE + "appointments/1/no-show"


# --- Catalogue and notice ------------------------------------------------------------


def test_services_are_public_with_questions_and_requirements(api, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = api.get(BASE + "services").json()
    by_code = {s["code"]: s for s in body}
    pne = by_code["pne-establish"]
    assert [q["key"] for q in pne["questions"]] == ["pne_form", "direct", "funds_proof", "premises"]
    capital = next(r for r in pne["requirements"] if r["code"] == "capital-report")
    assert capital["commitment_replaceable"] is True
    assert capital["conditions"] == {"funds_proof": ["capital_report"]}
    charter = next(r for r in pne["requirements"] if r["code"] == "charter")
    assert charter["template_url"] == "/socialorg/notice/templates/model-charter-pne/"
    assert by_code["renewal"]["no_visit"] is True and by_code["renewal"]["questions"] == []


def test_notice_returns_the_materials_for_the_answers(api, catalogue):
    response = api.post(
        BASE + "notice",
        {
            "service": "pne-establish",
            "answers": {"pne_form": "legal", "direct": "yes", "funds_proof": "commitment", "premises": "owned"},
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    codes = [r["code"] for r in body["requirements"]]
    assert "funds-commitment" in codes and "supervisor-approval" not in codes and "capital-report" not in codes
    assert body["answers"]["needs_supervisor"] is False
    assert body["pdf_url"].startswith("/socialorg/notice/pdf/?service=pne-establish")
    assert any("告知承诺" in note for note in body["notes"])


def test_notice_bad_input(api, catalogue):
    missing = problem(api.post(BASE + "notice", {"service": "pne-establish", "answers": {}}, format="json"), 400)
    assert set(missing["errors"]["answers"]) == {"pne_form", "direct", "funds_proof", "premises"}
    assert missing["errors"]["answers"]["direct"] == "请回答:是否属于可直接登记的四类组织?"
    unknown = problem(api.post(BASE + "notice", {"service": "nope"}, format="json"), 400)
    assert unknown["errors"]["service"] == ["没有这个事项。"]
    assert problem(api.post(BASE + "notice", {}, format="json"), 400)["code"] == "invalid"


# --- Dates and slots -----------------------------------------------------------------


def test_dates_and_slots(api, catalogue, today):
    dates = api.get(BASE + "appointment-dates").json()
    assert [d["date"] for d in dates][:3] == ["2026-09-29", "2026-09-30", "2026-10-08"]
    book(catalogue)
    slots = api.get(BASE + "slots", {"date": "2026-09-29"}).json()
    assert len(slots) == 13
    assert slots[0] == {
        "slot": catalogue["nine"].pk,
        "window": catalogue["window"].pk,
        "window_name": "社会组织登记窗口",
        "start": "09:00",
        "end": "09:30",
        "capacity": 2,
        "remaining": 1,
    }
    assert api.get(BASE + "slots", {"date": "2026-10-01"}).json() == []


def test_slots_bad_input(api, catalogue):
    assert problem(api.get(BASE + "slots"), 400)["errors"]["date"] == ["请提供日期(YYYY-MM-DD)。"]
    assert problem(api.get(BASE + "slots", {"date": "29/09/2026"}), 400)["errors"]["date"] == [
        "日期格式应为 YYYY-MM-DD。"
    ]


# --- Booking and cancelling -------------------------------------------------------------


def booking(catalogue, **overrides):
    return {
        "service": "pne-establish",
        "date": "2026-09-29",
        "slot": catalogue["nine"].pk,
        "name": "王秀兰",
        "phone": PHONE,
        **overrides,
    }


def test_booking_is_public_and_answers_masked_with_the_token(api, catalogue, today):
    response = api.post(BASE + "appointments", booking(catalogue), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    appointment = Appointment.objects.get()
    assert body["code"] == appointment.code
    assert body["name"] == "王**" and body["phone"] == "138****8000"
    assert body["cancel_url"] == f"/socialorg/book/cancel/{body['cancel_token']}/"
    assert svc.appointment_for_token(token=body["cancel_token"]) == appointment


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2026-10-01"}, "date"),
        ({"date": "tomorrow"}, "date"),
        ({"phone": "123"}, "phone"),
        ({"name": ""}, "name"),
        ({"service": "nope"}, "service"),
        ({"slot": 999999}, "slot"),
    ],
)
def test_booking_bad_input(api, catalogue, today, overrides, field):
    body = problem(api.post(BASE + "appointments", booking(catalogue, **overrides), format="json"), 400)
    assert body.get("field") == field or field in body.get("errors", {})
    assert not Appointment.objects.exists()


def test_booking_a_full_slot_is_a_conflict(api, catalogue, today):
    book(catalogue, phone="13900139000")
    book(catalogue, phone="13700137000")
    body = problem(api.post(BASE + "appointments", booking(catalogue), format="json"), 409)
    assert body["code"] == "appointment_slot_full" and body["detail"] == "这个时段已经约满了,请选择其他时段。"
    assert Appointment.objects.count() == 2


def test_booking_is_rate_limited(api, catalogue, today):
    for _ in range(10):
        api.post(BASE + "appointments", booking(catalogue, phone="1"), format="json")
    body = problem(api.post(BASE + "appointments", booking(catalogue), format="json"), 429)
    assert body["title"] == "请求过于频繁"
    assert not Appointment.objects.exists()


def test_cancel_by_token(api, catalogue, today):
    _appointment, token = book(catalogue)
    response = api.post(BASE + "appointments/cancel", {"token": token}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Appointment.objects.get().status == Appointment.Status.CANCELLED
    assert problem(api.post(BASE + "appointments/cancel", {"token": token}, format="json"), 409)["code"] == (
        "appointment_already_cancelled"
    )


def test_cancel_unknown_token_is_404_and_missing_token_400(api, catalogue, today):
    book(catalogue)
    assert problem(api.post(BASE + "appointments/cancel", {"token": "A" * 22}, format="json"), 404)["code"] == (
        "not_found"
    )
    problem(api.post(BASE + "appointments/cancel", {}, format="json"), 400)
    assert Appointment.objects.get().status == Appointment.Status.BOOKED


# --- Staff ------------------------------------------------------------------------


def test_staff_list_roles(api, catalogue, today):
    book(catalogue)
    assert problem(api.get(BASE + "appointments", {"date": "2026-09-29"}), 401)["title"] == "需要登录"
    api.force_authenticate(UserFactory(role=Role.SUBDISTRICT_STAFF))
    problem(api.get(BASE + "appointments", {"date": "2026-09-29"}), 403)


def test_staff_list_is_masked_and_filtered(api, catalogue, today, django_assert_max_num_queries):
    book(catalogue)
    book(catalogue, day=D(2026, 9, 30), phone="13900139000")
    api.force_authenticate(UserFactory(role=Role.WINDOW_STAFF))
    with django_assert_max_num_queries(4):
        body = api.get(BASE + "appointments", {"date": "2026-09-29", "end": "2026-09-30"}).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["name"] == "王**" and first["phone"] == "138****8000"
    assert first["date"] == "2026-09-29" and first["start"] == "09:00"
    assert api.get(BASE + "appointments", {"date": "2026-09-30"}).json()["count"] == 1
    assert api.get(BASE + "appointments", {"date": "2026-09-29", "status": "cancelled"}).json()["count"] == 0
    today["day"] = D(2026, 9, 30)
    assert api.get(BASE + "appointments").json()["count"] == 1  # default: today


@pytest.mark.parametrize(
    "query",
    [
        {"date": "bad"},
        {"date": "2026-09-29", "end": "2026-09-01"},
        {"date": "2026-09-01", "end": "2026-12-01"},
        {"window": "x"},
        {"status": "gone"},
    ],
)
def test_staff_list_bad_input(api, catalogue, today, query):
    api.force_authenticate(UserFactory(role=Role.WINDOW_STAFF))
    problem(api.get(BASE + "appointments", query), 400)


def test_staff_marks(api, catalogue, today):
    appointment, _ = book(catalogue)
    today["day"] = D(2026, 9, 29)
    url = BASE + f"appointments/{appointment.pk}/attended"
    assert problem(api.post(url), 401)
    api.force_authenticate(UserFactory(role=Role.GRID_WORKER))
    problem(api.post(url), 403)
    assert Appointment.objects.get().status == Appointment.Status.BOOKED
    api.force_authenticate(UserFactory(role=Role.WINDOW_STAFF))
    response = api.post(url)
    assert response.status_code == 200 and response.json()["status"] == "attended"
    assert problem(api.post(url), 409)["code"] == "appointment_mark_same"
    response = api.post(BASE + f"appointments/{appointment.pk}/no-show")
    assert response.status_code == 200 and response.json()["status_display"] == "未到场"
    assert problem(api.post(BASE + "appointments/999999/attended"), 404)["detail"] == "未找到这个预约。"


def test_staff_mark_before_the_day_is_a_conflict(api, catalogue, today):
    appointment, _ = book(catalogue)
    api.force_authenticate(UserFactory(role=Role.WINDOW_STAFF))
    body = problem(api.post(BASE + f"appointments/{appointment.pk}/no-show"), 409)
    assert body["detail"] == "预约日期还没到,不能标记到场情况。"
    assert Appointment.objects.get().status == Appointment.Status.BOOKED


def test_openapi_schema_lists_the_endpoints(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    for path in ("services", "notice", "slots", "appointments", "appointments/{id}/attended"):
        assert f"/api/v1/registration/{path}" in schema["paths"]
