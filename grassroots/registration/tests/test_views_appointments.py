"""Pages: the public one-time notice, public booking and cancelling, and the
window staff's appointment calendar."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.models import Notification
from grassroots.registration.models import Appointment, Service, Window
from grassroots.registration.services import appointments as svc
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = D(2026, 9, 28)
TUESDAY = D(2026, 9, 29)
PHONE = "13800138000"
NOTICE = "/socialorg/notice/"
BOOK = "/socialorg/book/"
PNE_ANSWERS = {"pne_form": "legal", "direct": "no", "funds_proof": "capital_report", "premises": "owned"}


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


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.WINDOW_STAFF))
    return client


def text(response) -> str:
    return response.content.decode()


def book(catalogue, day=TUESDAY, phone=PHONE, name="王秀兰"):
    return svc.appointment_book(
        slot=catalogue["nine"], date=day, service=catalogue["pne"], name=name, phone=phone, today=MONDAY
    )


# --- One-time notice ---------------------------------------------------------------


def test_url_names():
    assert reverse("registration-public:appt-notice") == NOTICE
    assert reverse("registration-public:appt-notice-pdf") == "/socialorg/notice/pdf/"
    assert reverse("registration-public:appt-template", args=["premises-note"]) == (
        "/socialorg/notice/templates/premises-note/"
    )
    assert reverse("registration-public:appt-book") == BOOK
    assert reverse("registration-public:appt-cancel", args=["abc"]) == "/socialorg/book/cancel/abc/"
    assert reverse("registration:appt-calendar") == "/registration/appointments/"
    assert reverse("registration:appt-mark", args=[3]) == "/registration/appointments/3/mark/"


def test_notice_lists_services_without_login(client, catalogue):
    response = client.get(NOTICE)
    assert response.status_code == 200
    body = text(response)
    for name in ("社会团体成立登记", "民办非企业单位(法人)成立登记", "登记证书换证", "变更登记", "注销登记"):
        assert name in body
    assert "data-largetype-toggle" in body and "registration/largetype.js" in body


def test_notice_questions_then_material_list(client, catalogue):
    questions = client.get(NOTICE, {"service": "pne-establish"})
    assert questions.status_code == 200
    assert "是否属于可直接登记的四类组织?" in text(questions)
    assert text(questions).count('type="radio"') == 3 + 2 + 3 + 4
    result = client.get(NOTICE, {"service": "pne-establish", "go": "1", **PNE_ANSWERS})
    assert result.status_code == 200
    body = text(result)
    assert 'data-testid="material-count">7<' in body
    assert "业务主管单位的批准文件" in body and "可用告知承诺替代" in body
    assert "/socialorg/notice/templates/legal-rep-form/" in body
    assert "/socialorg/notice/pdf/?service=pne-establish" in body
    assert "0533-12345678" in body  # the authority's phone
    assert f"{BOOK}?service=pne-establish" in body


def test_notice_with_missing_answers_keeps_the_others_and_explains(client, catalogue):
    response = client.get(NOTICE, {"service": "pne-establish", "go": "1", "pne_form": "legal", "direct": "maybe"})
    assert response.status_code == 400
    body = text(response)
    assert "“是否属于可直接登记的四类组织?”的回答无效,请从选项中选择。" in body
    assert "请回答:资金用什么证明?" in body
    assert re.search(r'value="legal" checked', body)  # nothing lost
    assert 'data-testid="materials"' not in body


def test_notice_unknown_service_and_renewal_without_questions(client, catalogue):
    unknown = client.get(NOTICE, {"service": "nope"})
    assert unknown.status_code == 400
    assert "没有找到这个事项" in text(unknown)
    renewal = client.get(NOTICE, {"service": "renewal"})
    assert renewal.status_code == 200
    assert "原登记证书(正本、副本)" in text(renewal)
    assert "预约到窗口办理" not in text(renewal)  # no visit: no appointment


def test_notice_pdf(client, catalogue):
    response = client.get("/socialorg/notice/pdf/", {"service": "pne-establish", **PNE_ANSWERS})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment;" in response["Content-Disposition"]
    assert "filename*=UTF-8''%E4%B8%80%E6%AC%A1" in response["Content-Disposition"]  # 一次性告知单…


def test_notice_pdf_with_bad_answers_shows_the_questions(client, catalogue):
    response = client.get("/socialorg/notice/pdf/", {"service": "pne-establish", "pne_form": "legal"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "请回答:是否属于可直接登记的四类组织?" in text(response)
    assert client.get("/socialorg/notice/pdf/").status_code == 400


def test_template_download_and_unknown_template(client, catalogue):
    response = client.get("/socialorg/notice/templates/legal-rep-form/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "attachment;" in response["Content-Disposition"]
    missing = client.get("/socialorg/notice/templates/nope/")
    assert missing.status_code == 404
    assert "没有找到这个文件" in text(missing)


def test_large_type_cookie_renders_the_class_on_the_first_paint(client, catalogue):
    client.cookies["largetype"] = "1"
    body = text(client.get(NOTICE))
    assert re.search(r'<body class="[^"]*large-type', body)
    assert "标准字" in body


# --- Booking --------------------------------------------------------------------


def test_booking_steps(client, catalogue, today):
    services = text(client.get(BOOK))
    assert "民办非企业单位(法人)成立登记" in services and "登记证书换证</span>" not in services
    dates = client.get(BOOK, {"service": "pne-establish"})
    assert dates.status_code == 200
    assert 'data-testid="book-date-2026-10-08"' in text(dates)
    assert "2026-10-01" not in text(dates)  # National Day
    assert "还可预约 26 人" in text(dates)
    slots = client.get(BOOK, {"service": "pne-establish", "date": "2026-09-29"})
    assert 'data-testid="book-slot-0900"' in text(slots) and "余 2 个" in text(slots)
    form = client.get(BOOK, {"service": "pne-establish", "date": "2026-09-29", "slot": catalogue["nine"].pk})
    assert 'data-testid="book-form"' in text(form)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"service": "renewal"}, "不见面办理"),
        ({"service": "pne-establish", "date": "2026-10-01"}, "这一天不能预约"),
        ({"service": "pne-establish", "date": "bad"}, "这一天不能预约"),
        ({"service": "pne-establish", "date": "2026-09-29", "slot": "99999"}, "没有这个时段"),
    ],
)
def test_booking_steps_refuse_bad_choices(client, catalogue, today, query, message):
    response = client.get(BOOK, query)
    assert response.status_code == 400
    assert message in text(response)


def test_booking_confirms_with_code_and_cancel_link(client, catalogue, today, django_capture_on_commit_callbacks):
    url = f"{BOOK}?service=pne-establish&date=2026-09-29&slot={catalogue['nine'].pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "王秀兰", "phone": "138 0013 8000", "note": "年纪大,请帮忙填表"})
    assert response.status_code == 302 and response["Location"] == "/socialorg/book/done/"
    appointment = Appointment.objects.get()
    assert appointment.phone == PHONE and appointment.note == "年纪大,请帮忙填表"
    done = client.get("/socialorg/book/done/")
    body = text(done)
    assert appointment.code in body
    assert "王**" in body and "138****8000" in body and PHONE not in body
    sms = Notification.objects.get(channel=Notification.Channel.SMS)
    assert f'href="{sms.link}"' in body


def test_booking_errors_keep_what_was_typed(client, catalogue, today):
    url = f"{BOOK}?service=pne-establish&date=2026-09-29&slot={catalogue['nine'].pk}"
    response = client.post(url, {"name": "王秀兰", "phone": "1380013"})
    assert response.status_code == 400
    assert "请填写正确的 11 位手机号码。" in text(response)
    assert 'value="王秀兰"' in text(response)
    assert not Appointment.objects.exists()


def test_booking_a_slot_filled_meanwhile(client, catalogue, today):
    url = f"{BOOK}?service=pne-establish&date=2026-09-29&slot={catalogue['nine'].pk}"
    book(catalogue, phone="13900139000")
    book(catalogue, phone="13700137000")
    response = client.post(url, {"name": "王秀兰", "phone": PHONE})
    assert response.status_code == 409
    body = text(response)
    assert "这个时段已经约满了,请选择其他时段。" in body
    assert 'data-testid="choose-other-slot"' in body and 'value="王秀兰"' in body
    assert Appointment.objects.count() == 2
    # The slot step shows it full too.
    assert "已约满" in text(client.get(BOOK, {"service": "pne-establish", "date": "2026-09-29"}))


def test_booking_is_rate_limited(client, catalogue, today, settings):
    url = f"{BOOK}?service=pne-establish&date=2026-09-29&slot={catalogue['nine'].pk}"
    for _ in range(10):
        client.post(url, {"name": "王", "phone": "1"})
    response = client.post(url, {"name": "王秀兰", "phone": PHONE})
    assert response.status_code == 429
    assert 'data-testid="rate-limited"' in text(response)
    assert not Appointment.objects.exists()


def test_done_page_without_a_booking_goes_back_to_booking(client, catalogue):
    response = client.get("/socialorg/book/done/")
    assert response.status_code == 302 and response["Location"] == BOOK


def test_cancel_page_asks_then_cancels(client, catalogue, today):
    appointment, token = book(catalogue)
    url = f"/socialorg/book/cancel/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="cancel-confirm"' in text(page) and appointment.code in text(page)
    assert Appointment.objects.get().status == Appointment.Status.BOOKED  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert Appointment.objects.get().status == Appointment.Status.CANCELLED
    after = client.get(url)
    assert 'data-testid="cancelled"' in text(after) and "预约已取消" in text(after)
    again = client.post(url)
    assert again.status_code == 409 and "这个预约已经取消了。" in text(again)


def test_cancel_with_unknown_token_is_404(client, catalogue):
    response = client.get("/socialorg/book/cancel/" + "A" * 22 + "/")
    assert response.status_code == 404
    assert "没有找到这个预约" in text(response)
    assert client.post("/socialorg/book/cancel/short/").status_code == 404


# --- Staff calendar ---------------------------------------------------------------


def test_calendar_needs_login_and_the_window_role(client, catalogue):
    response = client.get("/registration/appointments/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(role=Role.VILLAGE_STAFF))
    assert client.get("/registration/appointments/").status_code == 403


def test_calendar_day_view_masks_and_offers_actions(staff_client, catalogue, today, django_assert_max_num_queries):
    appointment, _ = book(catalogue)
    book(catalogue, phone="13900139000", name="李建国")
    today["day"] = D(2026, 9, 29)
    with django_assert_max_num_queries(12):
        response = staff_client.get("/registration/appointments/", {"date": "2026-09-29"})
    assert response.status_code == 200
    body = text(response)
    assert "王**" in body and "138****8000" in body and "王秀兰" not in body and PHONE not in body
    assert 'data-testid="calendar-total">2<' in body
    assert f'data-testid="mark-attended-{appointment.code}"' in body
    assert f"?appointment={appointment.pk}" in body
    assert "已约 2/2" in body


def test_calendar_week_view_and_future_bookings(staff_client, catalogue, today, django_assert_max_num_queries):
    for i, day in enumerate((D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10))):
        book(catalogue, day=day, phone=f"1390013900{i}")
    with django_assert_max_num_queries(12):
        response = staff_client.get("/registration/appointments/", {"view": "week", "date": "2026-10-08"})
    body = text(response)
    # The week of 5–11 October: 8, 9 and the make-up Saturday 10 are working days.
    for label in ("2026年10月8日(星期四)", "2026年10月9日(星期五)", "2026年10月10日(星期六)"):
        assert label in body
    assert "2026年10月5日" not in body
    assert 'data-testid="calendar-total">3<' in body
    assert "mark-attended-" not in body  # future: no attendance marks yet
    assert "assist-" in body  # but staff can prepare the forms in advance


def test_calendar_on_a_holiday_warns_and_bad_date_falls_back(staff_client, catalogue, today):
    body = text(staff_client.get("/registration/appointments/", {"date": "2026-10-01"}))
    assert "不是工作日" in body
    response = staff_client.get("/registration/appointments/", {"date": "2026-13-01"}, follow=False)
    assert response.status_code == 200
    assert "日期格式不正确" in text(response)


def test_mark_from_the_calendar(staff_client, catalogue, today):
    appointment, _ = book(catalogue)
    today["day"] = D(2026, 9, 29)
    back = "/registration/appointments/?date=2026-09-29"
    response = staff_client.post(
        f"/registration/appointments/{appointment.pk}/mark/", {"status": "attended", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Appointment.objects.get().status == Appointment.Status.ATTENDED
    bad = staff_client.post(f"/registration/appointments/{appointment.pk}/mark/", {"status": "cancelled"})
    assert bad.status_code == 302
    assert Appointment.objects.get().status == Appointment.Status.ATTENDED
    evil = staff_client.post(
        f"/registration/appointments/{appointment.pk}/mark/", {"status": "no_show", "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/registration/appointments/?date=2026-09-29"
    assert staff_client.post("/registration/appointments/999999/mark/", {"status": "attended"}).status_code == 404


def test_mark_refused_for_other_roles(client, catalogue, today):
    appointment, _ = book(catalogue)
    today["day"] = D(2026, 9, 29)
    client.force_login(UserFactory(role=Role.GRID_WORKER))
    response = client.post(f"/registration/appointments/{appointment.pk}/mark/", {"status": "attended"})
    assert response.status_code == 403
    assert Appointment.objects.get().status == Appointment.Status.BOOKED
    anonymous = Client()
    response = anonymous.post(f"/registration/appointments/{appointment.pk}/mark/", {"status": "attended"})
    assert response.status_code == 302
    assert Appointment.objects.get().status == Appointment.Status.BOOKED
