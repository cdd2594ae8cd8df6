"""Referrals on pages: the 转调解 action on the matter page for grid workers
and village staff, the centre's referral pages, and the original matter's
facts on the case page for the mediator and legal adviser, whom no link may
send to a 403 page."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.matters.models import Attachment, Category, MatterEvent
from grassroots.mediation.models import DisputeCase, DisputeReferral
from grassroots.mediation.services import referrals
from grassroots.mediation.states import ReferralState
from grassroots.testing.factories import UserFactory

from .test_referrals import REASON, refer
from .test_transfer import make_matter

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def village_staff(centre):
    return UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=centre.tree.village_a)


def test_matter_page_offers_refer_to_those_who_meet_disputes(centre, village_staff):
    matter = make_matter(centre)
    url = reverse("mediation:refer", args=[matter.pk])
    for user in (centre.grid_worker, village_staff):
        body = client_for(user).get(reverse("matters:detail", args=[matter.pk])).content.decode()
        assert 'data-testid="refer-to-mediation"' in body and url in body
    # The centre takes matters over directly instead.
    body = client_for(centre.manager).get(reverse("matters:detail", args=[matter.pk])).content.decode()
    assert 'data-testid="transfer-to-mediation"' in body and url not in body


@pytest.mark.parametrize(
    ("who", "status"),
    [("grid_worker", 200), ("village_staff", 200), ("grid_b", 404), ("mediator", 403), ("manager", 403)],
)
def test_refer_page_access(centre, village_staff, who, status):
    users = {
        "village_staff": village_staff,
        "grid_b": UserFactory(username="grid_b", role=Role.GRID_WORKER, jurisdiction=centre.tree.grid_a2),
    }
    user = users.get(who) or getattr(centre, who)
    matter = make_matter(centre)
    assert client_for(user).get(reverse("mediation:refer", args=[matter.pk])).status_code == status
    response = client_for(user).post(
        reverse("mediation:refer", args=[matter.pk]), {"dispute_type": "neighbour", "reason": REASON}
    )
    assert response.status_code == (302 if status == 200 else status)
    assert DisputeReferral.objects.exists() == (status == 200)


def test_anonymous_and_huge_ids(centre, client):
    matter = make_matter(centre)
    response = client.get(reverse("mediation:refer", args=[matter.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    grid = client_for(centre.grid_worker)
    assert grid.get("/mediation/refer/99999999999999999999/").status_code == 404
    assert client_for(centre.manager).get("/mediation/referrals/99999999999999999999/").status_code == 404


def test_refer_form_errors_keep_the_input_and_change_nothing(centre):
    matter = make_matter(centre)
    response = client_for(centre.grid_worker).post(
        reverse("mediation:refer", args=[matter.pk]),
        {"dispute_type": "neighbour", "reason": "太短了", "other_party": "王五", "other_party_phone": "123"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "王五" in body and 'data-testid="field-error"' in body
    assert not DisputeReferral.objects.exists() and not MatterEvent.objects.exists()


def test_referral_round_trip_on_pages(centre, django_assert_max_num_queries):
    matter = make_matter(centre)
    grid = client_for(centre.grid_worker)
    response = grid.post(
        reverse("mediation:refer", args=[matter.pk]),
        {"dispute_type": "neighbour", "reason": REASON, "other_party": "王五", "other_party_phone": "13912345678"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("matters:detail", args=[matter.pk])
    body = grid.get(response["Location"]).content.decode()
    assert 'data-testid="referral-pending"' in body and 'data-testid="refer-to-mediation"' not in body
    referral = DisputeReferral.objects.get()

    centre_client = client_for(centre.mediator)
    queue = centre_client.get(reverse("mediation:queue")).content.decode()
    assert 'data-testid="pending-referrals"' in queue and reverse("mediation:referral", args=[referral.pk]) in queue
    with django_assert_max_num_queries(20):
        page = centre_client.get(reverse("mediation:referral", args=[referral.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and matter.description in body and "139****5678" in body
    assert "13912345678" not in body
    with django_assert_max_num_queries(12):
        listing = centre_client.get(reverse("mediation:referrals"), {"state": "pending"})
    assert listing.content.decode().count('data-testid="referral-row"') == 1

    response = centre_client.post(
        reverse("mediation:referral-accept", args=[referral.pk]),
        {"dispute_type": "neighbour", "risk_level": "medium"},
    )
    case = DisputeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mediation:case", args=[case.pk])
    assert case.risk_level == "medium" and case.parties.count() == 2

    # The grid worker cannot open mediation pages: the number, not a link to a 403 page.
    body = grid.get(reverse("matters:detail", args=[matter.pk])).content.decode()
    assert 'data-testid="dispute-number"' in body and case.number in body
    assert reverse("mediation:case", args=[case.pk]) not in body


def test_return_on_pages(centre):
    matter = make_matter(centre)
    referral = refer(centre.grid_worker, matter)
    centre_client = client_for(centre.manager)
    url = reverse("mediation:referral-return", args=[referral.pk])
    assert centre_client.post(url, {"reason": ""}).status_code == 400
    referral.refresh_from_db()
    assert referral.state == ReferralState.PENDING
    response = centre_client.post(url, {"reason": "请补充对方当事人的姓名和电话。"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.RETURNED
    body = client_for(centre.grid_worker).get(reverse("matters:detail", args=[matter.pk])).content.decode()
    assert "调解中心退回转介:请补充对方当事人的姓名和电话。" in body
    assert 'data-testid="refer-to-mediation"' in body  # it may be referred again
    # A decided referral offers no more actions; posting again is refused.
    assert centre_client.post(url, {"reason": "再次退回试试看。"}).status_code == 409


@pytest.mark.parametrize(("who", "status"), [("grid_worker", 403), ("adviser", 403), ("other_mediator", 404)])
def test_centre_referral_pages_access(centre, who, status):
    referral = refer(centre.grid_worker, make_matter(centre))
    client = client_for(getattr(centre, who))
    assert client.get(reverse("mediation:referral", args=[referral.pk])).status_code == status
    response = client.post(reverse("mediation:referral-accept", args=[referral.pk]), {"dispute_type": "neighbour"})
    assert response.status_code == status
    assert not DisputeCase.objects.exists()


def _referred_case(centre):
    category = Category.objects.create(code="neighbour-noise", name="邻里纠纷")
    matter = make_matter(centre, category=category)
    attachment = Attachment(
        matter=matter, original_name="漏水照片.png", content_type="image/png", size=8, sha256="a" * 64
    )
    attachment.file.save("a" * 64, ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    attachment.save()
    referral = refer(centre.grid_worker, matter)
    case = referrals.referral_accept(actor=centre.manager, referral=referral)
    return matter, case, attachment


@pytest.mark.parametrize("who", ["mediator", "adviser"])
def test_team_sees_the_matter_facts_and_no_link_leads_to_403(centre, who, django_assert_max_num_queries):
    matter, case, attachment = _referred_case(centre)
    client = client_for(getattr(centre, who))
    with django_assert_max_num_queries(45):
        response = client.get(reverse("mediation:case", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="matter-facts"' in body
    assert matter.number in body and matter.title in body and "邻里纠纷" in body
    assert "湖田街道 / 西张村 / 第1网格" in body  # the place stops at the grid
    assert "138****0000" in body and "13800000000" not in body
    assert REASON in body
    assert reverse("matters:detail", args=[matter.pk]) not in body
    # Every link on the page opens for them: none is a 403 page.
    links = set(re.findall(r'href="(/[^"#]*)"', body)) - {"/accounts/logout/"}
    for link in sorted(links):
        if link.startswith("/static/"):
            continue
        status = client.get(link).status_code
        assert status != 403, link
    file_url = reverse("mediation:case-matter-attachment", args=[case.pk, attachment.pk])
    assert file_url in links
    download = client.get(file_url)
    assert download.status_code == 200 and download["Content-Type"] == "image/png"


def test_matter_staff_keep_the_link_and_other_files_are_404(centre):
    matter, case, _attachment = _referred_case(centre)
    body = client_for(centre.manager).get(reverse("mediation:case", args=[case.pk])).content.decode()
    assert reverse("matters:detail", args=[matter.pk]) in body and 'data-testid="matter-facts"' in body
    other = make_matter(centre, number="SX20260105-0009", tracking_code="ABCDEFGHJX")
    stranger = Attachment(matter=other, original_name="x.png", content_type="image/png", size=8, sha256="b" * 64)
    stranger.file.save("b" * 64, ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    stranger.save()
    client = client_for(centre.mediator)
    assert client.get(reverse("mediation:case-matter-attachment", args=[case.pk, stranger.pk])).status_code == 404
    assert (
        client_for(centre.outsider)
        .get(reverse("mediation:case-matter-attachment", args=[case.pk, _attachment.pk]))
        .status_code
        == 403
    )
    assert (
        client_for(centre.other_mediator)
        .get(reverse("mediation:case-matter-attachment", args=[case.pk, _attachment.pk]))
        .status_code
        == 404
    )
