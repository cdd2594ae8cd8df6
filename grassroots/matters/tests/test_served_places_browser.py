"""After a city-wide division import, on a phone: the resident chooses the
township, then one of its served villages (the right 于家村 of two), and
reports; the notices portal chooses the township the same way (ADR 0021)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.regions.tests.test_service_area import import_sample
from grassroots.testing.browser import ARTIFACTS
from grassroots.testing.factories import UserFactory

from .test_browser_public import htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HUTIAN, ZHONGBU, ZHONGBU_YUJIA, LUOCUN_YUJIA = "370303003000", "370303105000", "370303105203", "370302114220"


def test_township_then_village_on_a_phone(phone_page, live_server, transactional_db):
    zibo = import_sample()
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[HUTIAN])
    UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=zibo[ZHONGBU])
    page = phone_page
    page.goto(f"{live_server.url}/report/")
    expect(page.locator("#id_village")).to_be_disabled()
    expect(page.locator("#id_township option")).to_have_text(["请选择街道(乡镇)", "湖田街道", "中埠镇"])
    page.locator("#id_township").select_option(label="中埠镇")
    htmx_idle(page)
    expect(page.locator("#id_village")).to_be_enabled()
    expect(page.locator("#id_village option")).to_have_text(["请选择村/社区", "铁山社区", "铁冶村", "于家村", "郭家村"])
    page.locator("#id_village").select_option(label="于家村")
    htmx_idle(page)
    page.get_by_role("textbox", name="标题", exact=True).fill("村口路灯不亮")
    page.get_by_label("具体情况").fill("于家村村口的路灯坏了一个星期,晚上出行不便。")
    page.get_by_role("textbox", name="手机号", exact=True).fill("13812345678")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"页面在手机上横向溢出({width}px)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-township-village-phone.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("您的查询码")).to_be_visible()
    matter = Matter.objects.get()
    assert matter.node == zibo[ZHONGBU_YUJIA] and matter.node != zibo[LUOCUN_YUJIA]

    page.goto(f"{live_server.url}/notices/")
    expect(page.get_by_test_id("choose-township-hint")).to_be_visible()
    page.locator("#id_township").select_option(label="中埠镇")  # submits itself (portal.js)
    expect(page.get_by_test_id("villages").get_by_role("link")).to_have_text(["铁山社区", "铁冶村", "于家村", "郭家村"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"公示栏在手机上横向溢出({width}px)"
