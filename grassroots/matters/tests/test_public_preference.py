"""The reporter's channel for progress messages on the public tracking page
(ADR 0056): only with the phone number left at reporting, bad input is a
400 with a Chinese message that changes nothing, and the choice is obeyed
by the next progress message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.core.models import AuditEntry, ContactPreference, Notification
from grassroots.core.notifications.preferences import PREFERENCE_ACTION, contact_preference
from grassroots.matters.models import Channel
from grassroots.matters.services import lifecycle

from . import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def _url(matter) -> str:
    return reverse("matters-public:notify", args=[matter.tracking_code])


def test_the_form_is_on_the_tracking_page_for_a_reporter_with_a_phone(tree):
    client = Client()
    page = client.get(reverse("matters-public:status", args=[f.report(node=tree.unit_a1).tracking_code]))
    html = page.content.decode()
    assert 'data-testid="preference-form"' in html and "当前:短信(默认)" in html
    no_phone = f.report(node=tree.unit_a1, phone="", channel=Channel.WECHAT_MP)
    html = client.get(reverse("matters-public:status", args=[no_phone.tracking_code])).content.decode()
    assert 'data-testid="preference-form"' not in html


def test_the_reporter_chooses_wechat_and_the_next_sms_is_withheld(tree):
    staff = f.make_staff(tree)
    matter = f.report(node=tree.unit_a1)
    client = Client()
    response = client.post(_url(matter), {"phone": f.PHONE, "choice": "wechat"})
    assert response.status_code == 302
    assert contact_preference(phone=f.PHONE) == "wechat"
    entry = AuditEntry.objects.get(action=PREFERENCE_ACTION)
    assert entry.object_id == f"matter:{matter.pk}" and entry.detail["source"] == "tracking"
    html = client.get(reverse("matters-public:status", args=[matter.tracking_code])).content.decode()
    assert "当前:微信(不发短信)" in html and "通知方式已保存" in html
    lifecycle.matter_accept(actor=staff.village_a, matter=matter, category=f.category())
    sms = Notification.objects.filter(channel=Notification.Channel.SMS)
    assert sms.count() == 1 and sms.get().status == Notification.Status.WITHHELD


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "13800000000", "choice": "none"}, "手机号与反映时留下的不一致"),
        ({"phone": "abc", "choice": "none"}, "手机号与反映时留下的不一致"),
        ({"phone": "", "choice": "none"}, "请填写反映时留下的手机号"),
        ({"choice": "email"}, "请选择短信、微信或不接收"),
    ],
)
def test_bad_input_is_400_in_chinese_and_changes_nothing(tree, data, message):
    matter = f.report(node=tree.unit_a1)
    response = Client().post(_url(matter), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ContactPreference.objects.exists() and not AuditEntry.objects.filter(action=PREFERENCE_ACTION).exists()


def test_a_reporter_without_a_phone_is_told_to_use_the_account(tree):
    matter = f.report(node=tree.unit_a1, phone="", channel=Channel.WECHAT_MP)
    response = Client().post(_url(matter), {"phone": f.PHONE, "choice": "none"})
    assert response.status_code == 400 and "公众号内回复" in response.content.decode()
    assert not ContactPreference.objects.exists()


def test_an_unknown_code_is_404():
    assert Client().post(reverse("matters-public:notify", args=["AAAABBBBCC"]), {"choice": "none"}).status_code == 404
