"""Browser tests of the application form once it exists: window staff correct
it on /registration/applications/<pk>/edit/, and the applicant finds their
application by its tracking code (/socialorg/track/) and corrects it after a
return for correction (补正) at /socialorg/track/<code>/edit/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from grassroots.registration.models import Application
from grassroots.registration.services import applications as apps
from grassroots.registration.services.workflow import format_tracking_code
from grassroots.registration.states import State
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD

from . import support_applications as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_ERROR = "请填写正确的11位手机号码,用于接收办理进度短信。"


def alert_texts(page: Any) -> str:
    return " ".join(page.get_by_role("alert").all_inner_texts())


def test_window_staff_correct_a_draft_and_cannot_touch_a_submitted_one(page, live_server, monkeypatch):
    support.Clock(monkeypatch)
    support.services()
    window = support.staff("window1")
    application = support.draft(window)
    submitted = support.submitted(org_name="湖田书画艺术团")
    login(page, live_server, "window1", DEFAULT_PASSWORD)

    # A submitted application is being reviewed: its form is closed.
    page.goto(f"{live_server.url}/registration/applications/{submitted.pk}/edit/")
    assert page.url.endswith(f"/registration/applications/{submitted.pk}/")
    assert "申请当前为“已提交待初审”,不能修改申请表。" in alert_texts(page)
    assert page.get_by_test_id("edit-application").count() == 0

    page.goto(f"{live_server.url}/registration/applications/{application.pk}/")
    page.get_by_test_id("edit-application").click()
    page.wait_for_url(f"**/registration/applications/{application.pk}/edit/")
    assert page.get_by_role("heading", name="修改申请表").is_visible()
    assert page.get_by_label("拟成立组织名称").input_value() == "湖田颐养服务中心"
    assert page.get_by_label("手机号码").input_value() == support.PHONE
    assert page.get_by_label("不是,或拿不准").is_checked()  # the saved answers are chosen again

    # A wrong phone number: a Chinese message, nothing saved.
    page.get_by_label("拟成立组织名称").fill("湖田康养服务中心")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_test_id("save-application").click()
    page.get_by_test_id("field-error").filter(has_text=PHONE_ERROR).wait_for()
    assert page.get_by_label("拟成立组织名称").input_value() == "湖田康养服务中心"  # the input is kept
    application.refresh_from_db()
    assert application.org_name == "湖田颐养服务中心"
    assert application.applicant_phone == support.PHONE
    assert not application.events.filter(action="update").exists()
    page.screenshot(path=artifact("h7-registration-staff-edit-error.png"), full_page=True)

    page.get_by_label("手机号码").fill("139 0000 1111")
    page.get_by_label("开办(活动)资金(元)").fill("200000")
    page.get_by_test_id("save-application").click()
    page.wait_for_url(f"**/registration/applications/{application.pk}/")
    assert "申请表已修改。" in page.locator("main").inner_text()
    assert page.get_by_test_id("app-title").inner_text() == "湖田康养服务中心"
    facts = page.locator(".app-facts").inner_text()
    assert "200000.00 元" in facts
    assert "139****1111" in page.get_by_test_id("applicant").inner_text()
    assert "修改了申请表。" in page.get_by_test_id("event").last.inner_text()
    application.refresh_from_db()
    assert application.org_name == "湖田康养服务中心"
    assert application.applicant_phone == "13900001111"
    assert application.funds == Decimal("200000")
    assert application.state == State.DRAFT
    submitted.refresh_from_db()
    assert submitted.org_name == "湖田书画艺术团"


def submitted_by_applicant() -> Application:
    """Filed online by the applicant (no staff), the supervising unit's approval left out."""
    application = support.draft(None)
    support.upload_all(application, skip=("supervisor-approval",))
    return apps.application_submit(application=application, confirm_incomplete=True)


def test_applicant_finds_the_application_and_corrects_it_after_a_return(phone_page, live_server, monkeypatch):
    page = phone_page
    support.Clock(monkeypatch)
    support.services()
    window = support.staff("window1")
    application = submitted_by_applicant()
    code = application.tracking_code
    shown_code = format_tracking_code(code)

    # The look-up form: a wrong code is answered in Chinese.
    page.goto(f"{live_server.url}/socialorg/track/")
    page.get_by_label("查询码").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="查询").click()
    error = page.get_by_test_id("lookup-error")
    assert error.inner_text() == "没有找到这个查询码,请核对后重新输入。"
    assert page.get_by_label("查询码").input_value() == "ABCD-EFGH-JKMN"
    page.screenshot(path=artifact("h7-registration-track-lookup-error.png"), full_page=True)

    # The right code, typed in lower case without dashes, leads to the application.
    page.get_by_label("查询码").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/socialorg/track/{code}/")
    assert page.get_by_test_id("tracking-code").inner_text() == shown_code
    assert page.get_by_test_id("app-title").inner_text() == "湖田颐养服务中心"
    assert page.get_by_role("link", name="修改申请表").count() == 0

    # While the window reviews it the form cannot be changed, even by its address.
    page.goto(f"{live_server.url}/socialorg/track/{code}/edit/")
    page.wait_for_url(f"**/socialorg/track/{code}/")
    assert "申请已提交,正在审查,暂不能修改。" in alert_texts(page)

    # The window returns it for correction (补正): now the applicant may edit.
    support.review_all_ok(application, window)
    apps.application_return(actor=window, application=application)
    page.reload()
    assert "业务主管单位" in page.get_by_test_id("return-notice").inner_text()
    page.get_by_role("link", name="修改申请表").click()
    page.wait_for_url(f"**/socialorg/track/{code}/edit/")
    assert page.get_by_label("拟成立组织名称").input_value() == "湖田颐养服务中心"

    page.get_by_label("拟成立组织名称").fill("湖田颐康服务中心")
    page.get_by_label("手机号码").fill("1380013")
    page.get_by_test_id("save-application").click()
    page.get_by_test_id("form-errors").wait_for()
    assert page.get_by_test_id("form-errors").inner_text() == "请按红字提示修改后再保存。"
    assert PHONE_ERROR in page.get_by_test_id("field-error").first.inner_text()
    application.refresh_from_db()
    assert application.org_name == "湖田颐养服务中心"
    assert application.applicant_phone == support.PHONE
    page.screenshot(path=artifact("h7-registration-public-edit-error.png"), full_page=True)

    page.get_by_label("手机号码").fill("13900139000")
    page.get_by_role("textbox", name="业务主管单位").fill("张店区卫生健康局")
    page.get_by_test_id("save-application").click()
    page.wait_for_url(f"**/socialorg/track/{code}/")
    assert "申请表已修改。" in page.locator("main").inner_text()
    assert page.get_by_test_id("app-title").inner_text() == "湖田颐康服务中心"
    assert "修改了申请表。" in " ".join(page.get_by_test_id("event").all_inner_texts())
    assert page.get_by_test_id("resubmit").is_visible()  # still returned: correct the materials, then resubmit
    page.screenshot(path=artifact("h7-registration-public-edited.png"), full_page=True)
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert application.org_name == "湖田颐康服务中心"
    assert application.applicant_phone == "13900139000"
    assert application.supervising_unit == "张店区卫生健康局"
    assert application.events.filter(action="update", actor__isnull=True).count() == 1
