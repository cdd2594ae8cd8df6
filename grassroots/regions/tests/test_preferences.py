"""Staff record a resident's channel preference on the resident's page
(ADR 0056): saved against the resident's phone number and audited with the
staff member; bad input is a 400 in Chinese; another subtree is 404; a role
that cannot see residents is refused."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry, ContactPreference
from grassroots.core.notifications.preferences import PREFERENCE_ACTION, channel_allowed, contact_preference


def _url(resident) -> str:
    return f"/regions/residents/{resident.pk}/notify/"


def test_staff_record_and_clear_a_residents_choice(client, tree, make_user):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    client.force_login(user)
    resident = tree.resident_a1
    assert "默认(短信)" in client.get(f"/regions/residents/{resident.pk}/").content.decode()
    response = client.post(_url(resident), {"choice": "none"})
    assert response.status_code == 302
    assert contact_preference(phone=resident.phone) == "none" and not channel_allowed("sms", phone=resident.phone)
    entry = AuditEntry.objects.get(action=PREFERENCE_ACTION)
    assert entry.actor_id == user.pk and entry.object_id == f"resident:{resident.pk}"
    assert entry.detail["source"] == "staff" and resident.phone not in str(entry.detail)
    html = client.get(f"/regions/residents/{resident.pk}/").content.decode()
    assert '<option value="none" selected>' in html and "接收方式已保存" in html
    assert client.post(_url(resident), {"choice": ""}).status_code == 302
    assert not ContactPreference.objects.exists()


@pytest.mark.django_db
def test_bad_choice_is_400_and_changes_nothing(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.post(_url(tree.resident_a1), {"choice": "email"})
    assert response.status_code == 400 and "请选择默认、短信、微信或不接收" in response.content.decode()
    assert not ContactPreference.objects.exists()


def test_a_resident_without_a_phone(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    resident = tree.resident_a1
    type(resident).objects.filter(pk=resident.pk).update(phone="", phone_index="")
    assert "未登记手机号" in client.get(f"/regions/residents/{resident.pk}/").content.decode()
    response = client.post(_url(resident), {"choice": "none"})
    assert response.status_code == 400 and "未登记手机号" in response.content.decode()
    assert not ContactPreference.objects.exists()


def test_other_subtree_is_404_and_other_roles_are_refused(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    assert client.post(_url(tree.resident_b1), {"choice": "none"}).status_code == 404
    client.force_login(make_user(Role.WINDOW_STAFF, tree.subdistrict))
    assert client.post(_url(tree.resident_a1), {"choice": "none"}).status_code in (403, 404)
    assert not ContactPreference.objects.exists()
