"""The party pages: lists with their query counts, forms with Chinese errors
and nothing lost, the masked register, the members-only 红黄榜."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.core.audit import Action as AuditAction
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import UserFactory

from ..models import Branch, Training
from ..services.board import board_compute, board_publish
from ..services.training import training_record_manual
from .support import member_of, pair_of, training_at

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_lists_have_bounded_queries(tree, people, branches, django_assert_max_num_queries):
    """Several members, pairs, trainings and attendances: the query count does not grow with the rows."""
    members = [member_of(branches["a"], resident=tree.resident_a1)]
    for n in range(4):
        user = UserFactory(username=f"party_list_{n}", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
        members.append(member_of(branches["a"], user=user))
    for member in members:
        pair_of(member, tree.resident_a1)
    for _ in range(3):
        training = training_at(tree.village_a)
        for member in members:
            training_record_manual(actor=SYSTEM, training=training, member=member)
    board_compute(actor=SYSTEM, subdistrict=tree.subdistrict, month=timezone.localdate())
    web = client_of(people.village_a)
    urls = (
        "/party/",
        f"/party/branches/{branches['a'].pk}/",
        "/party/pairs/",
        "/party/trainings/",
        f"/party/trainings/{training.pk}/",
        "/party/trainings/hours/",
        "/party/board/",
        "/party/board/rule/",
    )
    for url in urls:
        with django_assert_max_num_queries(16):
            assert web.get(url).status_code == 200, url


def test_the_branch_form_keeps_input_and_explains_in_chinese(tree, people):
    web = client_of(people.village_a)
    answer = web.post("/party/branches/new/", {"name": "", "kind": "branch", "node": str(tree.village_a.pk)})
    assert answer.status_code == 400 and "请填写组织名称" in answer.content.decode()
    answer = web.post("/party/branches/new/", {"name": "西张村党支部", "kind": "joint", "node": str(tree.village_a.pk)})
    assert answer.status_code == 400 and "联村党委应设在街道" in answer.content.decode()
    assert "西张村党支部" in answer.content.decode()
    assert not Branch.objects.exists()
    answer = web.post(
        "/party/branches/new/", {"name": "西张村党支部", "kind": "branch", "node": str(tree.village_a.pk)}
    )
    assert answer.status_code == 302 and Branch.objects.count() == 1


def test_the_register_is_masked_and_a_reveal_is_audited(tree, people, branches):
    member = member_of(branches["a"], resident=tree.resident_a1)
    web = client_of(people.village_a)
    page = web.get(f"/party/branches/{branches['a'].pk}/").content.decode()
    assert tree.resident_a1.name not in page
    page = web.get(f"/party/members/{member.pk}/").content.decode()
    assert tree.resident_a1.name not in page and tree.resident_a1.id_number not in page
    assert web.post(f"/party/members/{member.pk}/reveal/", {"reason": ""}).status_code == 400
    shown = web.post(f"/party/members/{member.pk}/reveal/", {"reason": "核对名册"}).content.decode()
    assert tree.resident_a1.name in shown
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL).count() == 1


def test_the_member_form_finds_a_resident_or_a_staff_account(tree, people, branches):
    web = client_of(people.village_a)
    url = f"/party/branches/{branches['a'].pk}/members/new/"
    answer = web.post(url, {"resident": "查无此人", "post": "none", "status": "full"})
    assert answer.status_code == 400 and "没有找到" in answer.content.decode()
    answer = web.post(url, {"username": people.grid_a.username, "post": "committee", "status": "full"})
    assert answer.status_code == 302


def test_the_training_form_and_its_qr(tree, people):
    web = client_of(people.village_a)
    answer = web.post(
        "/party/trainings/new/",
        {"title": "专题培训", "audience": "all", "node": str(tree.village_a.pk), "starts_at": "bad", "hours": "2"},
    )
    assert answer.status_code == 400 and "请填写有效的时间" in answer.content.decode()
    start = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    answer = web.post(
        "/party/trainings/new/",
        {"title": "专题培训", "audience": "all", "node": str(tree.village_a.pk), "starts_at": start, "hours": "2"},
    )
    assert answer.status_code == 302
    training = Training.objects.get()
    page = web.get(f"/party/trainings/{training.pk}/").content.decode()
    assert "<svg" in page and f"/party/sign/{training.signin_token}/" in page


def test_a_non_member_opening_the_qr_is_told_why_and_nothing_is_written(tree, people, branches):
    training = training_at(tree.village_a)
    web = client_of(people.window)
    assert "不是本次培训范围内的在册党员" in web.get(f"/party/sign/{training.signin_token}/").content.decode()
    assert web.post(f"/party/sign/{training.signin_token}/").status_code == 400
    assert web.get("/party/sign/forged/").status_code == 400
    assert not training.attendances.exists()


def test_the_board_page_is_for_members_and_party_staff_only(tree, people, branches):
    member_of(branches["a"], user=people.grid_a)
    board = board_compute(actor=people.street, subdistrict=tree.subdistrict, month=timezone.localdate())
    assert client_of(people.window).get("/party/board/").status_code == 403
    member_page = client_of(people.grid_a)
    assert "还没有发布的红黄榜" in member_page.get("/party/board/").content.decode()
    board_publish(actor=people.street, board=board)
    page = member_page.get("/party/board/").content.decode()
    assert "party_grid_a" in page and "培训学时" in page
    assert client_of(people.grid_a).get("/party/board/?month=2026-99").status_code == 200


def test_a_member_finds_the_party_panel_on_the_home_page(tree, people, branches):
    member_of(branches["a"], user=people.grid_a)
    assert "党员教育管理红黄榜" in client_of(people.grid_a).get("/accounts/home/").content.decode()
    assert "党员教育管理红黄榜" not in client_of(people.window).get("/accounts/home/").content.decode()
