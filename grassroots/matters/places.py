"""The place picker of the 说事 forms: cascading selects village → grid →
building → unit (and, for visits, → household), below a root node (the
staff member's jurisdiction; None: every village, for the public page).
It is not a form field: it reads its own keys (`village`, `grid`,
`building`, `unit`, `household`) from the request and re-renders itself
through htmx after every choice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from grassroots.regions.models import Household, Level, Node

LEVEL_KEYS: dict[int, str] = {
    Level.VILLAGE: "village",
    Level.GRID: "grid",
    Level.BUILDING: "building",
    Level.UNIT: "unit",
}
LEVEL_HINTS: dict[int, str] = {
    Level.GRID: "不清楚可不选",
    Level.BUILDING: "可不选",
    Level.UNIT: "可不选",
}


@dataclass
class PickerLevel:
    key: str
    label: str
    options: list[Any]
    selected: Any = None
    required: bool = False
    hint: str = ""

    @property
    def selected_pk(self) -> int | None:
        return self.selected.pk if self.selected is not None else None


@dataclass
class PlacePicker:
    """Cascading selects below `root` (the user's jurisdiction; None: every
    village, for the public page). Only ids offered at each level are
    accepted, so a choice outside the root's subtree cannot be made."""

    data: Any
    root: Node | None
    households: bool = False
    levels: list[PickerLevel] = field(default_factory=list)
    error: str = ""
    out_of_scope: bool = False
    _invalid: bool = False

    def __post_init__(self) -> None:
        start = Level.VILLAGE if self.root is None else max(Level.VILLAGE, self.root.level + 1)
        parent: Node | None = self.root
        for level in range(start, Level.UNIT + 1):
            options: list[Any] = []
            if level == start:
                options = self._first_options()
            elif parent is not None:
                options = list(_children(parent))
            current = PickerLevel(
                key=LEVEL_KEYS[level],
                label=str(Level(level).label),
                options=options,
                required=self.households or (level == Level.VILLAGE),
                hint="" if self.households else LEVEL_HINTS.get(level, ""),
            )
            current.selected = self._pick(current.key, options)
            self.levels.append(current)
            parent = current.selected
            if parent is None:
                # Nothing chosen: lower levels are offered only after this one.
                for lower in range(level + 1, Level.UNIT + 1):
                    self.levels.append(
                        PickerLevel(
                            key=LEVEL_KEYS[lower],
                            label=str(Level(lower).label),
                            options=[],
                            required=self.households,
                            hint="" if self.households else LEVEL_HINTS.get(lower, ""),
                        )
                    )
                break
        if self.households:
            unit = self.node if self.node is not None and self.node.level == Level.UNIT else None
            rooms: list[Any] = list(Household.objects.filter(unit=unit).order_by("room", "pk")) if unit else []
            household_level = PickerLevel(key="household", label="住户", options=rooms, required=True)
            household_level.selected = self._pick("household", rooms)
            self.levels.append(household_level)

    def _first_options(self) -> list[Node]:
        if self.root is None:
            return list(Node.objects.filter(level=Level.VILLAGE).order_by("path"))
        return list(_children(self.root))

    def _pick(self, key: str, options: list[Any]) -> Any:
        raw = str(self.data.get(key, "") or "").strip()
        if not raw:
            return None
        chosen = next((o for o in options if str(o.pk) == raw), None)
        if chosen is None:
            self._invalid = True
            if self.root is not None and not self._in_root(key, raw):
                self.out_of_scope = True
        return chosen

    def _in_root(self, key: str, raw: str) -> bool:
        """Whether an id that was not offered is at least inside the root's
        subtree (a stale choice) rather than outside it (answered 404)."""
        if not raw.isdigit() or self.root is None:
            return False
        model: Any = Household if key == "household" else Node
        return bool(model.objects.filter(pk=int(raw), path__startswith=self.root.path).exists())

    @property
    def node(self) -> Node | None:
        """The deepest chosen node, or the root when it is itself a place a
        matter can be anchored at (a village or below)."""
        for level in reversed(self.levels):
            if level.key != "household" and level.selected is not None:
                return level.selected
        if self.root is not None and self.root.level >= Level.VILLAGE:
            return self.root
        return None

    @property
    def household(self) -> Household | None:
        for level in self.levels:
            if level.key == "household":
                return level.selected
        return None

    def is_valid(self) -> bool:
        if self._invalid:
            self.error = "所选地点已不可选,请重新选择。"
        elif self.households and self.household is None:
            self.error = "请选择走访的住户(楼栋 → 单元 → 住户)。"
        elif self.node is None:
            self.error = (
                "请选择所在的村/社区。" if self.root is None or self.root.level < Level.VILLAGE else "请选择地点。"
            )
        return not self.error

    def set_error(self, message: str) -> None:
        self.error = message


def _children(node: Node) -> QuerySet[Node]:
    return Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")
