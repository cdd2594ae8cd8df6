"""Activities: the calendar, registration and attendance (read back by
`attendance_count_for`, the party app's points), the weekly check-in of the
Friday cleaning day, pages and API."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.addresses.tests.support import jpeg
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError, NotFound

from .. import selectors
from ..models import ActivityPhoto, CheckIn, Registration
from ..services import activities as services
from .support import elder

pytestmark = pytest.mark.django_db


def _activity(node, *, weekday=None, capacity=None, on=None, kind="sports"):
    return services.activity_create(
        actor=SYSTEM,
        data=services.ActivityInput(
            title="周五固定清扫日" if weekday is not None else "全民运动会",
            kind="cleaning" if weekday is not None else kind,
            node=node,
            starts_on=on or timezone.localdate(),
            place="村广场",
            capacity=capacity,
            weekday=weekday,
        ),
    )


def test_registration_attendance_and_the_count_for_party_points(tree, people):
    activity = _activity(tree.village_a, capacity=2)
    first, second, third = (elder(tree.unit_a1, f"居民{n}", age=72) for n in range(3))
    row = services.registration_add(actor=people.grid_a, activity=activity, resident=first)
    services.registration_add(actor=people.grid_a, activity=activity, resident=second)
    with pytest.raises(DomainError, match="名额已满"):
        services.registration_add(actor=people.grid_a, activity=activity, resident=third)
    other = _activity(tree.village_a)
    services.registration_add(actor=people.village_a, activity=other, resident=first)
    with pytest.raises(DomainError, match="已报名"):
        services.registration_add(actor=people.village_a, activity=other, resident=first)
    with pytest.raises(NotFound):
        services.registration_add(actor=people.grid_b, activity=activity, resident=first)
    with pytest.raises(DomainError, match="不在活动举办范围"):
        services.registration_add(actor=SYSTEM, activity=activity, resident=elder(tree.unit_b1, age=80))
    services.registration_attend(actor=people.grid_a, registration=row)
    with pytest.raises(DomainError, match="已签到"):
        services.registration_attend(actor=people.grid_a, registration=row)
    today = timezone.localdate()
    counts = selectors.attendance_count_for(resident_ids=[first.pk, second.pk], since=today.replace(day=1), until=today)
    assert counts == {first.pk: 1}
    future = _activity(tree.village_a, on=today + datetime.timedelta(days=3))
    early = services.registration_add(actor=SYSTEM, activity=future, resident=third)
    with pytest.raises(DomainError, match="还没有开始"):
        services.registration_attend(actor=SYSTEM, registration=early)


def test_weekly_check_in_per_village(tree, people):
    cleaning = _activity(tree.subdistrict, weekday=4)
    services.check_in(actor=people.village_a, activity=cleaning, village=tree.village_a, participants=35)
    with pytest.raises(DomainError, match="本周已打卡"):
        services.check_in(actor=people.village_a, activity=cleaning, village=tree.village_a, participants=30)
    with pytest.raises(NotFound):
        services.check_in(actor=people.village_b, activity=cleaning, village=tree.village_a, participants=30)
    with pytest.raises(DomainError, match="参加人数"):
        services.check_in(actor=people.village_b, activity=cleaning, village=tree.village_b, participants=0)
    with pytest.raises(DomainError, match="每周固定"):
        services.check_in(actor=SYSTEM, activity=_activity(tree.village_a), village=tree.village_a, participants=3)
    assert CheckIn.objects.count() == 1
    weeks = dict(selectors.check_ins_for(activity=cleaning, user=people.street))
    assert sum(weeks[tree.village_a].values()) == 35 and weeks[tree.village_b] == {}
    assert [v for v, _ in selectors.check_ins_for(activity=cleaning, user=people.village_b)] == [tree.village_b]


def test_pages(client, tree, people, django_assert_max_num_queries):
    for _n in range(6):
        _activity(tree.village_a, kind="film")
    cleaning = _activity(tree.subdistrict, weekday=4)
    resident = elder(tree.unit_a1, age=75)
    client.force_login(people.grid_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("livelihood:activities")).content.decode()
    assert page.count('data-testid="activity-row"') == 7 and "每周五" in page
    url = reverse("livelihood:activity-register", args=[cleaning.pk])
    bad = client.post(url, {"id_number": "110105194901010000"})
    assert bad.status_code == 400 and "辖区内没有这个身份证号的居民" in bad.content.decode()
    assert client.post(url, {"id_number": resident.id_number}).status_code == 302
    registration = Registration.objects.get()
    assert client.post(reverse("livelihood:registration-attend", args=[registration.pk])).status_code == 302
    check = reverse("livelihood:activity-check-in", args=[cleaning.pk])
    assert client.post(check, {"village": tree.village_a.pk, "participants": "0"}).status_code == 400
    assert client.post(check, {"village": tree.village_a.pk, "participants": "28"}).status_code == 302
    page = client.get(reverse("livelihood:activity", args=[cleaning.pk])).content.decode()
    assert "已签到" in page and "28人" in page
    client.force_login(people.village_a)
    form = {"title": "红歌会", "kind": "red_song", "node": tree.village_a.pk, "starts_on": "", "place": "礼堂"}
    bad = client.post(reverse("livelihood:activity-new"), form)
    assert bad.status_code == 400 and "红歌会" in bad.content.decode()
    done = client.post(reverse("livelihood:activity-new"), {**form, "starts_on": timezone.localdate().isoformat()})
    assert done.status_code == 302


def test_api(tree, people):
    client = APIClient()
    client.force_authenticate(people.village_a)
    body = {
        "title": "书法摄影展",
        "kind": "exhibition",
        "node": tree.village_a.pk,
        "starts_on": "2026-12-01",
        "place": "文化站",
    }
    created = client.post("/api/v1/livelihood/activities", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post("/api/v1/livelihood/activities", {**body, "kind": "x"}, format="json").status_code == 400
    resident = elder(tree.unit_a1, age=75)
    registered = client.post(f"/api/v1/livelihood/activities/{pk}/register", {"resident": resident.pk}, format="json")
    assert registered.status_code == 201 and "*" in registered.json()["resident"]["id_number"]
    again = client.post(f"/api/v1/livelihood/activities/{pk}/register", {"resident": resident.pk}, format="json")
    assert again.status_code == 409
    other = APIClient()
    other.force_authenticate(people.village_b)
    assert other.get(f"/api/v1/livelihood/activities/{pk}").status_code == 404
    assert client.get("/api/v1/livelihood/activities", {"month": "2026-12"}).json()["count"] == 1


def test_photos_page_and_api(client, tree, people):
    activity = _activity(tree.village_a)
    services.activity_photo_add(actor=people.village_a, activity=activity, photo=jpeg(), caption="开幕式")
    fake = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(DomainError, match="不是照片"):
        services.activity_photo_add(actor=people.village_a, activity=activity, photo=fake)
    with pytest.raises(NotFound):
        services.activity_photo_add(actor=people.village_b, activity=activity, photo=jpeg())
    assert ActivityPhoto.objects.count() == 1
    # The page: organisers upload, a bad file keeps the caption and says why.
    client.force_login(people.village_a)
    url = reverse("livelihood:activity-photo-add", args=[activity.pk])
    bad = client.post(
        url, {"photo": SimpleUploadedFile("b.jpg", b"nope", content_type="image/jpeg"), "caption": "合影"}
    )
    assert bad.status_code == 400 and "不是照片" in bad.content.decode() and "合影" in bad.content.decode()
    assert ActivityPhoto.objects.count() == 1
    assert client.post(url, {"photo": jpeg(), "caption": "合影"}).status_code == 302
    page = client.get(reverse("livelihood:activity", args=[activity.pk])).content.decode()
    assert page.count('data-testid="photo"') == 2 and "合影" in page and 'data-testid="photo-form"' in page
    photo = ActivityPhoto.objects.get(caption="合影")
    response = client.get(reverse("livelihood:activity-photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # A grid worker sees the photos, cannot upload; another village gets 404.
    client.force_login(people.grid_a)
    assert (
        'data-testid="photo-form"'
        not in client.get(reverse("livelihood:activity", args=[activity.pk])).content.decode()
    )
    assert client.post(url, {"photo": jpeg()}).status_code == 403
    client.force_login(people.village_b)
    assert client.get(reverse("livelihood:activity-photo", args=[photo.pk])).status_code == 404
    assert client.post(url, {"photo": jpeg()}).status_code == 404


def test_photo_api(tree, people):
    activity = _activity(tree.village_a)
    url = f"/api/v1/livelihood/activities/{activity.pk}/photos"

    def api(user):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    done = api(people.village_a).post(url, {"photo": jpeg(), "caption": "开幕式"}, format="multipart")
    assert done.status_code == 201, done.content
    assert done.json()["caption"] == "开幕式" and done.json()["content_type"] == "image/jpeg"
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    bad = api(people.village_a).post(url, {"photo": fake}, format="multipart")
    assert bad.status_code == 400 and "不是照片" in str(bad.json())
    missing = api(people.village_a).post(url, {"caption": "x"}, format="multipart")
    assert missing.status_code == 400 and "请选择照片" in str(missing.json())
    long = api(people.village_a).post(url, {"photo": jpeg(), "caption": "长" * 101}, format="multipart")
    assert long.status_code == 400
    assert api(None).post(url, {"photo": jpeg()}, format="multipart").status_code in (401, 403)
    assert api(people.grid_a).post(url, {"photo": jpeg()}, format="multipart").status_code == 403
    assert api(people.village_b).post(url, {"photo": jpeg()}, format="multipart").status_code == 404
    assert ActivityPhoto.objects.count() == 1
