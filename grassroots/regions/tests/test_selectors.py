from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from grassroots.accounts.roles import Role
from grassroots.regions import selectors
from grassroots.regions.models import Household, Level, Node, Representative, Resident
from grassroots.testing.factories import UserFactory, make_id_number

AS_OF = datetime.date(2026, 11, 29)


@pytest.fixture
def grid_worker(tree, make_user):
    return make_user(Role.GRID_WORKER, tree.grid_a1)


@pytest.fixture
def village_staff(tree, make_user):
    return make_user(Role.VILLAGE_STAFF, tree.village_a)


@pytest.fixture
def street_staff(tree, make_user):
    return make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)


def _add_resident(unit: Node, *, room: str, birth: datetime.date, serial: int, name: str = "王五") -> Resident:
    household = Household.objects.create(unit=unit, room=room, address=f"{unit.name}{room}室")
    return Resident.objects.create(
        household=household,
        name=name,
        gender=Resident.Gender.MALE,
        birth_date=birth,
        id_number=make_id_number("370303", birth, serial),
        phone=f"139123{serial:05d}",
    )


class TestNodes:
    def test_grid_worker_sees_only_their_grid(self, tree, grid_worker):
        visible = list(selectors.node_list_visible_to(user=grid_worker))

        assert [n.level for n in visible] == [Level.GRID, Level.BUILDING, Level.UNIT]
        assert all(n.path.startswith(tree.grid_a1.path) for n in visible)

    def test_node_outside_scope_is_404(self, tree, grid_worker):
        assert selectors.node_get_visible(user=grid_worker, node_id=tree.unit_a1.pk) == tree.unit_a1
        for node in (tree.village_b, tree.grid_b1, tree.unit_b1, tree.grid_a2, tree.village_a, tree.subdistrict):
            with pytest.raises(Http404):
                selectors.node_get_visible(user=grid_worker, node_id=node.pk)

    def test_unknown_id_is_404(self, tree, street_staff):
        with pytest.raises(Http404):
            selectors.node_get_visible(user=street_staff, node_id=999_999)

    def test_user_without_jurisdiction_sees_nothing_and_superuser_everything(self, tree):
        nobody = UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=None)
        root = UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=None, is_superuser=True)
        inactive = UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, is_active=False)

        assert selectors.node_list_visible_to(user=nobody).count() == 0
        assert selectors.node_list_visible_to(user=inactive).count() == 0
        assert selectors.node_list_visible_to(user=root).count() == Node.objects.count()

    def test_breadcrumbs_stop_at_the_scope(self, tree, grid_worker, street_staff):
        building_path = tree.unit_a1.path[: -Node.steplen]

        full = selectors.ancestors_visible_to(user=street_staff, node=tree.unit_a1)
        short = selectors.ancestors_visible_to(user=grid_worker, node=tree.unit_a1)

        assert [n.pk for n in full[:3]] == [tree.subdistrict.pk, tree.village_a.pk, tree.grid_a1.pk]
        assert [n.path for n in full] == [tree.subdistrict.path, tree.village_a.path, tree.grid_a1.path, building_path]
        assert [n.path for n in short] == [tree.grid_a1.path, building_path]
        assert selectors.ancestors_visible_to(user=street_staff, node=tree.subdistrict) == []
        with pytest.raises(Http404):
            selectors.ancestors_visible_to(user=grid_worker, node=tree.unit_b1)


