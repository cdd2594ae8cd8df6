"""The centre's pages: rendering, scoping (404), roles (403), forms and htmx
actions, with query counts on the lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.core.models import AuditEntry
from grassroots.matters.models import Matter, MatterEvent
from grassroots.mediation.models import Committee, Consultation, DisputeCase, GridAdviser, Session, SessionStatus
from grassroots.mediation.services import sessions
from grassroots.mediation.states import State

from .conftest import RESPONDENT_ID

pytestmark = pytest.mark.django_db
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_queue_lists_scoped_cases_with_bounded_queries(centre, django_assert_max_num_queries):
    for i in range(8):
        centre.case(State.MEDIATING if i % 2 else State.REGISTERED, title=f"纠纷{i}")
    centre.case(title="店子社区的纠纷", node=centre.tree.grid_b1)
    client = client_for(centre.manager)
    with django_assert_max_num_queries(18):  # 15 measured, whatever the number of cases
        response = client.get(reverse("mediation:queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="case-row"') == 9
    assert RESPONDENT_ID not in body
    response = client_for(centre.other_mediator).get(reverse("mediation:queue"))
    assert response.content.decode().count('data-testid="case-row"') == 1


def test_queue_htmx_filters_return_the_partial(centre):
    centre.case(title="民警移交的纠纷")
    centre.case(title="法院委派的纠纷", source="court")
    response = client_for(centre.manager).get(reverse("mediation:queue"), {"source": "court"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and "法院委派的纠纷" in body and "民警移交的纠纷" not in body


def test_pages_need_a_mediation_role(centre):
    client = client_for(centre.outsider)
    for name in ("mediation:queue", "mediation:register", "mediation:teams", "mediation:stats", "mediation:mine"):
        assert client.get(reverse(name)).status_code == 403, name
    assert AuditEntry.objects.filter(action="access.denied", actor_id=centre.outsider.pk).count() == 5
    assert client_for(centre.adviser).get(reverse("mediation:register")).status_code == 403
    assert client_for(centre.adviser).get(reverse("mediation:stats")).status_code == 403
    assert client_for(centre.mediator).get(reverse("mediation:grids")).status_code == 403
    assert Client().get(reverse("mediation:queue")).status_code == 302  # login first


def test_register_page(centre):
    client = client_for(centre.manager)
    assert client.get(reverse("mediation:register")).status_code == 200
    data = {
        "source": "police",
        "source_reference": "张公湖田警移〔2026〕030号",
        "title": "宠物犬咬伤行人",
        "description": "居民遛狗未拴绳,咬伤路过老人。",
        "dispute_type": "other",
        "node": centre.tree.grid_a1.pk,
        "amount": "1200",
        "risk_level": "medium",
        "party-TOTAL_FORMS": "3",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "3",
        "party-0-side": "applicant",
        "party-0-kind": "person",
        "party-0-name": "李老汉",
        "party-0-phone": "13700001111",
        "party-1-side": "respondent",
        "party-1-kind": "person",
        "party-1-name": "赵犬主",
        "party-1-id_number": RESPONDENT_ID,
        "party-2-side": "respondent",
        "party-2-kind": "person",
    }
    bad = client.post(reverse("mediation:register"), {**data, "party-1-id_number": "123456"})
    assert bad.status_code == 400 and "身份证号码无效" in bad.content.decode()
    assert not DisputeCase.objects.exists()
    response = client.post(reverse("mediation:register"), data)
    case = DisputeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mediation:case", args=[case.pk])
    assert case.parties.count() == 2 and case.source == "police"
    other = client_for(centre.other_mediator).post(reverse("mediation:register"), {**data, "title": "别村"})
    assert other.status_code == 400  # the village-A grid is not a choice for a village-B mediator
    assert DisputeCase.objects.count() == 1


def test_detail_page_masks_and_scopes(centre, django_assert_max_num_queries):
    case = centre.case(State.MEDIATING)
    client = client_for(centre.mediator)
    with django_assert_max_num_queries(36):  # bounded; 33 measured on a case with two scheduled sessions
        response = client.get(reverse("mediation:case", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and case.number in body
    assert RESPONDENT_ID not in body and RESPONDENT_ID[:3] + "*" * 13 in body
    assert 'data-testid="action-agree"' in body and 'data-testid="action-accept"' not in body
    assert client_for(centre.other_mediator).get(reverse("mediation:case", args=[case.pk])).status_code == 404
    assert client_for(centre.outsider).get(reverse("mediation:case", args=[case.pk])).status_code == 403


def test_htmx_action_success_and_errors(centre):
    case = centre.case()
    client = client_for(centre.manager)
    url = reverse("mediation:case-action", args=[case.pk, "decline"])
    bad = client.post(url, {"reason": "", "referral": "court", "seen_state": "registered"}, **HTMX)
    assert bad.status_code == 200 and 'data-testid="action-error"' in bad.content.decode()
    assert DisputeCase.objects.get(pk=case.pk).state == State.REGISTERED
    ok = client.post(reverse("mediation:case-action", args=[case.pk, "accept"]), {"seen_state": "registered"}, **HTMX)
    assert ok.status_code == 200 and "已受理" in ok.content.decode()
    assert DisputeCase.objects.get(pk=case.pk).state == State.ACCEPTED
    stale = client.post(url, {"reason": "已起诉", "referral": "court", "seen_state": "registered"})
    assert stale.status_code == 409 and "已被他人处理" in stale.content.decode()
    forbidden = client.post(url, {"reason": "已起诉", "referral": "court"})
    assert forbidden.status_code == 409
    assert DisputeCase.objects.get(pk=case.pk).state == State.ACCEPTED
    assert client.post(reverse("mediation:case-action", args=[case.pk, "nonsense"]), {}).status_code == 404


def test_plain_form_action_redirects(centre):
    case = centre.case(State.ACCEPTED)
    client = client_for(centre.manager)
    response = client.post(
        reverse("mediation:case-action", args=[case.pk, "team"]),
        {"committee": centre.committee.pk, "legal_adviser": centre.adviser2.pk, "mediators": [centre.mediator2.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.legal_adviser == centre.adviser2 and list(case.mediators.all()) == [centre.mediator2]


def test_action_by_non_member_is_refused(centre):
    case = centre.case(State.MEDIATING)
    response = client_for(centre.adviser2).post(
        reverse("mediation:case-action", args=[case.pk, "fail"]), {"reason": "x", "referral": "court"}
    )
    assert response.status_code == 403
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING


def test_session_record_and_cancel_views(centre):
    case = centre.case(State.ACCEPTED)
    session = sessions.session_schedule(
        actor=centre.mediator, case=case, scheduled_at=timezone.now() - datetime.timedelta(hours=1), place="调解室"
    )
    client = client_for(centre.mediator)
    url = reverse("mediation:session-record", args=[session.pk])
    parties = list(case.parties.values_list("pk", flat=True))
    bad = client.post(url, {"notes": "", "parties_present": parties}, **HTMX)
    assert bad.status_code == 200 and "调解记录" in bad.content.decode()
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    ok = client.post(
        url, {"notes": "双方到场,陈述各自意见。", "parties_present": parties, "seen_state": "accepted"}, **HTMX
    )
    assert ok.status_code == 200 and "调解记录已保存" in ok.content.decode()
    assert DisputeCase.objects.get(pk=case.pk).state == State.MEDIATING
    assert client_for(centre.other_mediator).post(url, {"notes": "x"}).status_code == 404
    second = sessions.session_schedule(
        actor=centre.mediator, case=case, scheduled_at=timezone.now() + datetime.timedelta(days=1), place="调解室"
    )
    client.post(reverse("mediation:session-cancel", args=[second.pk]), {"reason": "当事人请假"})
    assert Session.objects.get(pk=second.pk).status == SessionStatus.CANCELLED


def test_party_reveal_view(centre):
    case = centre.case(State.MEDIATING)
    party = case.parties.get(name="王五")
    url = reverse("mediation:party-reveal", args=[party.pk])
    response = client_for(centre.adviser).post(url, {"reason": "制作协议"}, **HTMX)
    assert RESPONDENT_ID in response.content.decode()
    denied = client_for(centre.adviser2).post(url, {"reason": "好奇"}, **HTMX)
    assert RESPONDENT_ID not in denied.content.decode() and "本次尝试已记录" in denied.content.decode()
    assert "请填写查看事由" in client_for(centre.adviser).post(url, {"reason": ""}).content.decode()
    assert client_for(centre.other_mediator).post(url, {"reason": "x"}).status_code == 404
    assert AuditEntry.objects.filter(action="data.reveal").count() == 2


def test_agreement_pdf_view(centre):
    case = centre.case(State.AGREED)
    response = client_for(centre.mediator).get(reverse("mediation:agreement-pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="data.export").count() == 1
    mediating = centre.case(State.MEDIATING, title="未达成")
    assert client_for(centre.mediator).get(reverse("mediation:agreement-pdf", args=[mediating.pk])).status_code == 404


def test_teams_page_and_forms(centre, django_assert_max_num_queries):
    centre.case(State.MEDIATING)
    client = client_for(centre.manager)
    with django_assert_max_num_queries(22):  # 20 measured
        response = client.get(reverse("mediation:teams"))
    body = response.content.decode()
    assert response.status_code == 200 and "陈律师" in body and 'data-testid="workload-row"' in body
    response = client.post(
        reverse("mediation:teams"), {"form": "adviser", "grid": centre.tree.grid_a2.pk, "adviser": centre.adviser2.pk}
    )
    assert response.status_code == 302
    assert GridAdviser.objects.get(grid=centre.tree.grid_a2, until__isnull=True).adviser == centre.adviser2
    bad = client.post(reverse("mediation:teams"), {"form": "committee", "name": "", "node": centre.tree.village_a.pk})
    assert bad.status_code == 400
    client.post(
        reverse("mediation:teams"), {"form": "committee", "name": "西张村调委会", "node": centre.tree.village_a.pk}
    )
    assert Committee.objects.filter(name="西张村调委会").exists()
    adviser = client_for(centre.adviser)
    assert adviser.get(reverse("mediation:teams")).status_code == 200
    assert adviser.post(reverse("mediation:teams"), {"form": "committee", "name": "x"}).status_code == 403


def test_stats_page(centre, django_assert_max_num_queries):
    centre.case(State.CLOSED)
    client = client_for(centre.manager)
    with django_assert_max_num_queries(22):  # 20 measured
        response = client.get(reverse("mediation:stats"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="stats-data"' in body and "echarts.min.js" in body and "mediation/stats.js" in body
    assert "<script>" not in body  # no inline scripts (CSP)
    assert client.get(reverse("mediation:stats"), {"start": "garbage"}).status_code == 200  # falls back to defaults


def test_mine_page(centre):
    case = centre.case(State.MEDIATING)
    sessions.session_schedule(
        actor=centre.mediator, case=case, scheduled_at=timezone.now() + datetime.timedelta(days=1), place="调解室"
    )
    body = client_for(centre.mediator).get(reverse("mediation:mine")).content.decode()
    assert case.number in body and "调解室" in body
    assert case.number not in client_for(centre.adviser2).get(reverse("mediation:mine")).content.decode()


def test_adviser_grids_and_consultations(centre):
    client = client_for(centre.adviser)
    assert client.get(reverse("mediation:grids")).status_code == 200
    data = {
        "grid": centre.tree.grid_a1.pk,
        "consulted_on": timezone.localdate().isoformat(),
        "category": "family",
        "topic": "赡养费标准",
        "asker_name": "王秀兰",
        "advice": "按子女负担能力和当地生活水平协商确定。",
    }
    assert client.post(reverse("mediation:grids"), {**data, "grid": centre.tree.grid_a2.pk}).status_code == 400
    assert client.post(reverse("mediation:grids"), data).status_code == 302
    assert Consultation.objects.count() == 1
    body = client.get(reverse("mediation:consultations")).content.decode()
    assert "赡养费标准" in body and "王**" in body and "王秀兰" not in body
    assert client.get(reverse("mediation:consultations"), {"grid": "x"}).status_code == 400
    assert client.get(reverse("mediation:consultations"), {"grid": centre.tree.grid_b1.pk}).status_code == 200
    assert (
        client_for(centre.other_mediator)
        .get(reverse("mediation:consultations"), {"grid": centre.tree.grid_a1.pk})
        .status_code
        == 404
    )
    assert client_for(centre.grid_worker).get(reverse("mediation:consultations")).status_code == 403


def test_transfer_page(centre):
    matter = Matter.objects.create(
        number="SX20260105-0011",
        tracking_code="YYYYYYYYYY",
        node=centre.tree.unit_a1,
        title="邻里漏水纠纷",
        description="楼上漏水,多次协商未果。",
        channel="walk_in",
        reporter_name="张三",
    )
    url = reverse("mediation:transfer", args=[matter.pk])
    assert client_for(centre.other_mediator).get(url).status_code == 404
    assert client_for(centre.adviser).get(url).status_code == 403
    client = client_for(centre.manager)
    assert "确认转入" in client.get(url).content.decode()
    assert client.post(url, {"dispute_type": "war", "risk_level": "low"}).status_code == 400
    response = client.post(url, {"dispute_type": "neighbour", "risk_level": "medium"})
    case = DisputeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mediation:case", args=[case.pk])
    assert MatterEvent.objects.filter(matter=matter, kind="note", text__contains=case.number).exists()
    assert 'data-testid="already-transferred"' in client.get(url).content.decode()
