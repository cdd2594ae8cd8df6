"""The livelihood pages in a real browser: at phone width a grid worker
opens this month's birthday list of the grid, records three visits, turns
one resident's request into a 说事 matter, and records a health round;
village staff flag a resident living alone and end the flag, run a 民生实事
project (a milestone published, a photo) and the Friday cleaning day."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.addresses.tests.support import jpeg
from grassroots.matters.models import Channel, Matter
from grassroots.publicity.models import Publication
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import CareFlag, CareVisit, HealthRound
from ..states import FlagState
from .support import elder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    UserFactory(username="wangge", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    people = [elder(tree.unit_a1, name, age=age) for name, age in (("赵奶奶", 92), ("钱爷爷", 81), ("孙奶奶", 75))]
    return tree, people


def test_grid_worker_visits_the_birthday_list_at_phone_width(phone_page, live_server, world):
    page = phone_page
    tree, _people = world
    login(page, live_server, "wangge", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/livelihood/")
    cards = page.get_by_test_id("grid-card")
    expect(cards).to_have_count(1)
    expect(page.get_by_test_id("list-birthday")).to_contain_text("0 / 3")
    page.get_by_test_id("list-birthday").click()
    expect(page.get_by_test_id("title")).to_contain_text("第1网格")
    expect(page.get_by_test_id("person")).to_have_count(3)
    # Masked: the ID number has stars, the age is shown, the birth date is not.
    first = page.get_by_test_id("person").first
    expect(first).to_contain_text("92岁")
    expect(first).to_contain_text("****")
    page.screenshot(path=artifact("livelihood_birthday_list.png"), full_page=True)
    opinions = {"赵奶奶": "", "钱爷爷": "小区门口路灯坏了一个月,晚上出门看不清", "孙奶奶": ""}
    for index, (name, opinion) in enumerate(opinions.items()):
        page.get_by_test_id("person").nth(index).get_by_test_id("visit").click()
        expect(page.get_by_test_id("person")).to_contain_text(name)
        page.get_by_label("走访情况").fill("送生日蛋糕和慰问品,身体硬朗")
        if opinion:
            page.get_by_label("意见建议(可转为说事)").fill(opinion)
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("title")).to_contain_text(name)
        if opinion:
            page.get_by_label("事项标题").fill("小区门口路灯不亮")
            page.get_by_test_id("save").click()
            expect(page.get_by_test_id("matter")).to_contain_text("已转为说事事项")
        page.get_by_test_id("back").click()
    expect(page.get_by_test_id("visited")).to_have_count(3)
    expect(page.get_by_test_id("progress")).to_contain_text("已走访 3 人")
    page.goto(f"{live_server.url}/livelihood/")
    expect(page.get_by_test_id("list-birthday")).to_contain_text("3 / 3")
    expect(page.get_by_test_id("list-birthday")).to_contain_text("100%")
    assert CareVisit.objects.count() == 3
    matter = Matter.objects.get()
    assert matter.channel == Channel.VISIT and matter.title == "小区门口路灯不亮" and matter.node == tree.grid_a1
    # A health round at the grid, with a bad count first (nothing lost).
    page.get_by_role("link", name="健康巡诊").click()
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("round-new").click()
    page.get_by_label("巡诊地点").fill("西张村卫生室")
    # The grid's residents are listed (masked) to tick the ones seen.
    choices = page.get_by_test_id("resident-choice")
    expect(choices).to_have_count(4)
    expect(page.get_by_test_id("residents")).not_to_contain_text(_people[0].id_number)
    choices.filter(has_text="赵奶奶").get_by_role("checkbox").check()
    choices.filter(has_text="钱爷爷").get_by_role("checkbox").check()
    page.get_by_label("服务人数").fill("0")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("服务人数至少为 1")
    expect(page.get_by_label("巡诊地点")).to_have_value("西张村卫生室")
    expect(choices.filter(has_text="赵奶奶").get_by_role("checkbox")).to_be_checked()
    page.screenshot(path=artifact("livelihood_health_round.png"), full_page=True)
    page.get_by_label("服务人数").fill("26")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("round-row")).to_contain_text("服务 26 人")
    health_round = HealthRound.objects.get()
    assert health_round.served == 26
    assert {r.name for r in health_round.residents.all()} == {"赵奶奶", "钱爷爷"}


def test_village_staff_flag_a_resident_living_alone(page, live_server, world):
    _tree, people = world
    resident = people[0]
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/livelihood/flags/")
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("flag-new").click()
    page.get_by_label("标记类型").select_option("living_alone")
    page.get_by_label("居民身份证号(低收入家庭填户主)").fill("110105194901010000")
    page.get_by_label("认定来源").fill("民政台账")
    page.get_by_label("认定日期").fill("2025-03-01")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("辖区内没有这个身份证号的居民")
    page.get_by_label("居民身份证号(低收入家庭填户主)").fill(resident.id_number)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("flag-row")).to_contain_text("独居老人 · 赵奶奶")
    page.get_by_label("撤销原因").fill("已随子女搬离")
    page.get_by_test_id("flag-end").click()
    expect(page.get_by_test_id("flag-row")).to_contain_text("已撤销:已随子女搬离")
    assert CareFlag.objects.get().state == FlagState.ENDED


def test_village_staff_run_a_project_and_the_cleaning_day(page, live_server, world, tmp_path):
    tree, people = world
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/livelihood/projects/")
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("project-new").click()
    page.get_by_label("项目名称").fill("党群服务中心")
    page.get_by_label("实施范围").select_option(str(tree.village_a.pk))
    page.get_by_label("预算(元)").fill("300000")
    page.get_by_label("资金来源").fill("街道财政")
    page.get_by_label("项目节点(每行一个:节点名称 完成后进度%,例如“开工建设 30”)").fill("装修改造 70\n投入使用 100")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("title")).to_have_text("党群服务中心")
    expect(page.get_by_test_id("progress")).to_have_text("0%")
    page.get_by_test_id("milestone").first.get_by_label("完成情况").fill("装修完成")
    page.get_by_test_id("reach").first.click()
    expect(page.get_by_test_id("progress")).to_have_text("70%")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg().read())
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("photo")).to_have_count(1)
    assert Publication.objects.get(kind="project").state == "published"
    # The Friday cleaning day: a resident registers, comes, the village checks in.
    page.goto(f"{live_server.url}/livelihood/activities/")
    page.get_by_test_id("activity-new").click()
    page.get_by_label("活动名称").fill("周五固定清扫日")
    page.get_by_label("活动类型").select_option("cleaning")
    page.get_by_label("举办范围").select_option(str(tree.village_a.pk))
    page.get_by_label("日期(每周固定的活动填开始日期)").fill(timezone.localdate().isoformat())
    page.get_by_label("地点").fill("村广场")
    page.get_by_label("重复").select_option("4")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("title")).to_have_text("周五固定清扫日")
    page.get_by_label("报名居民身份证号").fill(people[1].id_number)
    page.get_by_test_id("register-form").get_by_test_id("save").click()
    expect(page.get_by_test_id("registration")).to_contain_text("钱爷爷")
    page.get_by_test_id("attend").click()
    expect(page.get_by_test_id("registration")).to_contain_text("已签到")
    page.get_by_label("参加人数").fill("32")
    page.get_by_test_id("check-form").get_by_test_id("save").click()
    expect(page.get_by_test_id("check-ins")).to_contain_text("32人")
    # A photo of the day: a text file is refused, the photo is listed.
    fake = tmp_path / "名单.jpg"
    fake.write_bytes(b"not a photo")
    page.get_by_test_id("photo-form").get_by_label("照片").set_input_files(str(fake))
    page.get_by_test_id("photo-form").get_by_label("说明").fill("清扫后的村广场")
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("photo-form").get_by_test_id("field-error")).to_contain_text("不是照片")
    expect(page.get_by_test_id("photo-form").get_by_label("说明")).to_have_value("清扫后的村广场")
    page.get_by_test_id("photo-form").get_by_label("照片").set_input_files(str(photo))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("photos").get_by_test_id("photo")).to_have_count(1)
    expect(page.get_by_test_id("photos")).to_contain_text("清扫后的村广场")
    # The month's coverage as Excel.
    page.goto(f"{live_server.url}/livelihood/")
    with page.expect_download() as download:
        page.get_by_test_id("coverage-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