class TestCounts:
    def test_children_of_the_subdistrict(self, tree, street_staff):
        Representative.objects.create(
            resident=tree.resident_a1, village=tree.village_a, since=datetime.date(2024, 1, 1)
        )
        _add_resident(tree.unit_b1, room="102", birth=datetime.date(1990, 5, 1), serial=21)

        rows = selectors.node_children_with_counts(user=street_staff, node=tree.subdistrict, as_of=AS_OF)

        assert [r.node for r in rows] == [tree.village_a, tree.village_b]
        a, b = rows
        assert (a.grids, a.buildings, a.units, a.households, a.residents, a.aged_70_plus, a.representatives) == (
            2,
            2,
            2,
            1,
            1,
            1,
            1,
        )
        assert (b.grids, b.buildings, b.units, b.households, b.residents, b.aged_70_plus, b.representatives) == (
            2,
            2,
            2,
            2,
            2,
            1,
            0,
        )
        assert a.villages == 0
        assert a.counts is a

    def test_children_of_a_village(self, tree, village_staff):
        rows = selectors.node_children_with_counts(user=village_staff, node=tree.village_a, as_of=AS_OF)

        assert [r.node for r in rows] == [tree.grid_a1, tree.grid_a2]
        assert [(r.grids, r.buildings, r.units, r.households, r.residents) for r in rows] == [
            (0, 1, 1, 1, 1),
            (0, 1, 1, 0, 0),
        ]

    def test_leaf_has_no_children(self, tree, grid_worker):
        assert selectors.node_children_with_counts(user=grid_worker, node=tree.unit_a1) == []

    def test_children_outside_scope_is_404(self, tree, grid_worker, village_staff):
        with pytest.raises(Http404):
            selectors.node_children_with_counts(user=grid_worker, node=tree.village_a)
        with pytest.raises(Http404):
            selectors.node_children_with_counts(user=village_staff, node=tree.village_b)

    def test_ended_terms_are_not_counted(self, tree, street_staff):
        Representative.objects.create(
            resident=tree.resident_a1,
            village=tree.village_a,
            since=datetime.date(2020, 1, 1),
            until=datetime.date(2023, 12, 31),
        )

        rows = selectors.node_children_with_counts(user=street_staff, node=tree.subdistrict)

        assert rows[0].representatives == 0

    def test_elderly_boundary(self, tree, street_staff):
        # Turns 70 exactly on AS_OF: counted; one day younger: not counted.
        _add_resident(tree.unit_a1, room="201", birth=datetime.date(1956, 11, 29), serial=31)
        _add_resident(tree.unit_a1, room="202", birth=datetime.date(1956, 11, 30), serial=32)

        counts = selectors.node_counts(node=tree.grid_a1, as_of=AS_OF)

        assert (counts.residents, counts.aged_70_plus) == (3, 2)

    def test_query_count_does_not_grow_with_children(
        self, tree, street_staff, django_assert_num_queries, django_assert_max_num_queries
    ):
        with django_assert_num_queries(5):
            few = selectors.node_children_with_counts(user=street_staff, node=tree.subdistrict)
        for i in range(12):
            village = Node.objects.add_child(
                Node.objects.get(pk=tree.subdistrict.pk),
                instance=Node(
                    name=f"新{i}社区居委会", level=Level.VILLAGE, code=f"3703030030{50 + i}", kind="community"
                ),
            )
            grid = Node.objects.add_child(village, instance=Node(name="第1网格", level=Level.GRID))
            building = Node.objects.add_child(grid, instance=Node(name="1号楼", level=Level.BUILDING))
            unit = Node.objects.add_child(building, instance=Node(name="1单元", level=Level.UNIT))
            _add_resident(unit, room="101", birth=datetime.date(1980, 1, 1 + i), serial=40 + i)
        subdistrict = Node.objects.get(pk=tree.subdistrict.pk)

        with django_assert_max_num_queries(5):
            many = selectors.node_children_with_counts(user=street_staff, node=subdistrict)

        assert len(few) == 2
        assert len(many) == 14
        assert all((r.units, r.households, r.residents) == (1, 1, 1) for r in many[2:])

    def test_node_counts(self, tree, django_assert_num_queries):
        with django_assert_num_queries(4):
            counts = selectors.node_counts(node=tree.subdistrict, as_of=AS_OF)

        assert (counts.villages, counts.grids, counts.buildings, counts.units) == (2, 4, 4, 4)
        assert (counts.households, counts.residents, counts.aged_70_plus) == (2, 2, 2)
        assert [label for label, _ in counts.items()][:2] == ["村/社区", "网格"]

    def test_items_leave_out_levels_above_the_node(self, tree):
        labels = [label for label, _ in selectors.node_counts(node=tree.grid_a1).items()]

        assert labels == ["楼栋", "单元", "户", "居民", "70 岁以上老人", "群众代表"]

    def test_rows_for_root_nodes(self, tree, django_assert_max_num_queries):
        other = Node.objects.add_root(instance=Node(name="另一街道", level=Level.SUBDISTRICT, code="370303009000"))

        with django_assert_max_num_queries(4):
            rows = selectors.node_rows_with_counts(nodes=[tree.subdistrict, other])

        assert [(r.node, r.villages, r.residents) for r in rows] == [(tree.subdistrict, 2, 2), (other, 0, 0)]


