"""Playwright fixtures: Debian's chromium, headless, against pytest-django's
live server. Screenshots of every browser test land in test-artifacts/."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("未找到 chromium:请运行 ./run test(会用 apt-get 安装 Debian 的 chromium)。")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # refuses to run beside one unless told it is safe (the test thread and
    # the live server thread are separate, so it is).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _new_page(browser: Any, request: pytest.FixtureRequest, **context_args: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    # A page the test navigated to on purpose may answer 404; the browser logs
    # that as a console error, which is not a fault of the page.
    failed_navigations: set[str] = set()

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.is_navigation_request():
            failed_navigations.add(response.url)

    def on_console(msg: Any) -> None:
        if msg.type == "error" and msg.location.get("url") not in failed_navigations:
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    with contextlib.suppress(Exception):  # a failed screenshot must not mask the test result
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    # CSP violations and JavaScript errors are bugs, whatever the page shows.
    assert not errors, f"浏览器控制台报错:{errors}"


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _new_page(browser, request, viewport={"width": 1366, "height": 900})


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _new_page(browser, request, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def artifact(name: str) -> str:
    """Where a test saves an extra screenshot: test-artifacts/ of this
    checkout, never a shared temporary path that another run overwrites."""
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def htmx_idle(page: Any) -> None:
    """Wait until htmx has finished every request, swap and settle. Content
    htmx swaps in gets its own hx- behaviour only once settled: a click on a
    freshly swapped button before then does nothing."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
