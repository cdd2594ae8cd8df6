"""Take the README's screenshots from a running demo (`./run demo`).

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
Writes PNG files to docs/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django_otp.oath import TOTP
from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PASSWORD = "Hutian@2026"  # noqa: S105 - the public demo password
# The demo's public second-factor key (accounts.demo.DEMO_TOTP_KEY, ADR 0058).
DEMO_TOTP_KEY = b"Hutian-demo-2026-otp"
_logins: dict[str, int] = {}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "locale": "zh-CN"}


def login(page: Any, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    if "/two-factor/verify/" in page.url:
        # A code is used once: a second login of the same account takes the next step's code.
        step = _logins[username] = _logins.get(username, -1) + 1
        totp = TOTP(DEMO_TOTP_KEY)
        totp.time = totp.time + 30 * step
        page.get_by_label("验证码").fill(f"{totp.token():06d}")
        page.get_by_role("button", name="验证").click()
        page.wait_for_load_state("networkidle")


def shot(page: Any, path: str, name: str, *, full: bool = True) -> None:
    page.goto(BASE + path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}.png", full_page=full)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

        page = browser.new_context(**DESKTOP).new_page()
        shot(page, "/", "public-home")
        shot(page, "/accounts/login/", "login", full=False)
        shot(page, "/socialorg/notice/", "registration-notice")
        shot(page, "/socialorg/directory/", "registration-directory")
        login(page, "street")
        shot(page, "/accounts/home/", "home-subdistrict")
        shot(page, "/regions/", "tree-subdistrict")
        shot(page, "/regions/residents/", "residents")
        shot(page, "/matters/", "matters-queue")
        page.goto(BASE + "/matters/?state=handling")
        href = page.locator("[data-testid=queue-row] a").first.get_attribute("href")
        shot(page, str(href), "matter-detail")
        shot(page, "/mediation/", "mediation-queue")
        shot(page, "/mediation/stats/", "mediation-stats")
        shot(page, "/publicity/", "publicity-staff")
        shot(page, "/evaluation/ranking/", "ranking")
        shot(page, "/dashboards/", "dashboard-subdistrict")
        wall = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
        login(wall, "street")
        wall.goto(BASE + "/bigscreen/screen/")
        wall.wait_for_timeout(3000)
        wall.screenshot(path=OUT / "bigscreen.png")

        # 晒事 for residents: the portal, a village's LED board, a notice on a phone.
        page = browser.new_context(**DESKTOP).new_page()
        shot(page, "/notices/", "notices-portal")
        page.get_by_test_id("villages").get_by_role("link", name="西张村").click()
        page.wait_for_load_state("networkidle")
        village_url = page.url
        notice = page.locator("[data-testid=publication]").first.get_attribute("href")
        board = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
        board.goto(village_url + "led/")
        board.wait_for_timeout(1500)
        board.screenshot(path=OUT / "led-board.png")
        phone = browser.new_context(**PHONE).new_page()
        shot(phone, str(notice), "notice-phone")

        page = browser.new_context(**DESKTOP).new_page()
        login(page, "window")
        shot(page, "/registration/applications/", "registration-applications")
        shot(page, "/registration/stats/", "registration-stats")

        page = browser.new_context(**DESKTOP).new_page()
        login(page, "auditor")
        page.goto(BASE + "/audit/")
        page.get_by_test_id("verify").click()
        page.get_by_test_id("verify-ok").wait_for()
        page.screenshot(path=OUT / "audit-log.png")

        phone = browser.new_context(**PHONE).new_page()
        shot(phone, "/", "public-home-phone")
        shot(phone, "/report/", "report-phone")
        login(phone, "grid")
        shot(phone, "/accounts/home/", "home-grid-phone")
        shot(phone, "/intake/visit/", "visit-phone")
        browser.close()


if __name__ == "__main__":
    main()
