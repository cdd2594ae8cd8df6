"""Issue 14's "done when" for the relocation worker, and the office's new
pages, in a real browser (ADR 0046):

- a 征迁工作人员 on a phone (390×844) opens their units from the home panel,
  moves one through 信息确认 → 评估 → 签约 (a missing amount is refused and
  nothing is lost), the unit page and the drill-down fit the screen, and the
  subdistrict user's dashboard shows the new signing rate;
- the office edits a project and a batch's targets (errors beside the field);
- the office reassigns units to another worker, who sees them at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Batch, Project, Unit
from ..states import State
from .support import advance_to, project_at, unit_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    worker = UserFactory(
        username="baohu", role=Role.RELOCATION_WORKER, jurisdiction=tree.village_a, display_name="钱征迁"
    )
    other = UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    UserFactory(username="zhihuibu", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张街道")
    project = project_at(tree.subdistrict)
    mine = [unit_at(project, tree.village_a, f"BG-{n}", worker=worker) for n in range(2)]
    others = [unit_at(project, tree.village_a, f"CW-{n}", worker=other) for n in range(2)]
    advance_to(others[0], State.SIGNED)
    advance_to(others[1], State.SIGNED)
    return project, mine, others, worker, other


def test_worker_moves_a_unit_to_signing_on_a_phone_and_the_dashboard_rate_updates(phone_page, page, live_server, world):
    project, mine, others, worker, _other = world
    dashboard = f"{live_server.url}/relocation/projects/{project.pk}/"
    login(page, live_server, "zhihuibu", DEFAULT_PASSWORD)
    page.goto(dashboard)
    expect(page.get_by_test_id("rate")).to_have_text("50.00%")

    phone = phone_page
    login(phone, live_server, "baohu", DEFAULT_PASSWORD)
    expect(phone.get_by_test_id("panel-open")).to_have_text("2")
    phone.screenshot(path=artifact("relocation_worker_home_phone.png"), full_page=True)
    phone.get_by_test_id("panel-mine").click()
    card = phone.locator(f"#unit-{mine[0].pk}")
    expect(card.get_by_test_id("my-state")).to_have_text("待信息确认")
    card.get_by_test_id("advance-confirm").click()
    card = phone.locator(f"#unit-{mine[0].pk}")
    expect(card.get_by_test_id("my-state")).to_have_text("信息已确认")
    card.get_by_label("评估金额(元)").fill("850000")
    card.get_by_test_id("advance-assess").click()
    card = phone.locator(f"#unit-{mine[0].pk}")
    expect(card.get_by_test_id("my-state")).to_have_text("已评估")
    # Signing without the agreed amount is refused with its message; the unit stays assessed.
    card.get_by_label("备注").fill("户主同意签约")
    card.get_by_test_id("advance-sign").click()
    expect(phone.locator(".alert-danger").first).to_contain_text("请填写协议补偿金额")
    assert Unit.objects.get(pk=mine[0].pk).state == State.ASSESSED
    card = phone.locator(f"#unit-{mine[0].pk}")
    card.get_by_label("协议补偿金额(元)").fill("880000.50")
    card.get_by_test_id("advance-sign").click()
    expect(phone.locator(f"#unit-{mine[0].pk}").get_by_test_id("my-state")).to_have_text("已签约")
    assert phone.evaluate(FITS)
    phone.screenshot(path=artifact("relocation_worker_mine_phone.png"), full_page=True)

    # The unit page and the drill-down of their village fit the phone too.
    phone.locator(f"#unit-{mine[0].pk}").get_by_role("link", name="BG-0").click()
    expect(phone.get_by_text("880000.50").first).to_be_visible()
    assert phone.evaluate(FITS)
    phone.screenshot(path=artifact("relocation_worker_unit_phone.png"), full_page=True)
    phone.goto(f"{live_server.url}/relocation/projects/{project.pk}/units/?worker={worker.pk}")
    expect(phone.get_by_test_id("count-rate")).to_have_text("50.00%")
    assert phone.evaluate(FITS)

    # A unit assigned to someone else offers no stage to this worker.
    phone.goto(f"{live_server.url}/relocation/units/{others[0].pk}/")
    expect(phone.get_by_test_id("stage-form")).to_have_count(0)

    page.reload()
    expect(page.get_by_test_id("rate")).to_have_text("75.00%")
    expect(page.get_by_test_id("signed")).to_contain_text("3 / 4")
    unit = Unit.objects.get(pk=mine[0].pk)
    assert unit.state == State.SIGNED and str(unit.agreed_amount) == "880000.50"


def test_office_edits_the_project_and_a_batchs_targets(page, live_server, world):
    project = world[0]
    login(page, live_server, "zhihuibu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/relocation/projects/{project.pk}/")
    page.get_by_test_id("project-edit").click()
    page.get_by_label("项目名称").fill("  ")
    page.get_by_label("启动日期").fill("2027-01-01")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("请填写项目名称")
    page.get_by_label("项目名称").fill("火车站北广场(一期)")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("目标完成日期不能早于启动日期")
    page.get_by_label("启动日期").fill("2023-03-01")
    page.get_by_label("项目说明").fill("北广场及站前路以北片区,住宅与沿街商铺。")
    page.screenshot(path=artifact("relocation_project_edit.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("title")).to_have_text("火车站北广场(一期)")
    expect(page.get_by_test_id("description")).to_contain_text("站前路以北")
    assert Project.objects.get(pk=project.pk).description.startswith("北广场")

    page.get_by_test_id("batch-target").first.get_by_test_id("batch-edit").click()
    page.get_by_label("计划户数").fill("365")
    page.get_by_label("目标签约率(%)").fill("101")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("0 到 100")
    expect(page.get_by_label("计划户数")).to_have_value("365")  # nothing typed is lost
    page.get_by_label("目标签约率(%)").fill("80")
    page.get_by_label("目标签约日期").fill("2026-12-31")
    page.get_by_test_id("save").click()
    row = page.get_by_test_id("batch-target").first
    expect(row).to_contain_text("80.00%")
    expect(row).to_contain_text("2026-12-31")
    page.get_by_test_id("batch-targets").screenshot(path=artifact("relocation_batch_targets.png"))
    batch = Batch.objects.get(project=project, number=1)
    assert (batch.target_units, str(batch.target_rate)) == (365, "80.00")


def test_office_reassigns_units_and_the_new_worker_sees_them(page, phone_page, live_server, world):
    project, _mine, others, worker, other = world
    login(page, live_server, "zhihuibu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/relocation/projects/{project.pk}/")
    page.get_by_test_id("reassign").click()
    page.get_by_label("原工作人员").select_option(str(other.pk))
    page.get_by_test_id("reassign-show").click()
    expect(page.get_by_test_id("unit-row")).to_have_count(2)
    # No reason: refused beside the field, nothing moved.
    page.get_by_test_id("tick").first.check()
    page.get_by_label("接手的工作人员").select_option(str(worker.pk))
    page.get_by_test_id("reassign-selected").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("请写明调整原因")
    assert Unit.objects.filter(worker=worker).count() == 2
    page.get_by_test_id("tick-all").check()
    page.get_by_label("接手的工作人员").select_option(str(worker.pk))
    page.get_by_label("调整原因").fill("李村务调往社区网格,包户交钱征迁")
    page.screenshot(path=artifact("relocation_reassign.png"), full_page=True)
    page.get_by_test_id("reassign-selected").click()
    expect(page.locator(".alert-success")).to_contain_text("已将 2 户改派给钱征迁")
    expect(page.get_by_test_id("row-worker")).to_have_count(4)
    assert set(Unit.objects.filter(worker=worker).values_list("number", flat=True)) == {"BG-0", "BG-1", "CW-0", "CW-1"}

    login(phone_page, live_server, "baohu", DEFAULT_PASSWORD)
    phone_page.goto(f"{live_server.url}/relocation/mine/")
    expect(phone_page.locator(f"#unit-{others[0].pk}")).to_be_visible()
    expect(phone_page.locator(f"#unit-{others[1].pk}")).to_be_visible()
    phone_page.goto(f"{live_server.url}/relocation/units/{others[0].pk}/")
    expect(phone_page.get_by_test_id("event").last).to_contain_text("改派包户")
