"""The health-round page picks the residents seen from the place's
residents (masked, scoped) and records them through the API's service."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ..models import HealthRound
from .support import elder

pytestmark = pytest.mark.django_db


def test_grid_worker_picks_the_residents_seen(client, tree, people, django_assert_max_num_queries):
    first = elder(tree.unit_a1, "张桂兰", age=81, phone="13912345678")
    second = elder(tree.unit_a1, "李秀英", age=76)
    elsewhere = elder(tree.unit_b1, "赵大爷", age=90)
    client.force_login(people.grid_a)
    url = reverse("livelihood:health-round-new")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    # 张三 of the small tree lives there too.
    assert page.count('data-testid="resident-choice"') == 3 and "张桂兰" in page and "赵大爷" not in page
    assert first.id_number not in page and "13912345678" not in page
    form = {
        "node": tree.grid_a1.pk,
        "place": "西张村卫生室",
        "held_on": timezone.localdate().isoformat(),
        "served": "1",
        "note": "",
        "residents": [first.pk, second.pk],
    }
    too_few = client.post(url, form)
    body = too_few.content.decode()
    assert too_few.status_code == 400 and "服务人数不能少于" in body and "西张村卫生室" in body
    assert body.count("checked") == 2 and HealthRound.objects.count() == 0
    foreign = client.post(url, {**form, "served": "5", "residents": [elsewhere.pk]})
    assert foreign.status_code == 400 and "所选居民不在该地点" in foreign.content.decode()
    assert client.post(url, {**form, "residents": ["abc"]}).status_code == 400
    assert HealthRound.objects.count() == 0
    done = client.post(url, {**form, "served": "12"})
    assert done.status_code == 302
    health_round = HealthRound.objects.get()
    assert set(health_round.residents.all()) == {first, second} and health_round.served == 12


def test_village_staff_choose_the_place_first(client, tree, people):
    elder(tree.unit_a1, "张桂兰", age=81)
    client.force_login(people.village_a)
    url = reverse("livelihood:health-round-new")
    page = client.get(url).content.decode()
    assert 'data-testid="pick-place"' in page and 'data-testid="resident-choice"' not in page
    listed = client.get(url, {"node": tree.grid_a1.pk}).content.decode()
    assert listed.count('data-testid="resident-choice"') == 2
    # Another village's grid is not among the places: nothing listed, no error.
    other = client.get(url, {"node": tree.grid_b1.pk})
    assert other.status_code == 200 and 'data-testid="resident-choice"' not in other.content.decode()
    assert client.get(url, {"node": "x"}).status_code == 200
