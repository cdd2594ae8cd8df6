"""Pages: the authorisation matrix, the slips PDF, and a vote over HTTP that
leaves no trace of the voter in logs or the audit trail."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.evaluation.models import AppraisalSession, Ballot, BallotCode, CodeState
from grassroots.evaluation.services import ballots

from .conftest import MONTH, all_satisfied, issue

STAFF_PAGES = ["evaluation:detail", "evaluation:freeze", "evaluation:slips", "evaluation:close", "evaluation:refresh"]


def test_list_anonymous_redirects_wrong_role_403_allowed_200(client, world, django_assert_max_num_queries):
    url = reverse("evaluation:list")
    assert client.get(url).status_code == 302
    client.force_login(world.grid)
    assert client.get(url).status_code == 403
    world.session()
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and "西张村" in response.content.decode()


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_matrix(client, world, name):
    session = world.session()
    url = reverse(name, args=[session.pk])
    method = client.get if name == "evaluation:detail" else client.post
    assert method(url).status_code == 302  # anonymous → login
    client.force_login(world.grid)
    assert method(url).status_code == 403
    client.force_login(world.other)
    assert method(url).status_code == 404
    session.refresh_from_db()
    assert session.state == "draft" and not BallotCode.objects.exists()


def test_create_freeze_and_detail(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:new"), {"village": world.tree.village_a.pk, "month": "2026-05"})
    session = AppraisalSession.objects.get()
    assert response.status_code == 302 and session.month == MONTH
    labels = set(session.items.values_list("label", flat=True))
    assert labels == {"王办理", "赵办理", "M202600001 集体事项1", "M202600002 集体事项2"}
    assert session.roster.count() == 6
    client.post(reverse("evaluation:freeze", args=[session.pk]))
    session.refresh_from_db()
    assert session.state == "frozen"
    assert client.get(reverse("evaluation:detail", args=[session.pk])).status_code == 200
    # Another village's staff cannot create a session for village A.
    client.force_login(world.other)
    client.post(reverse("evaluation:new"), {"village": world.tree.village_a.pk, "month": "2026-04"})
    assert AppraisalSession.objects.count() == 1


def test_slips_pdf_is_not_cached_and_codes_are_not_stored(client, world, caplog):
    session = world.session("frozen")
    client.force_login(world.staff)
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("evaluation:slips", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert BallotCode.objects.filter(session=session).count() == 7
    assert AuditEntry.objects.values_list("action", flat=True).last() == "evaluation.slips_issued"


def test_vote_over_http_records_nothing_about_the_voter(client, world, caplog):
    issued = issue(world)
    url = reverse("ballot:vote", args=[issued.session.pk])
    assert client.get(url).status_code == 200
    audit_before = AuditEntry.objects.count()
    body = {"code": issued.codes[0], **{f"item_{k}": v for k, v in all_satisfied(issued.session).items()}}
    ip = "203.0.113.77"
    agent = "VoterPhone/1.0 secret-agent"
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, body, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
        bad = client.post(url, body, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)  # same code again
    assert response.status_code == 200 and "投票成功" in response.content.decode()
    assert "投票码无效或已使用" in bad.content.decode()
    ballot = Ballot.objects.get()
    for secret in (issued.codes[0], ip, agent, ballot.tracker, "satisfied"):
        assert secret not in caplog.text
    assert AuditEntry.objects.count() == audit_before
    assert not client.session.keys()  # nothing kept in a session
    assert "sessionid" not in response.cookies


def test_vote_page_404_for_draft_and_unknown(client, world):
    draft = world.session()
    assert client.get(reverse("ballot:vote", args=[draft.pk])).status_code == 404
    assert client.get(reverse("ballot:vote", args=[9999])).status_code == 404


def test_board_hidden_until_close_then_public(client, world):
    issued = issue(world)
    ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    assert client.get(reverse("ballot:board-json", args=[issued.session.pk])).status_code == 404
    pending = client.get(reverse("ballot:board", args=[issued.session.pk]))
    assert "投票尚未结束" in pending.content.decode()
    ballots.session_close(session=issued.session, attendance=6, void_codes=issued.codes[1:], actor=world.staff)
    data = client.get(reverse("ballot:board-json", args=[issued.session.pk])).json()
    assert data["ballot_count"] == 1 and len(data["head_hash"]) == 64
    page = client.get(reverse("ballot:board", args=[issued.session.pk])).content.decode()
    assert data["head_hash"] in page
    assert client.get(reverse("ballot:index")).status_code == 200


def test_close_page_flags_and_rejects_bad_attendance(client, world):
    issued = issue(world)
    client.force_login(world.staff)
    client.post(reverse("evaluation:close", args=[issued.session.pk]), {"attendance": "x"})
    issued.session.refresh_from_db()
    assert issued.session.state == "frozen"
    client.post(
        reverse("evaluation:close", args=[issued.session.pk]),
        {"attendance": "6", "void_codes": "\n".join(issued.codes[:3])},
    )
    issued.session.refresh_from_db()
    assert issued.session.state == "closed"
    assert issued.session.reconciliation["void"] == 3 and issued.session.reconciliation["missing"] == 4
    assert BallotCode.objects.filter(state=CodeState.UNUSED).count() == 0


def test_session_page_shows_its_record(client, world, django_assert_max_num_queries):
    """Each state change the workflow engine records (SessionEvent) is listed
    on the session page: what, who, when, and the board's head hash of the close."""
    session = world.session()
    client.force_login(world.staff)
    draft_page = client.get(reverse("evaluation:detail", args=[session.pk])).content.decode()
    assert 'data-testid="session-events"' not in draft_page
    issued = issue(world)
    ballots.ballot_cast(session_id=issued.session.pk, code=issued.codes[0], choices=all_satisfied(issued.session))
    ballots.session_close(session=issued.session, attendance=6, void_codes=issued.codes[1:], actor=world.staff)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("evaluation:detail", args=[session.pk])).content.decode()
    record = page[page.index('data-testid="session-events"') :]
    assert record.count('data-testid="session-event"') == 2
    assert record.index("冻结并开始投票 · 村干部") < record.index("结束投票 · 村干部")
    head = client.get(reverse("ballot:board-json", args=[session.pk])).json()["head_hash"]
    assert f"公示板首哈希 {head}" in record
