"""Registration is reachable: the platform's public home links to it,
/socialorg/ is a service home page (not a 404), every public registration
page carries the one public menu bar and every window staff page the one
staff menu bar, with the current section marked."""

from __future__ import annotations

import re

import pytest

from grassroots.accounts.roles import Role
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_NAV = 'data-testid="registration-public-nav"'
STAFF_NAV = 'data-testid="registration-staff-nav"'
# Menu bars the public pages used to have, one per part.
OLD_BARS = ("reg-toolbar", "app-public-nav", 'class="nav nav-pills small reg-public-nav"', "cert-tabs")


@pytest.fixture
def catalogue(db):
    seed_catalogue()


def _active(html: str, marker: str) -> list[str]:
    """Labels of the active entries of the menu bar marked by `marker`."""
    start = html.index(marker)
    bar = html[start : html.index("</ul>", start)]
    return [label.strip() for label in re.findall(r'class="nav-link active"[^>]*>.*?</i>([^<]+)</a>', bar)]


def test_public_home_links_to_registration(client, catalogue):
    html = client.get("/").content.decode()
    assert 'href="/socialorg/"' in html
    assert 'data-testid="cta-registration"' in html


def test_socialorg_is_a_service_home_page(client, catalogue):
    response = client.get("/socialorg/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "社会组织登记服务" in html
    for url in ("/socialorg/notice/", "/socialorg/book/", "/socialorg/apply/", "/socialorg/renew/",
                "/socialorg/directory/", "/socialorg/track/"):  # fmt: skip
        assert f'href="{url}"' in html, url
    assert "民办非企业单位(法人)成立登记" in html  # the services of the catalogue
    assert _active(html, PUBLIC_NAV) == ["服务首页"]


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/socialorg/notice/", "办事须知"),
        ("/socialorg/book/", "预约帮办"),
        ("/socialorg/apply/", "网上申请"),
        ("/socialorg/track/", "查询进度"),
        ("/socialorg/renew/", "不见面换证"),
        ("/socialorg/directory/", "登记目录"),
        ("/socialorg/verify/", "证书核验"),
    ],
)
def test_every_public_page_has_the_one_public_menu_bar(client, catalogue, url, section):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(PUBLIC_NAV) == 1
    assert STAFF_NAV not in html
    for old in OLD_BARS:
        assert old not in html, old
    assert _active(html, PUBLIC_NAV) == [section]
    assert 'data-testid="large-type"' in html


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/registration/applications/", "登记申请"),
        ("/registration/applications/new/", "登记申请"),
        ("/registration/appointments/", "预约日历"),
        ("/registration/organisations/", "社会组织"),
        ("/registration/renewals/", "不见面换证"),
        ("/registration/stats/", "办理统计"),
    ],
)
def test_every_staff_page_has_the_one_staff_menu_bar(client, catalogue, url, section):
    client.force_login(UserFactory(role=Role.WINDOW_STAFF))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(STAFF_NAV) == 1
    assert PUBLIC_NAV not in html
    assert _active(html, STAFF_NAV) == [section]
