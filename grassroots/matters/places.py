"""The place picker of the 说事 forms: cascading selects village → grid →
building → unit (and, for visits, → household), below a root node (the
staff member's jurisdiction). Without a root (the public page) it starts one
level higher, township → village → …, and offers only places the
installation serves (regions.service_area, ADR 0021): after a city-wide
division import there are thousands of villages, with many repeated names,
and most of them have no staff. It is not a form field: it reads its own keys
(`township`, `village`, `grid`, `building`, `unit`, `household`) from the
request and re-renders itself through htmx after every choice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from grassroots.core.errors import DomainError
from grassroots.regions.models import Household, Level, Node
from grassroots.regions.service_area import (
    ServiceArea,
    labelled,
    public_children,
    public_townships,
    service_area,
    unserved_message,
)

LEVEL_KEYS: dict[int, str] = {
    Level.SUBDISTRICT: "township",
    Level.VILLAGE: "village",
    Level.GRID: "grid",
    Level.BUILDING: "building",
    Level.UNIT: "unit",
}
LEVEL_LABELS: dict[int, str] = {Level.SUBDISTRICT: "街道(乡镇)"}
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
    # The level above was chosen (an empty list then means "none below").
    after_choice: bool = False

    @property
    def selected_pk(self) -> int | None:
        return self.selected.pk if self.selected is not None else None

    @property
    def placeholder(self) -> str:
        if self.options:
            return f"请选择{self.label}"
        if self.after_choice:
            return f"(无{self.label},可不选)" if not self.required else f"暂无可选{self.label}"
        return "请先选择上一级"


@dataclass
class PlacePicker:
    """Cascading selects below `root` (the user's jurisdiction; None: the
    public page, township first, served places only). Only ids offered at
    each level are accepted, so a choice outside the root's subtree (or an
    unserved place on the public page) cannot be made."""

    data: Any
    root: Node | None
    households: bool = False
    levels: list[PickerLevel] = field(default_factory=list)
    error: str = ""
    out_of_scope: bool = False
    # Used when nothing below the root was chosen (a picked standard address's node).
    default_node: Node | None = None
    _invalid: bool = False
    _unserved: Node | None = None

    def __post_init__(self) -> None:
        # The public picker (no root) starts at the townships and offers only
        # served places; a staff picker starts below the user's jurisdiction.
        self._area: ServiceArea | None = service_area() if self.root is None else None
        start = Level.SUBDISTRICT if self.root is None else max(Level.VILLAGE, self.root.level + 1)
        parent: Node | None = self.root
        for level in range(start, Level.UNIT + 1):
            options: list[Any] = []
            if level == start:
                options = self._first_options()
            elif parent is not None:
                options = self._children(parent)
            current = PickerLevel(
                key=LEVEL_KEYS[level],
                label=LEVEL_LABELS.get(level) or str(Level(level).label),
                options=options,
                required=self.households or (level <= Level.VILLAGE),
                hint="" if self.households else LEVEL_HINTS.get(level, ""),
                after_choice=level == start or parent is not None,
            )
            current.selected = self._pick(current.key, options)
            if current.selected is None and level == Level.SUBDISTRICT and len(options) == 1:
                current.selected = options[0]  # one township served: nothing to choose
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
                            required=self.households or lower == Level.VILLAGE,
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
            assert self._area is not None
            return _with_labels(public_townships(area=self._area))
        return self._children(self.root)

    def _children(self, parent: Node) -> list[Node]:
        if self._area is not None:
            return _with_labels(public_children(parent=parent, area=self._area))
        return _with_labels(list(_children(parent)))

    def _pick(self, key: str, options: list[Any]) -> Any:
        raw = str(self.data.get(key, "") or "").strip()
        if not raw:
            return None
        chosen = next((o for o in options if str(o.pk) == raw), None)
        if chosen is None:
            self._invalid = True
            if self.root is not None and not self._in_root(key, raw):
                self.out_of_scope = True
            if self._area is not None and key != "household" and raw.isdigit() and len(raw) < 19:
                # Say why a place was not offered when it is one nobody serves.
                node = Node.objects.filter(pk=int(raw)).first()
                if node is not None and not self._area.reaches(node):
                    self._unserved = node
        return chosen

    def _in_root(self, key: str, raw: str) -> bool:
        """Whether an id that was not offered is at least inside the root's
        subtree (a stale choice) rather than outside it (answered 404)."""
        if not raw.isdigit() or self.root is None:
            return False
        model: Any = Household if key == "household" else Node
        return bool(model.objects.filter(pk=int(raw), path__startswith=self.root.path).exists())

    @property
    def chosen_node(self) -> Node | None:
        """The deepest node chosen in the selects (village level or below)."""
        for level in reversed(self.levels):
            if level.key not in ("household", "township") and level.selected is not None:
                return level.selected
        return None

    @property
    def node(self) -> Node | None:
        """The deepest chosen node at village level or below, else the
        default node, else the root when it is itself a place a matter can be
        anchored at."""
        if self.chosen_node is not None:
            return self.chosen_node
        if self.default_node is not None and not self._invalid:
            return self.default_node
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
        if self._unserved is not None:
            self.error = unserved_message(self._unserved)
        elif self._invalid:
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

    def take_error(self, exc: DomainError, form: Any, *, field: str = "node") -> None:
        """A service error about the place (its `field`) shows on the picker,
        any other on the form."""
        if exc.field == field:
            self.set_error(exc.message)
        else:
            form.add_domain_error(exc)


def _children(node: Node) -> QuerySet[Node]:
    return Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")


def _with_labels(nodes: list[Node]) -> list[Node]:
    """Each node with `display`, its label made unique among its siblings."""
    for node, label in labelled(nodes):
        node.display = label
    return nodes
