"""The staff pages and the API: the robot page (register, masked key, bad
input 400 with nothing saved, retire), the publication's push page with each
group's result and the retry, each role and the other subtree (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import category, new_matter, seed_categories
from grassroots.publicity.services import publication_publish
from grassroots.publicity.tests.staff_helpers import draft_of
from grassroots.testing.factories import UserFactory

from ..models import ChannelPost, Status, WecomRobot
from .support import KEY_A, KEY_B, failed_post, robot_at

WEBHOOK = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY_A}"


@pytest.fixture
def staff_a(tree):
    return UserFactory(username="page_a", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)


@pytest.fixture
def staff_b(tree):
    return UserFactory(username="page_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b)


@pytest.fixture
def published(tree, staff_a):
    seed_categories()
    matter = new_matter(tree.grid_a1)
    lifecycle.matter_accept(actor=staff_a, matter=matter, category=category())
    lifecycle.matter_assign(actor=staff_a, matter=matter, assignee=staff_a, plan="厂房按公开招租方式出租。")
    return publication_publish(actor=staff_a, publication=draft_of(staff_a, matter))


def test_the_robot_page_registers_and_never_shows_the_key(client, tree, staff_a, django_assert_max_num_queries):
    client.force_login(staff_a)
    url = reverse("channels:robots")
    response = client.post(url, {"node": tree.village_a.pk, "name": "西张村邻里群", "webhook": WEBHOOK})
    assert response.status_code == 302
    robot_at(tree.village_a, created_by=staff_a, name="西张村老年群", key=KEY_B)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    html = page.content.decode()
    assert "西张村邻里群" in html and "****0f1a" in html
    assert KEY_A not in html and KEY_B not in html
    assert 'type="password"' in html


def test_bad_input_is_400_and_saves_nothing(client, tree, staff_a):
    client.force_login(staff_a)
    url = reverse("channels:robots")
    bad = client.post(url, {"node": tree.village_a.pk, "name": "群", "webhook": "https://example.com/x?key=abc"})
    assert bad.status_code == 400 and "Webhook 地址应为企业微信群机器人的地址" in bad.content.decode()
    other = client.post(url, {"node": tree.village_b.pk, "name": "群", "webhook": WEBHOOK})
    assert other.status_code == 400 and "不在您的辖区内" in other.content.decode()
    assert client.post(url, {}).status_code == 400
    assert not WecomRobot.objects.exists()


def test_a_grid_worker_has_no_robot_page(client, tree):
    grid = UserFactory(username="page_grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    client.force_login(grid)
    assert client.get(reverse("channels:robots")).status_code == 403


def test_the_nav_and_the_publication_link_there(client, tree, staff_a, published):
    client.force_login(staff_a)
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("channels:robots") in home
    detail = client.get(reverse("publicity:detail", args=[published.pk])).content.decode()
    assert reverse("channels:publication", args=[published.pk]) in detail


def test_the_push_page_posts_and_shows_each_result(
    client, tree, staff_a, published, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    robots = [
        robot_at(tree.village_a, created_by=staff_a, name="西张村邻里群", key=KEY_A),
        robot_at(tree.grid_a1, created_by=staff_a, name="第1网格楼长群", key=KEY_B),
    ]
    client.force_login(staff_a)
    url = reverse("channels:publication", args=[published.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"robots": [r.pk for r in robots]})
    assert response.status_code == 302
    assert list(ChannelPost.objects.values_list("status", flat=True)) == [Status.SENT, Status.SENT]
    with django_assert_max_num_queries(14):
        page = client.get(url)
    html = page.content.decode()
    assert html.count('data-testid="post"') == 2 and "演示模式" in html
    assert client.post(url, {}).status_code == 400  # nothing left to choose


def test_a_failed_post_is_shown_and_sent_again(client, tree, staff_a, staff_b, published):
    robot = robot_at(tree.village_a, created_by=staff_a)
    post = failed_post(published, robot, created_by=staff_a)
    client.force_login(staff_a)
    page = client.get(reverse("channels:publication", args=[published.pk])).content.decode()
    assert "45009" in page and 'data-testid="retry"' in page
    client.force_login(staff_b)
    assert client.post(reverse("channels:post-retry", args=[post.pk])).status_code == 404
    assert client.get(reverse("channels:publication", args=[published.pk])).status_code == 404
    client.force_login(staff_a)
    assert client.post(reverse("channels:post-retry", args=[post.pk])).status_code == 302
    post.refresh_from_db()
    assert post.status in (Status.PENDING, Status.SENT)


def test_api_robots(client, tree, staff_a, staff_b):
    client.force_login(staff_a)
    url = "/api/v1/channels/robots"
    created = client.post(
        url, {"node": tree.village_a.pk, "name": "西张村邻里群", "webhook": WEBHOOK}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["masked_key"] == "****0f1a" and "webhook" not in body and KEY_A not in created.content.decode()
    bad = client.post(url, {"node": tree.village_a.pk, "name": "群", "webhook": "短"}, content_type="application/json")
    assert bad.status_code == 400 and "格式不正确" in bad.content.decode()
    other = client.post(
        url, {"node": tree.village_b.pk, "name": "群", "webhook": WEBHOOK}, content_type="application/json"
    )
    assert other.status_code == 404
    assert WecomRobot.objects.count() == 1
    listed = client.get(url).json()
    assert [r["name"] for r in listed["results"]] == ["西张村邻里群"]
    client.force_login(staff_b)
    assert client.get(url).json()["results"] == []
    assert client.post(f"{url}/{body['id']}/retire").status_code == 404
    client.force_login(staff_a)
    assert client.post(f"{url}/{body['id']}/retire").json()["active"] is False
    assert client.post(f"{url}/{body['id']}/retire").status_code == 400
    client.logout()
    assert client.get(url).status_code in (401, 403)


def test_api_push_and_posts(client, tree, staff_a, staff_b, published, django_capture_on_commit_callbacks):
    robot = robot_at(tree.village_a, created_by=staff_a)
    client.force_login(staff_a)
    base = f"/api/v1/channels/publications/{published.pk}"
    assert client.post(f"{base}/push", {"robots": []}, content_type="application/json").status_code == 400
    assert client.post(f"{base}/push", {"robots": ["x"]}, content_type="application/json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        pushed = client.post(f"{base}/push", {"robots": [robot.pk]}, content_type="application/json")
    assert pushed.status_code == 201 and pushed.json()[0]["robot_name"] == "西张村邻里群"
    posts = client.get(f"{base}/posts").json()
    assert [p["status"] for p in posts] == ["sent"]
    client.force_login(staff_b)
    assert client.get(f"{base}/posts").status_code == 404
    assert client.post(f"{base}/push", {"robots": [robot.pk]}, content_type="application/json").status_code == 404
    grid = UserFactory(username="api_grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    client.force_login(grid)
    assert client.get(f"{base}/posts").status_code == 403
    assert ChannelPost.objects.count() == 1
