from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.audit import Action
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.regions.models import Level, Node
from grassroots.regions.services import node_create, node_rename


def _state() -> tuple[int, int, list[tuple[str, str, int]]]:
    return (
        Node.objects.count(),
        AuditEntry.objects.count(),
        list(Node.objects.order_by("path").values_list("path", "name", "numchild")),
    )


class TestNodeCreate:
    def test_village_staff_adds_a_building_to_a_grid(self, tree, make_user):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)

        node = node_create(actor=actor, parent=tree.grid_a1, name=" 2号楼 ", level=Level.BUILDING)

        node.refresh_from_db()
        assert (node.name, node.level, node.depth, node.code) == ("2号楼", Level.BUILDING, 4, None)
        assert node.path.startswith(tree.grid_a1.path)
        assert node.path > tree.unit_a1.path[: -Node.steplen]  # appended after the existing building
        assert Node.objects.get(pk=tree.grid_a1.pk).numchild == 2
        assert Node.objects.find_problems() == ([], [], [], [], [])
        entry = AuditEntry.objects.get(action=Action.CREATE)
        assert (entry.actor_id, entry.object_type, entry.object_id) == (actor.pk, "regions.Node", str(node.pk))
        assert entry.detail["name"] == "2号楼"
        assert entry.detail["parent_id"] == tree.grid_a1.pk

    def test_grid_worker_adds_a_unit_in_their_grid(self, tree, make_user):
        actor = make_user(Role.GRID_WORKER, tree.grid_a1)
        building = Node.objects.get(path=tree.unit_a1.path[: -Node.steplen])

        node = node_create(actor=actor, parent=building, name="2单元", level=Level.UNIT)

        assert node.level == Level.UNIT
        assert node.path.startswith(building.path)

    @pytest.mark.parametrize("level", [Level.GRID, Level.UNIT, Level.VILLAGE])
    def test_level_must_be_the_next_one(self, tree, make_user, level):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)
        before = _state()

        with pytest.raises(DomainError) as excinfo:
            node_create(actor=actor, parent=tree.grid_a1, name="x", level=level)

        assert excinfo.value.code == "level_mismatch"
        assert "只能在网格下添加楼栋" in excinfo.value.message
        assert _state() == before

    def test_nothing_below_a_unit(self, tree, make_user):
        actor = make_user(Role.GRID_WORKER, tree.grid_a1)
        before = _state()

        with pytest.raises(DomainError, match="单元下不能再添加节点"):
            node_create(actor=actor, parent=tree.unit_a1, name="x", level=Level.UNIT + 1)

        assert _state() == before

    def test_villages_come_from_the_import(self, tree, make_user):
        actor = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
        before = _state()

        with pytest.raises(DomainError) as excinfo:
            node_create(actor=actor, parent=tree.subdistrict, name="新社区", level=Level.VILLAGE)

        assert excinfo.value.code == "level_not_editable"
        assert _state() == before

    def test_outside_scope_is_not_found(self, tree, make_user):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)
        before = _state()

        with pytest.raises(NotFound):
            node_create(actor=actor, parent=tree.grid_b1, name="9号楼", level=Level.BUILDING)

        assert _state() == before

    def test_role_without_tree_duties(self, tree, make_user):
        actor = make_user(Role.MEDIATOR, tree.subdistrict)
        before = _state()

        with pytest.raises(PermissionDenied):
            node_create(actor=actor, parent=tree.village_a, name="第3网格", level=Level.GRID)

        assert _state() == before

    @pytest.mark.parametrize(
        ("name", "code"), [("  ", "name_required"), ("长" * 101, "name_too_long"), ("第2网格", "name_taken")]
    )
    def test_bad_names(self, tree, make_user, name, code):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)
        before = _state()

        with pytest.raises(DomainError) as excinfo:
            node_create(actor=actor, parent=tree.village_a, name=name, level=Level.GRID)

        assert excinfo.value.code == code
        assert _state() == before


class TestNodeRename:
    def test_rename_a_grid(self, tree, make_user):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)
        path = tree.grid_a1.path

        node = node_rename(actor=actor, node=tree.grid_a1, name="东区网格", short_name="东区")

        node.refresh_from_db()
        assert (node.name, node.short_name, node.path) == ("东区网格", "东区", path)
        entry = AuditEntry.objects.get(action=Action.UPDATE)
        assert entry.object_id == str(node.pk)
        assert entry.detail == {
            "old": {"name": "第1网格", "short_name": ""},
            "new": {"name": "东区网格", "short_name": "东区"},
        }

    def test_same_name_is_a_no_op(self, tree, make_user):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)
        before = _state()

        node_rename(actor=actor, node=tree.grid_a1, name="第1网格")

        assert _state() == before

    def test_sibling_name_taken(self, tree, make_user):
        actor = make_user(Role.VILLAGE_STAFF, tree.village_a)
        before = _state()

        with pytest.raises(DomainError) as excinfo:
            node_rename(actor=actor, node=tree.grid_a1, name="第2网格")

        assert excinfo.value.code == "name_taken"
        assert _state() == before

    def test_village_names_are_not_editable(self, tree, make_user):
        actor = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
        before = _state()

        with pytest.raises(DomainError) as excinfo:
            node_rename(actor=actor, node=tree.village_a, name="西张社区")

        assert excinfo.value.code == "level_not_editable"
        assert _state() == before

    def test_outside_scope(self, tree, make_user):
        actor = make_user(Role.GRID_WORKER, tree.grid_a1)
        before = _state()

        with pytest.raises(NotFound):
            node_rename(actor=actor, node=tree.grid_b1, name="改名")

        assert _state() == before
