"""Two factors in a real browser at desktop width (ADR 0058): a subdistrict
staff member logs in, is sent to enrolment, reads the secret off the page,
computes the code as an authenticator app would, keeps the recovery codes,
logs out and in again with a fresh code."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street(transactional_db, settings):
    settings.TWO_FACTOR_ENFORCED = True
    tree = build_small_tree()
    return UserFactory(
        username="street2", display_name="张街道", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict
    )


def _code(secret: str, *, steps: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def test_enrol_then_log_in_with_a_code(page, live_server, street):
    login(page, live_server, "street2", DEFAULT_PASSWORD)
    assert "/accounts/two-factor/enrol/" in page.url
    assert page.get_by_test_id("enrol-required").is_visible()
    assert page.locator("[data-testid=enrol-qr] svg").is_visible()
    page.screenshot(path=artifact("twofactor-enrol.png"), full_page=True)
    # Nothing else is reachable before enrolment.
    page.goto(f"{live_server.url}/matters/")
    assert "/accounts/two-factor/enrol/" in page.url
    secret = page.get_by_test_id("enrol-secret").inner_text()
    page.get_by_label("验证码").fill(_code(secret))
    page.get_by_role("button", name="完成绑定").click()
    page.wait_for_load_state("networkidle")
    codes = page.get_by_test_id("recovery-codes").locator("li")
    assert codes.count() == 10
    page.screenshot(path=artifact("twofactor-codes.png"), full_page=True)
    page.get_by_test_id("codes-saved").click()
    page.wait_for_load_state("networkidle")
    # On to the page first asked for.
    assert page.url.endswith("/matters/")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    assert page.get_by_role("heading", name="您已安全退出").is_visible()
    login(page, live_server, "street2", DEFAULT_PASSWORD)
    assert "/accounts/two-factor/verify/" in page.url
    page.screenshot(path=artifact("twofactor-verify.png"), full_page=True)
    # The enrolment code's step is used: the next one is within the ±1 window.
    page.get_by_label("验证码").fill(_code(secret, steps=1))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="您好,张街道").is_visible()
    page.goto(f"{live_server.url}/accounts/two-factor/")
    assert page.get_by_test_id("two-factor-state").inner_text() == "已启用"
    assert page.get_by_test_id("codes-left").inner_text() == "10"
