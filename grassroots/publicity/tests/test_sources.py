"""Draft texts made from a closed meeting's resolutions and a closed
appraisal's results: everything residents need, no representative names."""

from __future__ import annotations

import datetime

import pytest

from grassroots.core.errors import DomainError
from grassroots.deliberation.models import Meeting
from grassroots.deliberation.publishing import resolution_draft
from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.publishing import appraisal_draft
from grassroots.matters.tests import factories as f
from grassroots.publicity.services import chinese_number
from grassroots.regions.models import Representative
from grassroots.testing.factories import UserFactory

from ..services import publication_create
from .staff_helpers import DECISION_HALL, DECISION_ROAD, closed_appraisal, closed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree, monkeypatch):
    f.freeze(monkeypatch)
    return f.make_staff(tree)


def _representative_names() -> list[str]:
    return [rep.resident.name for rep in Representative.objects.select_related("resident")]


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 35, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "三十五",
        "九十九",
    ]
    assert chinese_number(100) == "100"


def test_resolution_draft_lists_each_resolution_with_its_vote(tree, staff):
    meeting = closed_meeting(staff.village_a, tree.village_a, tree.unit_a1)
    title, content = resolution_draft(meeting)
    assert title == "十一月村民协商议事会决议公示"
    assert "西张村于2026年11月30日在村委会议室召开协商议事会“十一月村民协商议事会”,应到 3 人" in content
    assert "共形成 2 项决议" in content
    first, second = content.index("一、议题:村东主路硬化"), content.index("二、议题:文化礼堂改建")
    assert first < second
    road = content[first:second]
    assert f"决议内容:{DECISION_ROAD}" in road
    assert "表决结果:赞成 3 票,反对 0 票,弃权 0 票(到会 3 人),决议通过。" in road
    assert "责任单位:西张村村委会" in road and "办理期限:2027年3月31日前" in road
    hall = content[second:]
    assert f"决议内容:{DECISION_HALL}" in hall
    assert "赞成 1 票,反对 2 票,弃权 0 票(到会 3 人),决议未通过。" in hall
    assert "责任单位" not in hall
    for name in _representative_names():
        assert name not in content
    # The draft is accepted as it is by the service.
    draft = publication_create(
        actor=staff.village_a, kind="resolution", meeting=meeting, title=title, content=content, channels=["portal"]
    )
    assert draft.node == tree.village_a


def test_appraisal_draft_shows_satisfaction_and_hides_thin_staff_results(tree, staff):
    handler_a = UserFactory(username="h_a", role="village_staff", jurisdiction=tree.village_a, display_name="王办理")
    handler_b = UserFactory(username="h_b", role="village_staff", jurisdiction=tree.village_a, display_name="赵办理")
    session = closed_appraisal(tree, staff.village_a, [handler_a, handler_b])
    title, content = appraisal_draft(session)
    assert title == "西张村2026年10月群众代表评议结果公示"
    assert "西张村于2026年11月30日组织群众代表对2026年10月的工作进行了满意度评议" in content
    assert "到会代表 6 人,收回选票 6 张" in content
    staff_part = content[content.index("一、工作人员") : content.index("二、集体事项办理结果")]
    # 4 satisfied + 2 basic of 6: (4 + 1) / 6 = 83.3 %.
    # Staff appear with masked names and their unit, as every name on a public page.
    assert "王**(西张村工作人员):满意度 83.3%(满意 4 票,基本满意 2 票,不满意 0 票,共 6 票)" in staff_part
    assert "赵**(西张村工作人员):票数不足,不公布" in staff_part
    assert "王办理" not in content and "赵办理" not in content
    assert "不满意 2 票" not in staff_part  # the two ballots on 赵办理 stay secret
    matter_part = content[content.index("二、集体事项办理结果") :]
    assert "M202600901 集体事项1:村道路灯安装:满意度" in matter_part
    assert "评价票数少于 5 张的工作人员不公布结果" in content
    for name in _representative_names():
        assert name not in content


def test_appraisal_draft_needs_a_closed_session(tree, staff):
    from grassroots.evaluation.services import sessions

    session, _ = sessions.session_create(village=tree.village_a, month=datetime.date(2026, 10, 1))
    with pytest.raises(DomainError):
        appraisal_draft(session)
    assert AppraisalSession.objects.get(pk=session.pk).state == "draft"
    assert not Meeting.objects.exists()
