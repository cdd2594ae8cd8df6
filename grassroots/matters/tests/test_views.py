"""Staff pages: the work queue (scope, filters, search, sorting, pagination,
badges, htmx partial, query count), the detail page (masking, channel
details, timeline, the actions each role sees), every action posted from the
page (success, bad input, domain errors, stale pages; nothing changes on
error) and the scoped attachment download."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.workdays import add_working_days, working_days_between
from grassroots.matters.models import Attachment, Channel, EventKind, Matter, MatterEvent, ReopenRequest
from grassroots.matters.services.feedback import matter_reopen_request
from grassroots.matters.services.lifecycle import matter_add_note
from grassroots.matters.states import State
from grassroots.publicity.models import Publication

from .staff_setup import accepted, category, handler, handling, new_matter, resolved
from .uploads import png_upload

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff(tree):
    return handler(tree.village_a, "staff_a")


@pytest.fixture
def matter(tree, staff):
    return new_matter(tree.unit_a1, actor=staff)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def text(response) -> str:
    return response.content.decode()


def state_of(matter: Matter) -> str:
    return Matter.objects.values_list("state", flat=True).get(pk=matter.pk)


# --- Queue -----------------------------------------------------------------------


def test_queue_is_scoped(staff_client, tree, matter):
    foreign = new_matter(tree.unit_b1, title="店子社区的路灯坏了")
    body = text(staff_client.get("/matters/"))
    assert matter.title in body and matter.number in body
    assert foreign.title not in body
    assert "共 1 件" in body


def test_queue_requires_capability(client, tree, make_user):
    client.force_login(make_user(Role.WINDOW_STAFF, tree.subdistrict))
    assert client.get("/matters/").status_code == 403


def test_queue_search_two_characters(staff_client, tree):
    hit = new_matter(tree.unit_a1, title="楼道堆放杂物")
    miss = new_matter(tree.unit_a1, title="路灯不亮", description="村口的路灯坏了三天了。")
    body = text(staff_client.get("/matters/", {"q": "楼道"}))
    assert hit.title in body and miss.title not in body
    body = text(staff_client.get("/matters/", {"q": "不存在的事"}))
    assert "没有符合条件的事项" in body and "清除筛选条件" in body


def test_queue_filters(staff_client, tree, staff):
    in_grid2 = new_matter(tree.grid_a2, title="路灯不亮", description="村口的路灯坏了三天了。", channel=Channel.HOTLINE)
    in_unit = new_matter(tree.unit_a1)
    accepted(in_unit, staff)

    def listed(**params) -> set[str]:
        body = text(staff_client.get("/matters/", params))
        return {m.title for m in (in_grid2, in_unit) if f">{m.title}</a>" in body}

    assert listed(state="accepted") == {in_unit.title}
    assert listed(node=tree.grid_a2.pk) == {in_grid2.title}
    assert listed(channel="hotline") == {in_grid2.title}
    assert listed(category=category().parent_id) == {in_unit.title}
    today = timezone.localdate()
    assert listed(date_from=today.isoformat(), date_to=today.isoformat()) == {in_grid2.title, in_unit.title}
    assert listed(date_from=(today + datetime.timedelta(days=1)).isoformat()) == set()


def test_queue_open_filter_lists_every_open_state(staff_client, tree, staff):
    """state=open (the dashboards' 未办结 figure) is every open state, not the closed ones."""
    reported = new_matter(tree.grid_a2, title="井盖松动", description="村口井盖松动有响声。")
    in_hand = accepted(new_matter(tree.unit_a1, title="路面塌陷", description="2号楼前路面塌陷一处。"), staff)
    done = resolved(handling(accepted(new_matter(tree.unit_a1), staff), staff), staff)
    body = text(staff_client.get("/matters/", {"state": "open"}))
    assert f">{reported.title}</a>" in body and f">{in_hand.title}</a>" in body
    assert f">{done.title}</a>" not in body
    assert "共 2 件" in body


def test_queue_invalid_filter_shows_error_and_keeps_listing(staff_client, tree, matter):
    body = text(staff_client.get("/matters/", {"date_from": "2026-02-31", "node": tree.village_b.pk}))
    assert "请输入有效的日期。" in body
    assert "所选辖区无效" in body
    assert matter.title in body


def test_queue_overdue_badges_and_filter(staff_client, tree, staff):
    today = timezone.localdate()
    late = new_matter(tree.unit_a1, title="逾期的事")
    due_today = new_matter(tree.unit_a1, title="今天到期的事")
    provisional = new_matter(tree.unit_a1, title="暂定期限的事")
    for m in (late, due_today, provisional):
        accepted(m, staff)
    late_due = today - datetime.timedelta(days=7)
    Matter.objects.filter(pk=late.pk).update(due_date=late_due)
    Matter.objects.filter(pk=due_today.pk).update(due_date=today)
    Matter.objects.filter(pk=provisional.pk).update(due_provisional=True)
    body = text(staff_client.get("/matters/"))
    assert f"逾期 {working_days_between(late_due, today)} 个工作日" in body
    assert "今日到期" in body
    assert "暂定" in body
    body = text(staff_client.get("/matters/", {"overdue": "late"}))
    assert late.title in body and due_today.title not in body and provisional.title not in body


def test_queue_sort_and_pagination(staff_client, tree, staff):
    matters = [new_matter(tree.unit_a1, title=f"事项{i:02d}") for i in range(27)]
    body = text(staff_client.get("/matters/"))
    assert "事项26" in body and "事项01" not in body  # newest first, 25 a page
    assert "第 1 / 2 页,共 27 条" in body
    assert "事项01" in text(staff_client.get("/matters/", {"page": 2}))
    accepted(matters[0], staff)
    Matter.objects.filter(pk=matters[0].pk).update(due_date=timezone.localdate())
    first_row = text(staff_client.get("/matters/", {"sort": "due"})).split('data-testid="queue-row"')[1]
    assert "事项00" in first_row


def test_queue_htmx_returns_the_results_only(staff_client, matter):
    response = staff_client.get("/matters/", {"q": "楼道"}, **HTMX)
    body = text(response)
    assert "<html" not in body and 'data-testid="queue-table"' in body and matter.title in body


def test_queue_empty_state(staff_client):
    assert "辖区内暂无事项" in text(staff_client.get("/matters/"))


# Session, user, notifications, the count, the page (search included), the categories … (measured).
QUEUE_SEARCH_QUERIES = 13


def test_queue_query_count_is_fixed(staff_client, tree, staff, django_assert_max_num_queries):
    for i in range(3):
        m = new_matter(tree.unit_a1, title=f"楼道问题{i}")
        handling(m, staff)
    with django_assert_max_num_queries(14) as few:
        staff_client.get("/matters/", {"q": "楼道"})
    for i in range(3, 25):
        m = new_matter(tree.grid_a2, title=f"楼道问题{i}")
        handling(m, staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get("/matters/", {"q": "楼道"})
    assert text(response).count('data-testid="queue-row"') == 25


# --- Detail ------------------------------------------------------------------------


def test_detail_shows_masked_reporter_and_channel_details(staff_client, tree, matter):
    body = text(staff_client.get(f"/matters/{matter.pk}/"))
    assert matter.number in body and "待受理" in body
    assert "王**" in body and "139****5678" in body
    assert "王小明" not in body and "13912345678" not in body
    assert "西张村邻里群" in body and "明明" in body
    assert "楼道堆满纸箱了,谁管管?" in body
    assert "西张村" in body  # breadcrumb


def test_detail_masks_contact_details_a_client_sent(staff_client, tree):
    detail = {"service_code": "littering", "email": "zhangsan@example.com", "attributes": {"floor": "3"}}
    sent = new_matter(tree.unit_a1, channel=Channel.OPEN311, channel_detail=detail)
    body = text(staff_client.get(f"/matters/{sent.pk}/"))
    assert "z***@example.com" in body and "zhangsan@example.com" not in body
    assert "floor:3" in body and "Open311 服务代码" in body


def test_detail_anonymous_reporter(staff_client, tree):
    anonymous = new_matter(tree.unit_a1, anonymous=True, reporter_name="赵六")
    body = text(staff_client.get(f"/matters/{anonymous.pk}/"))
    assert 'data-testid="reporter">匿名' in body and "赵" not in body


def test_detail_other_subtree_is_404(client, tree, make_user):
    foreign = new_matter(tree.unit_b1)
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    assert client.get(f"/matters/{foreign.pk}/").status_code == 404
    assert client.post(f"/matters/{foreign.pk}/note/", {"text": "看看", "visibility": "internal"}).status_code == 404
    assert not MatterEvent.objects.filter(matter=foreign, kind=EventKind.NOTE).exists()


def test_timeline_marks_internal_notes(staff_client, staff, matter):
    matter_add_note(actor=staff, matter=matter, text="已电话联系物业", public=False)
    body = text(staff_client.get(f"/matters/{matter.pk}/"))
    assert "已电话联系物业" in body and 'data-testid="internal-badge">内部' in body


def test_actions_follow_state_and_role(client, tree, staff, matter, make_user):
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    client.force_login(staff)
    body = text(client.get(f"/matters/{matter.pk}/"))
    for name in ("accept", "reject", "merge", "note"):
        assert f'data-testid="action-{name}"' in body
    for name in ("assign", "resolve", "close", "publish"):
        assert f'data-testid="action-{name}"' not in body
    client.force_login(worker)
    body = text(client.get(f"/matters/{matter.pk}/"))
    assert 'data-testid="action-note"' in body
    assert 'data-testid="action-accept"' not in body and 'data-testid="action-resolve"' not in body
    handling(matter, staff, assignee=worker)
    assert 'data-testid="action-resolve"' in text(client.get(f"/matters/{matter.pk}/"))


def test_detail_shows_provisional_deadline_warning(staff_client, staff, matter):
    accepted(matter, staff)
    Matter.objects.filter(pk=matter.pk).update(due_provisional=True)
    body = text(staff_client.get(f"/matters/{matter.pk}/"))
    assert 'data-testid="provisional-warning"' in body


# --- Actions -------------------------------------------------------------------------


def test_accept_via_htmx_rerenders_the_panel(staff_client, matter):
    response = staff_client.post(
        f"/matters/{matter.pk}/accept/",
        {"category": category().pk, "urgency": "normal", "seen_state": "reported"},
        **HTMX,
    )
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert "已受理,办理期限已计算。" in body
    matter.refresh_from_db()
    assert matter.state == State.ACCEPTED and matter.due_date is not None
    assert f"{matter.due_date.year}年{matter.due_date.month}月{matter.due_date.day}日" in body


def test_accept_without_javascript_redirects(staff_client, matter):
    response = staff_client.post(
        f"/matters/{matter.pk}/accept/", {"category": category().pk, "urgency": "normal", "seen_state": "reported"}
    )
    assert response.status_code == 302 and response["Location"] == f"/matters/{matter.pk}/"
    assert "已受理" in text(staff_client.get(response["Location"]))


def test_action_bad_input_shows_chinese_error_and_changes_nothing(staff_client, matter):
    events = MatterEvent.objects.count()
    response = staff_client.post(f"/matters/{matter.pk}/accept/", {"urgency": "normal", "seen_state": "reported"})
    assert response.status_code == 400
    assert "请选择分类。" in text(response)
    response = staff_client.post(f"/matters/{matter.pk}/reject/", {"reason": "  ", "seen_state": "reported"}, **HTMX)
    assert response.status_code == 200 and "请填写不予受理理由。" in text(response)
    assert state_of(matter) == State.REPORTED
    assert MatterEvent.objects.count() == events


def test_stale_page_says_so_and_changes_nothing(staff_client, staff, matter):
    accepted(matter, staff)
    events = MatterEvent.objects.count()
    response = staff_client.post(f"/matters/{matter.pk}/reject/", {"reason": "不属实", "seen_state": "reported"})
    assert response.status_code == 409
    assert "事项已被他人处理,请刷新后重试。" in text(response)
    assert state_of(matter) == State.ACCEPTED and MatterEvent.objects.count() == events


def test_forbidden_transition_is_a_form_error(staff_client, staff, matter):
    accepted(matter, staff)
    response = staff_client.post(f"/matters/{matter.pk}/reject/", {"reason": "不属实"}, **HTMX)
    assert "事项当前为“已受理”,不能不予受理。" in text(response)
    assert state_of(matter) == State.ACCEPTED


def test_grid_worker_cannot_accept(client, tree, matter, make_user):
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    response = client.post(f"/matters/{matter.pk}/accept/", {"category": category().pk, "urgency": "normal"})
    assert response.status_code == 403
    assert "您的角色没有此项权限。" in text(response)
    assert state_of(matter) == State.REPORTED


def test_merge_by_number(staff_client, tree, matter):
    target = new_matter(tree.unit_a1, title="楼道杂物")
    response = staff_client.post(f"/matters/{matter.pk}/merge/", {"into": "SX00000000-9999"}, **HTMX)
    assert "未找到编号为“SX00000000-9999”的事项" in text(response)
    foreign = new_matter(tree.unit_b1)
    response = staff_client.post(f"/matters/{matter.pk}/merge/", {"into": foreign.number}, **HTMX)
    assert "不在您的辖区内" in text(response)
    assert state_of(matter) == State.REPORTED
    staff_client.post(f"/matters/{matter.pk}/merge/", {"into": target.number.lower()}, **HTMX)
    matter.refresh_from_db()
    assert matter.state == State.MERGED and matter.merged_into == target


def test_duplicates_offered_when_accepting(staff_client, tree, matter):
    twin = new_matter(tree.unit_a1, title="楼道堆放杂物", description="2号楼楼道又堆满了纸箱和旧家具。")
    body = text(staff_client.get(f"/matters/{matter.pk}/"))
    assert 'data-testid="duplicates"' in body and twin.number in body and "合并到此" in body


def test_assign_resolve_close(staff_client, tree, staff, matter, make_user):
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    accepted(matter, staff)
    response = staff_client.post(f"/matters/{matter.pk}/assign/", {"assignee": worker.pk, "plan": ""}, **HTMX)
    assert "请填写办理方案。" in text(response)
    staff_client.post(f"/matters/{matter.pk}/assign/", {"assignee": worker.pk, "plan": "通知物业清理。"}, **HTMX)
    matter.refresh_from_db()
    assert matter.state == State.HANDLING and matter.assignee == worker
    staff_client.post(f"/matters/{matter.pk}/resolve/", {"result": "已清理。", "attachments": [png_upload()]}, **HTMX)
    matter.refresh_from_db()
    assert matter.state == State.RESOLVED
    assert Attachment.objects.filter(matter=matter, public=True).count() == 1
    response = staff_client.post(f"/matters/{matter.pk}/close/", {"seen_state": "resolved"}, **HTMX)
    assert "事项已关闭。" in text(response)
    assert state_of(matter) == State.CLOSED


def test_close_refused_without_publicity(staff_client, tree, staff):
    collective = new_matter(tree.unit_a1, touches_collective=True)
    resolved(collective, staff)
    response = staff_client.post(f"/matters/{collective.pk}/close/", {"seen_state": "resolved"})
    assert response.status_code == 400
    assert "理事方案" in text(response)
    assert state_of(collective) == State.RESOLVED


def test_publish_form_defaults_and_record(staff_client, staff, matter):
    handling(matter, staff)
    body = text(staff_client.get(f"/matters/{matter.pk}/"))
    end = add_working_days(timezone.localdate(), 5)
    assert f'value="{end.isoformat()}"' in body
    today = timezone.localdate().isoformat()
    response = staff_client.post(
        f"/matters/{matter.pk}/publish/",
        {"kind": "plan", "title": "清理方案公示", "content": "三日内清理", "starts_on": today, "ends_on": today},
        **HTMX,
    )
    assert "请选择公示渠道。" in text(response) and Publication.objects.count() == 0
    staff_client.post(
        f"/matters/{matter.pk}/publish/",
        {
            "kind": "plan",
            "title": "清理方案公示",
            "content": "三日内清理",
            "starts_on": today,
            "ends_on": end.isoformat(),
            "channels": ["notice", "wechat"],
        },
        **HTMX,
    )
    publication = Publication.objects.get()
    assert publication.channels == ["notice", "wechat"]
    assert "公告栏纸质公示、微信群/公众号" in text(staff_client.get(f"/matters/{matter.pk}/"))


def test_note_escalate_joint_meeting_reopen(staff_client, tree, staff, matter):
    staff_client.post(f"/matters/{matter.pk}/note/", {"text": "正在协调", "visibility": "public"}, **HTMX)
    assert MatterEvent.objects.filter(matter=matter, kind=EventKind.REPLY, public=True).exists()
    accepted(matter, staff, "leakage")
    staff_client.post(f"/matters/{matter.pk}/escalate/", {"reason": "协调不动"}, **HTMX)
    staff_client.post(f"/matters/{matter.pk}/joint-meeting/", {"reason": "涉及多部门"}, **HTMX)
    matter.refresh_from_db()
    assert matter.escalation_level == 1 and matter.joint_meeting_reason == "涉及多部门"
    resolved(matter, staff)
    staff_client.post(f"/matters/{matter.pk}/reopen/", {"reason": "又漏水了", "seen_state": "resolved"}, **HTMX)
    assert state_of(matter) == State.HANDLING


def test_reopen_request_answer(staff_client, tree, staff, matter):
    resolved(matter, staff)
    reopen = matter_reopen_request(matter=matter, reason="楼道又堆满了")
    body = text(staff_client.get(f"/matters/{matter.pk}/"))
    assert 'data-testid="reopen-request"' in body and "楼道又堆满了" in body
    response = staff_client.post(f"/matters/reopen-requests/{reopen.pk}/answer/", {"answer": "好"}, **HTMX)
    assert "请选择是否同意。" in text(response)
    staff_client.post(f"/matters/reopen-requests/{reopen.pk}/answer/", {"grant": "yes", "answer": "重新清理"}, **HTMX)
    reopen.refresh_from_db()
    assert reopen.status == ReopenRequest.Status.GRANTED and state_of(matter) == State.HANDLING


def test_grid_worker_cannot_answer_a_reopen_request(client, tree, staff, matter, make_user):
    resolved(matter, staff)
    reopen = matter_reopen_request(matter=matter, reason="楼道又堆满了")
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    assert 'data-testid="reopen-request"' not in text(client.get(f"/matters/{matter.pk}/"))
    response = client.post(f"/matters/reopen-requests/{reopen.pk}/answer/", {"grant": "yes", "answer": "好"})
    assert response.status_code == 403 and "您的角色没有此项权限。" in text(response)
    assert ReopenRequest.objects.get(pk=reopen.pk).status == ReopenRequest.Status.OPEN
    assert state_of(matter) == State.RESOLVED


def test_reopen_request_of_another_subtree_is_404(client, tree, staff, make_user):
    foreign = new_matter(tree.unit_b1)
    resolved(foreign, handler(tree.village_b))
    reopen = matter_reopen_request(matter=foreign, reason="不满意")
    client.force_login(staff)
    response = client.post(f"/matters/reopen-requests/{reopen.pk}/answer/", {"grant": "yes", "answer": "好"})
    assert response.status_code == 404
    assert ReopenRequest.objects.get(pk=reopen.pk).status == ReopenRequest.Status.OPEN


# --- Attachments ------------------------------------------------------------------


def test_attachment_download_is_scoped(client, tree, staff, make_user):
    with_photo = new_matter(tree.unit_a1, actor=staff)
    handling(with_photo, staff)
    resolved_matter = with_photo
    from grassroots.matters.services.lifecycle import matter_resolve

    matter_resolve(actor=staff, matter=resolved_matter, result="已清理。", files=[png_upload("现场.png")])
    attachment = Attachment.objects.get()
    client.force_login(staff)
    response = client.get(f"/matters/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert "%E7%8E%B0%E5%9C%BA.png" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(f"/matters/attachments/{attachment.pk}/", {"download": "1"})["Content-Disposition"].startswith(
        "attachment;"
    )
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_b))
    assert client.get(f"/matters/attachments/{attachment.pk}/").status_code == 404


def test_queue_search_with_a_state_filter_costs_a_fixed_number_of_queries(
    staff_client, tree, staff, django_assert_num_queries
):
    for i in range(3):
        handling(new_matter(tree.unit_a1, title=f"楼道问题{i}"), staff)
    new_matter(tree.unit_a1, title="楼道问题(待受理)")
    with django_assert_num_queries(QUEUE_SEARCH_QUERIES) as captured:
        response = staff_client.get("/matters/", {"q": "樓道", "state": "handling"})  # traditional 樓 folds to 楼
    assert text(response).count('data-testid="queue-row"') == 3
    # The text search is inside the list's own statement: no separate query for the hits.
    assert not [
        q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith('SELECT "CORE_SEARCHENTRY"')
    ]
