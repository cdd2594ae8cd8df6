"""评事考评排行: the computation over hand-made closed sessions (window, pooling,
suppression, min_months, exact thresholds), the rule's validation and who
may change it, the publication draft, and the page's authorisation matrix."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.errors import DomainError, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.evaluation import ranking as r
from grassroots.evaluation.models import AppraisalItem, AppraisalSession, Ballot, ItemKind, PaperTally, RankingRule
from grassroots.evaluation.states import State
from grassroots.matters.tests import factories as f
from grassroots.publicity.models import Kind as PublicationKind
from grassroots.publicity.models import Publication
from grassroots.publicity.models import State as PublicationState
from grassroots.regions.models import Level, Node
from grassroots.testing.factories import UserFactory

from .conftest import make_matter

pytestmark = pytest.mark.django_db
D = datetime.date
SEP, OCT, NOV = D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)

Votes = Sequence[tuple[Any, tuple[int, int, int]]]


def closed_session(village: Node, month: datetime.date, votes: Votes, *, state: str = State.CLOSED) -> AppraisalSession:
    """A session with one staff item per person and ballots giving exactly
    (satisfied, basic, unsatisfied) to each."""
    session = AppraisalSession.objects.create(
        village=village, month=month, state=state, closed_at=timezone.now() if state == State.CLOSED else None
    )
    items = [
        AppraisalItem.objects.create(session=session, kind=ItemKind.STAFF, staff=user, label=str(user), position=i)
        for i, (user, _counts) in enumerate(votes)
    ]
    ballots: list[dict[str, str]] = [{} for _ in range(max((sum(c) for _u, c in votes), default=0))]
    for item, (_user, (sat, basic, unsat)) in zip(items, votes, strict=True):
        for i, rating in enumerate(["satisfied"] * sat + ["basic"] * basic + ["unsatisfied"] * unsat):
            ballots[i][str(item.pk)] = rating
    Ballot.objects.bulk_create(
        [Ballot(session=session, tracker=f"T{i:07d}", choices=choices) for i, choices in enumerate(ballots)]
    )
    return session


def person(name: str, node: Node) -> Any:
    return UserFactory(username=f"u_{name}", display_name=name, role=Role.VILLAGE_STAFF, jurisdiction=node)


def rule(**values: int) -> RankingRule:
    made = RankingRule(subdistrict=Node(level=Level.SUBDISTRICT))
    for name, value in values.items():
        setattr(made, name, value)
    return made


def build(tree: Any, end: datetime.date = NOV, **values: int) -> r.Ranking:
    return r.ranking_build(subdistrict=tree.subdistrict, end_month=end, rule=rule(**values))


def status_of(ranking: r.Ranking, name: str) -> str:
    return next(row.status for row in ranking.rows if row.name == name)


def row_of(ranking: r.Ranking, name: str) -> r.StaffRow:
    return next(row for row in ranking.rows if row.name == name)


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)  # Mon 2026-11-30: "last month" is October


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


# --- Computation ---------------------------------------------------------------


def test_window_pooling_and_closed_sessions_only(tree):
    wang, zhao = person("王办理", tree.village_a), person("赵办理", tree.village_a)
    va, vb = tree.village_a, tree.village_b
    closed_session(va, D(2026, 8, 1), [(wang, (0, 0, 10))])  # before the window
    closed_session(va, SEP, [(wang, (9, 1, 0)), (zhao, (5, 0, 5))])
    closed_session(va, OCT, [(wang, (10, 0, 0)), (zhao, (5, 5, 0))])
    closed_session(vb, OCT, [(wang, (4, 2, 0))])  # same month, other village: pooled into October
    closed_session(va, NOV, [(wang, (0, 0, 9))], state=State.FROZEN)  # still voting: not counted
    closed_session(va, D(2026, 12, 1), [(wang, (0, 0, 9))])  # after the window
    other_sub = Node.objects.add_root(instance=Node(name="齐都街道", level=Level.SUBDISTRICT))
    other_village = Node.objects.add_child(other_sub, instance=Node(name="外村", level=Level.VILLAGE, kind="village"))
    closed_session(other_village, NOV, [(wang, (0, 0, 9))])  # another subdistrict

    ranking = build(tree)
    assert ranking.months == [SEP, OCT, NOV]
    assert ranking.period_label == "2026年9月—11月"
    assert ranking.session_count == 3
    w = row_of(ranking, "王办理")
    assert [c.total for c in w.cells] == [10, 16, 0]
    assert (w.satisfied, w.basic, w.unsatisfied, w.ballots, w.months_with_results) == (23, 3, 0, 26, 2)
    # sum(satisfied + basic / 2) / sum(total): (23 + 1.5) / 26 = 94.23… → 94.2
    assert w.satisfaction == Decimal("94.2")
    assert w.cells[1].satisfaction == Decimal("93.7")  # (14 + 1) / 16 = 93.75, cut (not rounded) to one decimal
    assert w.villages == ["西张村", "店子社区"]
    assert w.status == r.RED
    z = row_of(ranking, "赵办理")
    # (5 + 7.5) / 20 = 62.5 → yellow for satisfaction, and September's 50 % unsatisfied
    assert z.satisfaction == Decimal("62.5")
    assert z.status == r.YELLOW
    assert z.reasons == ["满意度低于 70%", "单月不满意票占比 ≥ 30%(2026年9月 50.0%)"]
    assert z.worst_unsatisfied_share == Decimal("50.0")


def test_red_boundary_exact_and_one_vote_short(tree):
    at, short = person("甲", tree.village_a), person("乙", tree.village_a)
    # 0.57 * 100 is 56.99999999999999 in floating point: exact arithmetic must still say 57.
    closed_session(tree.village_a, OCT, [(at, (57, 0, 43)), (short, (56, 1, 43))])
    closed_session(tree.village_a, NOV, [(at, (57, 0, 43)), (short, (57, 0, 43))])
    ranking = build(tree, red_min=57, yellow_below=50, unsatisfied_share_max=50)
    assert row_of(ranking, "甲").satisfaction == Decimal("57.0")
    assert status_of(ranking, "甲") == r.RED
    # One satisfied vote became basic: 56.75 %, below the line, and shown as 56.7 (not 56.8 or 57.0).
    assert row_of(ranking, "乙").satisfaction == Decimal("56.7")
    assert status_of(ranking, "乙") == r.NORMAL
    assert [row.name for row in ranking.red] == ["甲"] and [row.name for row in ranking.normal] == ["乙"]


def test_yellow_boundary_exact_and_one_vote_short(tree):
    at, short = person("丙", tree.village_a), person("丁", tree.village_a)
    closed_session(tree.village_a, OCT, [(at, (7, 0, 3)), (short, (7, 0, 3))])
    closed_session(tree.village_a, NOV, [(at, (7, 0, 3)), (short, (6, 1, 3))])
    ranking = build(tree, unsatisfied_share_max=31)  # default red 90 / yellow 70
    assert row_of(ranking, "丙").satisfaction == Decimal("70.0")
    assert status_of(ranking, "丙") == r.NORMAL  # exactly 70 is not below 70
    assert row_of(ranking, "丁").satisfaction == Decimal("67.5")
    assert status_of(ranking, "丁") == r.YELLOW
    assert row_of(ranking, "丁").reasons == ["满意度低于 70%"]


def test_unsatisfied_share_boundary_puts_even_a_red_candidate_on_the_yellow_list(tree):
    at, short = person("戊", tree.village_a), person("己", tree.village_a)
    # 0.29 * 100 is 28.999999999999996 in floating point.
    closed_session(tree.village_a, OCT, [(at, (71, 0, 29)), (short, (72, 0, 28))])
    closed_session(tree.village_a, NOV, [(at, (100, 0, 0)), (short, (100, 0, 0))])
    ranking = build(tree, red_min=80, unsatisfied_share_max=29)
    assert row_of(ranking, "戊").satisfaction == Decimal("85.5")  # would be red
    assert status_of(ranking, "戊") == r.YELLOW
    assert row_of(ranking, "戊").reasons == ["单月不满意票占比 ≥ 29%(2026年10月 29.0%)"]
    assert status_of(ranking, "己") == r.RED  # 28 %: one vote short of the trigger
    assert row_of(ranking, "己").reasons == []


def test_suppressed_months_never_count_and_never_show(tree, client, staff):
    few, none = person("庚", tree.village_a), person("辛", tree.village_a)
    closed_session(tree.village_a, SEP, [(few, (10, 0, 0)), (none, (4, 0, 0))])
    closed_session(tree.village_a, OCT, [(few, (0, 0, 4)), (none, (0, 0, 4))])  # 4 ballots: suppressed
    closed_session(tree.village_a, NOV, [(few, (9, 1, 0)), (none, (0, 0, 3))])
    ranking = build(tree, min_months=2)
    g = row_of(ranking, "庚")
    assert [c.total for c in g.cells] == [10, 0, 10]
    assert (g.ballots, g.unsatisfied, g.months_with_results) == (20, 0, 2)
    assert g.status == r.RED  # October's four 不满意 votes neither count nor trigger the yellow list
    x = row_of(ranking, "辛")
    assert x.status == r.UNRANKED and x.months_with_results == 0 and x.satisfaction is None
    assert [row.name for row in ranking.unranked] == ["辛"]

    client.force_login(staff.street)
    html = client.get(reverse("evaluation:ranking"), {"month": "2026-11"}).content.decode()
    monthly = html[html.index('data-testid="monthly"') :]
    g_row = monthly[monthly.index("庚") : monthly.index("</tr>", monthly.index("庚"))]
    assert "100.0%" in g_row and "95.0%" in g_row and "4 票" not in g_row and "—" in g_row
    x_row = monthly[monthly.index("辛") : monthly.index("</tr>", monthly.index("辛"))]
    assert "%" not in x_row and "票" not in x_row and x_row.count("—") == 3


def test_min_months_and_window_length(tree):
    once = person("壬", tree.village_a)
    closed_session(tree.village_a, NOV, [(once, (10, 0, 0))])
    assert build(tree, min_months=2).unranked[0].name == "壬"
    assert build(tree, min_months=1).red[0].name == "壬"
    one_month = build(tree, months=1, min_months=1)
    assert one_month.months == [NOV] and one_month.period_label == "2026年11月"
    assert build(tree, end=OCT, min_months=1).session_count == 0  # November is outside Aug–Oct
    long = build(tree, end=D(2027, 1, 1), months=6)
    assert long.months[0] == D(2026, 8, 1) and long.period_label == "2026年8月—2027年1月"


def test_sorting_ties_by_name_and_matter_items_ignored(tree):
    a, b, c, d = (person(n, tree.village_a) for n in ("刘一", "陈二", "张三", "李四"))
    matter = make_matter(tree.grid_a1, 1, assignee=a, resolved=timezone.now())
    for month in (OCT, NOV):
        session = closed_session(
            tree.village_a, month, [(a, (10, 0, 0)), (b, (10, 0, 0)), (c, (9, 1, 0)), (d, (5, 0, 5))]
        )
        AppraisalItem.objects.create(session=session, kind=ItemKind.MATTER, matter=matter, label="集体事项1")
    ranking = build(tree, unsatisfied_share_max=60)
    assert [row.name for row in ranking.red] == [*sorted(["刘一", "陈二"]), "张三"]
    assert [row.name for row in ranking.yellow] == ["李四"]
    assert "集体事项1" not in [row.name for row in ranking.rows]
    e = person("周五", tree.village_a)
    closed_session(tree.village_a, SEP, [(e, (1, 0, 9))])
    closed_session(tree.village_b, SEP, [(e, (0, 0, 10))])
    closed_session(tree.village_b, OCT, [(e, (0, 0, 10))])
    assert [row.name for row in build(tree, unsatisfied_share_max=60).yellow] == ["周五", "李四"]


def test_confirmed_paper_tallies_are_counted(tree, staff):
    p = person("吴六", tree.village_a)
    closed_session(tree.village_a, OCT, [(p, (10, 0, 0))])
    session = closed_session(tree.village_a, NOV, [(p, (2, 0, 0))])  # suppressed online alone
    item = session.items.get()
    counts = {str(item.pk): {"satisfied": 3, "basic": 0, "unsatisfied": 1}}
    PaperTally.objects.create(session=session, entered_by=staff.village_a, counts=counts, ballots=4)
    PaperTally.objects.create(session=session, entered_by=staff.street, counts=counts, ballots=4)
    row = row_of(build(tree), "吴六")
    assert [c.total for c in row.cells] == [0, 10, 6] and row.satisfaction == Decimal("93.7")


def test_ranking_text_for_the_publication(tree):
    wang, zhao = person("王办理", tree.village_a), person("赵办理", tree.village_b)
    for month in (SEP, OCT, NOV):
        closed_session(tree.village_a, month, [(wang, (10, 0, 0))])
        closed_session(tree.village_b, month, [(zhao, (3, 2, 5))])
    ranking = r.ranking_build(subdistrict=tree.subdistrict, end_month=NOV, rule=r.rule_for(tree.subdistrict))
    title, content = r.ranking_text(ranking)
    assert title == "湖田街道2026年9月—11月工作人员评事考评排行"
    # Published names are masked like every name on a public page; the unit says who it is.
    assert "表扬名单:\n1. 王**(西张村工作人员) 满意度 100.0%,3 个月有评议结果" in content
    assert "王办理" not in content
    assert "督促名单:\n1. 赵**(店子社区工作人员) 满意度 40.0%,3 个月有评议结果;满意度低于 70%" in content
    assert (
        "满意度 ≥ 90% 上表扬名单,< 70% 或单月不满意票占比 ≥ 30% 上督促名单,近 3 个月中至少 2 个月有评议结果" in content
    )
    empty = r.ranking_build(subdistrict=tree.subdistrict, end_month=D(2026, 5, 1), rule=r.rule_for(tree.subdistrict))
    _title, empty_content = r.ranking_text(empty)
    assert "表扬名单:\n无" in empty_content and "督促名单:\n无" in empty_content


# --- Rule ------------------------------------------------------------------------

VALID = {"months": 6, "min_months": 3, "red_min": 95, "yellow_below": 60, "unsatisfied_share_max": 25}


def test_rule_for_gives_defaults_then_the_saved_rule(tree, staff):
    default = r.rule_for(tree.subdistrict)
    assert default.pk is None and r.rule_values(default) == {
        "months": 3,
        "min_months": 2,
        "red_min": 90,
        "yellow_below": 70,
        "unsatisfied_share_max": 30,
    }
    saved = r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **VALID)
    assert r.rule_for(tree.subdistrict).pk == saved.pk and r.rule_values(saved) == VALID
    assert saved.updated_by == staff.street and saved.path == tree.subdistrict.path
    entry = AuditEntry.objects.filter(object_type="evaluation.RankingRule").get()
    assert entry.detail == {"before": {}, "after": VALID} and entry.actor_id == staff.street.pk
    changed = r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **{**VALID, "red_min": 90})
    assert changed.pk == saved.pk and RankingRule.objects.get().red_min == 90
    last = AuditEntry.objects.filter(object_type="evaluation.RankingRule").order_by("-id").first()
    assert last is not None and last.detail["before"]["red_min"] == 95 and last.detail["after"]["red_min"] == 90


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"months": 0}, "months", "统计月数须在 1 至 12 之间。"),
        ({"months": 13}, "months", "统计月数须在 1 至 12 之间。"),
        ({"min_months": 0}, "min_months", "至少有结果的月数须在 1 至统计月数(6)之间。"),
        ({"min_months": 7}, "min_months", "至少有结果的月数须在 1 至统计月数(6)之间。"),
        ({"red_min": 101}, "red_min", "表扬名单满意度须在 0% 至 100% 之间。"),
        ({"red_min": -1}, "red_min", "表扬名单满意度须在 0% 至 100% 之间。"),
        ({"yellow_below": 96}, "yellow_below", "督促名单满意度须在 0% 至表扬名单满意度(95%)之间。"),
        ({"yellow_below": -5}, "yellow_below", "督促名单满意度须在 0% 至表扬名单满意度(95%)之间。"),
        ({"unsatisfied_share_max": 0}, "unsatisfied_share_max", "单月不满意票占比须在 1% 至 100% 之间。"),
        ({"unsatisfied_share_max": 101}, "unsatisfied_share_max", "单月不满意票占比须在 1% 至 100% 之间。"),
        ({"months": "6"}, "months", "请将统计月数填写为整数。"),
        ({"red_min": True}, "red_min", "请将表扬名单满意度填写为整数。"),
    ],
)
def test_rule_validation_changes_nothing(tree, staff, changes, field, message):
    r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **VALID)
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **{**VALID, **changes})
    assert (exc.value.field, exc.value.message) == (field, message)
    assert r.rule_values(RankingRule.objects.get()) == VALID and AuditEntry.objects.count() == audits


def test_rule_edges_are_accepted(tree, staff):
    edges = {"months": 12, "min_months": 12, "red_min": 100, "yellow_below": 100, "unsatisfied_share_max": 100}
    assert r.rule_values(r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **edges)) == edges
    low = {"months": 1, "min_months": 1, "red_min": 0, "yellow_below": 0, "unsatisfied_share_max": 1}
    assert r.rule_values(r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **low)) == low


@pytest.mark.parametrize("who", ["village_a", "village_b", "grid_a1", "mediator", "other_street", "inactive"])
def test_only_subdistrict_staff_of_the_subdistrict_may_change_the_rule(tree, staff, who):
    if who == "other_street":
        other = Node.objects.add_root(instance=Node(name="齐都街道", level=Level.SUBDISTRICT))
        actor = UserFactory(username="qidu", role=Role.SUBDISTRICT_STAFF, jurisdiction=other)
    elif who == "inactive":
        actor = UserFactory(
            username="gone", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, is_active=False
        )
    else:
        actor = getattr(staff, who)
    with pytest.raises(PermissionDenied) as exc:
        r.rule_save(actor=actor, subdistrict=tree.subdistrict, **VALID)
    assert exc.value.message == "只有街道工作人员可以修改评事考评排行规则。"
    with pytest.raises(PermissionDenied):
        r.ranking_publish(actor=actor, subdistrict=tree.subdistrict, end_month=NOV)
    assert not RankingRule.objects.exists() and not Publication.objects.exists()


def test_rule_needs_a_subdistrict_node(tree, staff):
    with pytest.raises(DomainError) as exc:
        r.rule_save(actor=staff.street, subdistrict=tree.village_a, **VALID)
    assert exc.value.message == "评事考评排行按街道设置和公示。"
    assert not RankingRule.objects.exists()


# --- Publication -----------------------------------------------------------------


def test_publish_creates_one_draft_at_the_subdistrict(tree, staff):
    wang, zhao = person("王办理", tree.village_a), person("赵办理", tree.village_b)
    for month in (SEP, OCT, NOV):
        closed_session(tree.village_a, month, [(wang, (10, 0, 0))])
        closed_session(tree.village_b, month, [(zhao, (3, 2, 5))])
    publication = r.ranking_publish(actor=staff.street, subdistrict=tree.subdistrict, end_month=NOV)
    row = Publication.objects.get()
    assert row.pk == publication.pk
    assert (row.kind, row.state, row.node_id, row.path) == (
        PublicationKind.RANKING,
        PublicationState.DRAFT,
        tree.subdistrict.pk,
        tree.subdistrict.path,
    )
    assert row.title == "湖田街道2026年9月—11月工作人员评事考评排行"
    assert sorted(row.channels) == ["led", "notice", "portal"]
    assert row.data["from"] == "2026-09" and row.data["to"] == "2026-11"
    assert row.data["rule"] == {
        "months": 3,
        "min_months": 2,
        "red_min": 90,
        "yellow_below": 70,
        "unsatisfied_share_max": 30,
    }
    assert [e["name"] for e in row.data["red"]] == ["王**"]
    assert row.data["red"][0]["satisfaction"] == 100.0 and row.data["red"][0]["months"] == 3
    assert row.data["yellow"][0]["name"] == "赵**" and row.data["yellow"][0]["reasons"][0] == "满意度低于 70%"
    assert row.starts_on is None and row.published_at is None
    # Pressing the button again for the same, unchanged list gives back the same draft.
    again = r.ranking_publish(actor=staff.street, subdistrict=tree.subdistrict, end_month=NOV)
    assert again.pk == row.pk and Publication.objects.count() == 1
    # After a rule change the list differs: a new draft.
    r.rule_save(actor=staff.street, subdistrict=tree.subdistrict, **{**VALID, "min_months": 1, "months": 3})
    r.ranking_publish(actor=staff.street, subdistrict=tree.subdistrict, end_month=NOV)
    assert Publication.objects.count() == 2


def test_publish_refuses_a_window_without_closed_sessions(tree, staff):
    wang = person("王办理", tree.village_a)
    closed_session(tree.village_a, NOV, [(wang, (10, 0, 0))], state=State.FROZEN)
    with pytest.raises(DomainError) as exc:
        r.ranking_publish(actor=staff.street, subdistrict=tree.subdistrict, end_month=NOV)
    assert exc.value.message == "2026年9月—11月没有已结束的月度评议,不能生成评事考评排行。"
    assert not Publication.objects.exists()


# --- Pages -----------------------------------------------------------------------


def _month_data(tree: Any) -> None:
    wang, zhao, qian = (person(n, tree.village_a) for n in ("王办理", "赵办理", "钱办理"))
    for month in (D(2026, 8, 1), SEP, OCT):
        closed_session(tree.village_a, month, [(wang, (10, 0, 0)), (zhao, (4, 2, 4)), (qian, (7, 2, 1))])


PAGES = [("evaluation:ranking", "get"), ("evaluation:ranking-rule", "post"), ("evaluation:ranking-publish", "post")]


@pytest.mark.parametrize(("name", "method"), PAGES)
def test_anonymous_and_roles_without_run_appraisals(client, tree, staff, name, method):
    url = reverse(name)
    assert getattr(client, method)(url).status_code == 302
    for user in (staff.grid_a1, staff.mediator):
        client.force_login(user)
        assert getattr(client, method)(url, {"month": "2026-10", **VALID}).status_code == 403
    assert not RankingRule.objects.exists() and not Publication.objects.exists()


def test_page_for_subdistrict_staff(client, tree, staff, django_assert_max_num_queries):
    _month_data(tree)
    client.force_login(staff.street)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("evaluation:ranking"))  # default: last month (October)
    html = response.content.decode()
    assert response.status_code == 200
    assert "湖田街道工作人员评事考评排行" in html and "2026年8月—10月" in html
    assert 'data-testid="list-red"' in html and "王办理" in html
    yellow = html[html.index('data-testid="list-yellow"') : html.index('data-testid="list-normal"')]
    assert "赵办理" in yellow and "50.0%" in yellow and "满意度低于 70%" in yellow
    normal = html[html.index('data-testid="list-normal"') : html.index('data-testid="list-unranked"')]
    assert "钱办理" in normal and "90.0%" not in normal and "80.0%" in normal
    assert "生成评事考评排行公示草稿" in html and "保存规则" in html
    assert "满意度 ≥ 90% 上表扬名单,&lt; 70% 或单月不满意票占比 ≥ 30% 上督促名单" in html


def test_page_for_village_staff_is_read_only(client, tree, staff):
    _month_data(tree)
    client.force_login(staff.village_b)
    html = client.get(reverse("evaluation:ranking"), {"month": "2026-10"}).content.decode()
    assert "王办理" in html and 'data-testid="rule-readonly"' in html and "规则由街道工作人员设置。" in html
    assert "生成评事考评排行公示草稿" not in html and "保存规则" not in html
    audits = AuditEntry.objects.filter(action="access.denied").count()
    assert client.post(reverse("evaluation:ranking-rule"), {"month": "2026-10", **VALID}).status_code == 403
    assert client.post(reverse("evaluation:ranking-publish"), {"month": "2026-10"}).status_code == 403
    assert AuditEntry.objects.filter(action="access.denied").count() == audits + 2
    assert not RankingRule.objects.exists() and not Publication.objects.exists()


def test_empty_state_and_bad_month(client, tree, staff):
    client.force_login(staff.street)
    html = client.get(reverse("evaluation:ranking"), {"month": "2026-10"}).content.decode()
    assert "2026年8月—10月没有已结束的月度评议,暂无评事考评排行。" in html and "生成评事考评排行公示草稿" not in html
    html = client.get(reverse("evaluation:ranking"), {"month": "2026-13"}, follow=True).content.decode()
    assert "月份格式不正确,已显示上个月的评事考评排行。" in html and "2026年8月—10月" in html


def test_rule_post_saves_and_recomputes(client, tree, staff):
    _month_data(tree)
    client.force_login(staff.street)
    values = {"months": "3", "min_months": "2", "red_min": "80", "yellow_below": "70", "unsatisfied_share_max": "30"}
    response = client.post(reverse("evaluation:ranking-rule"), {"month": "2026-10", **values})
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:ranking") + "?month=2026-10"
    assert RankingRule.objects.get().red_min == 80
    html = client.get(response["Location"]).content.decode()
    assert "评事考评排行规则已保存" in html
    red = html[html.index('data-testid="list-red"') : html.index('data-testid="list-yellow"')]
    assert "钱办理" in red and "王办理" in red


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"yellow_below": "95"}, "督促名单满意度须在 0% 至表扬名单满意度(90%)之间。"),
        ({"months": "abc"}, "请将统计月数填写为整数。"),
        ({"red_min": ""}, "请填写表扬名单满意度。"),
        ({"min_months": "4"}, "至少有结果的月数须在 1 至统计月数(3)之间。"),
    ],
)
def test_rule_post_bad_input_shows_chinese_message_and_changes_nothing(client, tree, staff, changes, message):
    client.force_login(staff.street)
    values = {"months": "3", "min_months": "2", "red_min": "90", "yellow_below": "70", "unsatisfied_share_max": "30"}
    response = client.post(reverse("evaluation:ranking-rule"), {"month": "2026-10", **values, **changes})
    html = response.content.decode()
    assert response.status_code == 200 and message in html and "规则未保存,请按提示修改。" in html
    assert "is-invalid" in html
    assert not RankingRule.objects.exists()


def test_publish_post_redirects_to_the_draft(client, tree, staff):
    _month_data(tree)
    client.force_login(staff.street)
    response = client.post(reverse("evaluation:ranking-publish"), {"month": "2026-10"})
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("publicity:detail", args=[publication.pk])
    assert (
        publication.title == "湖田街道2026年8月—10月工作人员评事考评排行"
        and publication.state == PublicationState.DRAFT
    )


def test_publish_post_bad_input(client, tree, staff):
    _month_data(tree)
    client.force_login(staff.street)
    html = client.post(reverse("evaluation:ranking-publish"), {"month": "2026-05"}, follow=True).content.decode()
    assert "2026年3月—5月没有已结束的月度评议,不能生成评事考评排行。" in html
    html = client.post(reverse("evaluation:ranking-publish"), {"month": "x"}, follow=True).content.decode()
    assert "请选择截止月份。" in html
    assert not Publication.objects.exists()


def test_list_page_links_to_the_ranking(client, tree, staff):
    client.force_login(staff.village_a)
    html = client.get(reverse("evaluation:list")).content.decode()
    assert f'href="{reverse("evaluation:ranking")}"' in html and "评事考评排行" in html
