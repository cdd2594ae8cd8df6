"""Take the README's screenshots from a running demo (`./run demo`).

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
Writes PNG files to docs/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PASSWORD = "Hutian@2026"  # noqa: S105 - the public demo password
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def login(page, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = desktop.new_page()
        page.goto(BASE + "/")
        page.screenshot(path=OUT / "public-home.png", full_page=True)
        page.goto(BASE + "/accounts/login/")
        page.screenshot(path=OUT / "login.png")
        login(page, "street")
        page.screenshot(path=OUT / "home-subdistrict.png", full_page=True)
        page.goto(BASE + "/regions/")
        page.screenshot(path=OUT / "tree-subdistrict.png", full_page=True)
        page.get_by_role("link", name="西张村").click()
        page.screenshot(path=OUT / "tree-village.png", full_page=True)
        page.goto(BASE + "/regions/residents/")
        page.screenshot(path=OUT / "residents.png", full_page=True)
        desktop.close()

        auditor = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = auditor.new_page()
        login(page, "auditor")
        page.goto(BASE + "/audit/")
        page.get_by_test_id("verify").click()
        page.get_by_test_id("verify-ok").wait_for()
        page.screenshot(path=OUT / "audit-log.png")
        auditor.close()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
        page = phone.new_page()
        login(page, "grid")
        page.screenshot(path=OUT / "home-grid-phone.png", full_page=True)
        page.goto(BASE + "/")
        page.screenshot(path=OUT / "public-home-phone.png", full_page=True)
        phone.close()
        browser.close()


if __name__ == "__main__":
    main()
