"""The demo generator: groups registered, residents' messages become
matters with the WeChat channel, a published notice pushed to 西张村's
groups (recorded by the demo backend); a second run makes nothing."""

from __future__ import annotations

from django.core.management import call_command

from grassroots.matters.models import Channel, Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import category, new_matter, seed_categories
from grassroots.publicity.services import publication_publish
from grassroots.publicity.tests.staff_helpers import draft_of

from ..models import ChannelPost, Status, WecomRobot


def test_the_demo_is_generated_once(tree, served, capsys):
    seed_categories()
    staff = served[0]
    matter = new_matter(tree.grid_a1)
    lifecycle.matter_accept(actor=staff, matter=matter, category=category())
    lifecycle.matter_assign(actor=staff, matter=matter, assignee=staff, plan="厂房按公开招租方式出租。")
    publication_publish(actor=staff, publication=draft_of(staff, matter))
    call_command("generate_demo_channels", subdistrict=tree.subdistrict.code)
    assert WecomRobot.objects.count() == 3
    assert Matter.objects.filter(channel=Channel.WECHAT_MP).count() == 2
    # Two posts to 西张村's two groups, delivered after commit (never in a test transaction).
    assert list(ChannelPost.objects.values_list("status", flat=True)) == [Status.PENDING, Status.PENDING]
    call_command("generate_demo_channels", subdistrict=tree.subdistrict.code)
    assert WecomRobot.objects.count() == 3 and "未重复生成" in capsys.readouterr().out