class TestSummary:
    def test_grid_worker(self, tree, grid_worker):
        summary = selectors.subtree_summary(user=grid_worker, as_of=AS_OF)

        assert summary is not None
        assert (summary.villages, summary.grids, summary.buildings, summary.units) == (0, 0, 1, 1)
        assert (summary.households, summary.residents, summary.aged_70_plus) == (1, 1, 1)

    def test_subdistrict_staff(self, tree, street_staff):
        Representative.objects.create(
            resident=tree.resident_b1, village=tree.village_b, since=datetime.date(2024, 1, 1)
        )

        summary = selectors.subtree_summary(user=street_staff)

        assert summary is not None
        assert (summary.villages, summary.grids, summary.units, summary.residents, summary.representatives) == (
            2,
            4,
            4,
            2,
            1,
        )

    def test_superuser_and_nobody(self, tree):
        root = UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=None, is_superuser=True)
        nobody = UserFactory(role=Role.GRID_WORKER, jurisdiction=None)

        summary = selectors.subtree_summary(user=root)

        assert summary is not None
        assert summary.node is None
        assert (summary.villages, summary.grids, summary.residents) == (2, 4, 2)
        assert selectors.subtree_summary(user=nobody) is None


class TestResidents:
    def test_scoped(self, tree, grid_worker, village_staff, street_staff):
        assert list(selectors.residents_visible_to(user=grid_worker)) == [tree.resident_a1]
        assert list(selectors.residents_visible_to(user=village_staff)) == [tree.resident_a1]
        assert set(selectors.residents_visible_to(user=street_staff)) == {tree.resident_a1, tree.resident_b1}

    def test_under_a_node(self, tree, street_staff, grid_worker):
        assert list(selectors.residents_visible_to(user=street_staff, node=tree.village_b)) == [tree.resident_b1]
        with pytest.raises(Http404):
            selectors.residents_visible_to(user=grid_worker, node=tree.village_b)

    def test_query_by_name_id_number_and_phone(self, tree, street_staff, village_staff):
        b1 = tree.resident_b1

        assert list(selectors.residents_visible_to(user=street_staff, query="张")) == [tree.resident_a1]
        assert list(selectors.residents_visible_to(user=street_staff, query=f" {b1.id_number} ")) == [b1]
        assert list(selectors.residents_visible_to(user=street_staff, query=b1.phone)) == [b1]
        # A partial number matches nothing: the plaintext is not searchable.
        assert list(selectors.residents_visible_to(user=street_staff, query=b1.id_number[:10])) == []
        # Exact match, but outside the user's scope.
        assert list(selectors.residents_visible_to(user=village_staff, query=b1.id_number)) == []

    def test_lowercase_x_in_id_number(self, tree, street_staff):
        birth = datetime.date(1949, 12, 31)
        serial = next(s for s in range(100, 1000) if make_id_number("370303", birth, s).endswith("X"))
        resident = _add_resident(tree.unit_a1, room="301", birth=birth, serial=serial)

        found = list(selectors.residents_visible_to(user=street_staff, query=resident.id_number.lower()))

        assert found == [resident]


def test_elderly_cutoff_on_29_february():
    assert selectors.elderly_cutoff(datetime.date(2028, 2, 29)) == datetime.date(1958, 2, 28)
    assert selectors.elderly_cutoff(datetime.date(2026, 11, 29)) == datetime.date(1956, 11, 29)
