"""Phone and ID numbers and the 晒事 surfaces (ADR 0018).

A notice is an official text that staff sign off and print, so the service
refuses numbers in it (any form) instead of rewriting it; the public
surfaces scrub what older notices may still hold; drafts made from a meeting
scrub matter titles and leave out matters in sensitive categories."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.core.scrubbing import NUMBER_PLACEHOLDER
from grassroots.deliberation.publishing import resolution_draft
from grassroots.deliberation.services import agenda, resolutions
from grassroots.deliberation.services.resolutions import VoteInput
from grassroots.matters.models import Category
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f

from .. import services
from ..errors import PublicityError
from ..models import Publication
from .staff_helpers import draft_of
from .test_no_personal_data import MOBILE_RE, digits_joined, response_text

pytestmark = pytest.mark.django_db
D = datetime.date
FORMS = [
    "13812345678",
    "138 1234 5678",
    "１３８-１２３４-５６７８",
    "١٣٨١٢٣٤٥٦٧٨",
    "一三八一二三四五六七八",
    "370303195003010119",
]


@pytest.fixture
def staff(tree, monkeypatch):
    f.freeze(monkeypatch)  # Monday 2026-11-30 10:00
    return f.make_staff(tree)


@pytest.fixture
def matter(tree, staff):
    return f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a)


@pytest.mark.parametrize("written", FORMS)
def test_a_notice_with_a_number_is_refused_and_nothing_is_saved(staff, matter, written):
    with pytest.raises(PublicityError) as refused:
        draft_of(staff.village_a, matter, content=f"厂房出租,联系 {written}。")
    assert refused.value.code == "personal_numbers" and refused.value.field == "content"
    assert "不能出现电话号码、身份证号" in refused.value.message
    with pytest.raises(PublicityError):
        draft_of(staff.village_a, matter, title=f"厂房出租 {written}")
    assert not Publication.objects.exists()


def test_the_edit_page_shows_the_refusal_next_to_the_field(staff, matter):
    draft = draft_of(staff.village_a, matter)
    client = Client()
    client.force_login(staff.village_a)
    response = client.post(
        reverse("publicity:edit", args=[draft.pk]),
        {"title": draft.title, "content": "联系人电话 138-1234-5678。", "channels": ["portal"]},
    )
    assert response.status_code == 200
    assert "不能出现电话号码" in response.content.decode()
    assert Publication.objects.get(pk=draft.pk).content == draft.content


def test_a_draft_saved_before_the_rule_cannot_be_published(staff, matter):
    draft = draft_of(staff.village_a, matter)
    Publication.objects.filter(pk=draft.pk).update(content="联系 13812345678")
    draft.refresh_from_db()
    with pytest.raises(PublicityError) as refused:
        services.publication_publish(actor=staff.village_a, publication=draft, starts_on=D(2026, 11, 30))
    assert refused.value.code == "personal_numbers"
    assert Publication.objects.get(pk=draft.pk).state == "draft"


def test_every_public_surface_scrubs_what_an_older_notice_holds(tree, staff, matter):
    notice = draft_of(staff.village_a, matter, channels=["portal", "led", "notice", "wechat"])
    notice = services.publication_publish(
        actor=staff.village_a, publication=notice, starts_on=D(2026, 11, 30), ends_on=D(2026, 12, 10)
    )
    # Written before the rule existed: numbers in the title and the text.
    Publication.objects.filter(pk=notice.pk).update(
        title="厂房出租公示 13912340000", content="联系人:" + ",".join(FORMS) + "。"
    )
    village = tree.village_a.pk
    urls = [
        reverse("notices:index"),
        reverse("notices:village", args=[village]),
        reverse("notices:detail", args=[notice.pk]),
        reverse("notices-board:led", args=[village]),
        reverse("notices-board:led-compact", args=[village]),
        reverse("notices-board:led-text", args=[village]),
        reverse("notices-board:feed", args=[village]),
        reverse("notices-board:notice-pdf", args=[notice.pk]),
    ]
    client = Client()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response_text(response)
        assert "厂房出租公示" in text, url
        joined = digits_joined(text)
        assert not MOBILE_RE.findall(joined), url
        assert "370303195003010119" not in joined and "1391234" not in joined, url
        if url != reverse("notices-board:led-compact", args=[village]):  # the compact sign shows titles only
            assert NUMBER_PLACEHOLDER in text, url


def test_public_decisions_leave_out_sensitive_matters_and_scrub_texts(tree, staff):
    from grassroots.deliberation.services import meetings
    from grassroots.deliberation.tests.setup import convene, make_representatives, publish_rules
    from grassroots.matters.models import ResponsibleUnit, UnitKind

    actor = staff.village_a
    reps = make_representatives(tree.village_a, tree.unit_a1, 3, serial_base=500)
    publish_rules(actor, tree.village_a)
    meeting = convene(actor, tree.village_a, title="协商议事会")
    meetings.meeting_invite(actor=actor, meeting=meeting, representatives=reps)
    meeting = meetings.meeting_open(actor=actor, meeting=meeting)
    for invitation in meeting.invitations.all():
        meetings.attendance_set(actor=actor, invitation=invitation, present=True)
    unit = ResponsibleUnit.objects.create(name="西张村村委会", kind=UnitKind.VILLAGE, node=tree.village_a)
    plain = f.matter_in_state(
        MatterState.ACCEPTED, node=tree.unit_a1, handler=actor, title="路灯维修 联系138 1234 5678", phone="13712349901"
    )
    private = f.matter_in_state(
        MatterState.ACCEPTED,
        node=tree.unit_a1,
        handler=actor,
        cat=Category.objects.get(code="disability"),
        title="残疾人补贴未发放",
        phone="13712349902",
    )
    for matter in (plain, private):
        item = agenda.agenda_add_matter(actor=actor, meeting=meeting, matter=matter)
        resolutions.resolution_record(
            actor=actor,
            item=item,
            data=VoteInput(
                decision="同意办理,回电 139-1234-5678",
                votes_for=3,
                responsible_unit=unit,
                assignee=actor,
                due_date=D(2026, 12, 31),
            ),
        )
    meeting = meetings.meeting_close(actor=actor, meeting=meeting, minutes="会议形成两项决议。")

    page = Client().get(reverse("deliberation:public-decisions")).content.decode()
    assert "路灯维修" in page and "残疾人补贴" not in page
    assert not MOBILE_RE.findall(digits_joined(page)) and NUMBER_PLACEHOLDER in page

    title, content = resolution_draft(meeting)
    assert "路灯维修 联系[号码已隐去]" in content and "残疾人补贴" not in content
    assert "共形成 1 项决议" in content
    publication = services.publication_create(
        actor=actor, kind="resolution", meeting=meeting, title=title, content=content, channels=["portal"]
    )
    assert publication.pk  # the draft passes the service's own rule
