"""The work queue's filter form: the selector's arguments from the query
string, with Chinese errors; an invalid field is shown and ignored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from grassroots.core.forms import StaffForm, choice_errors, date_widget
from grassroots.core.scoping import scope_queryset, user_scope_path
from grassroots.regions.models import Level, Node

from ..models import Category, Channel
from ..selectors import ancestor_paths
from ..states import OPEN_STATES, State

OPEN = "open"

# Matters without a due date (not yet accepted) sort after those with one.
SORTS: dict[str, tuple[Any, ...]] = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "due": (F("due_date").asc(nulls_last=True), "-created_at", "-id"),
    "-due": (F("due_date").desc(nulls_last=True), "-created_at", "-id"),
}


class CategoryFilterField(forms.ModelChoiceField):
    """First-level categories (which include their children) and second-level ones."""

    def label_from_instance(self, obj: Any) -> str:
        category: Category = obj
        return f"{category.name}(全部)" if category.parent_id is None else f"　{category.name}"


def category_filter_queryset() -> QuerySet[Category]:
    """Active categories, each first-level one followed by its children."""
    return (
        Category.objects.filter(active=True)
        .annotate(
            group_order=Coalesce("parent__sort_order", "sort_order"),
            group_code=Coalesce("parent__code", "code"),
            is_child=Case(When(parent__isnull=True, then=Value(0)), default=Value(1)),
        )
        .order_by("group_order", "group_code", "is_child", "sort_order", "code")
    )


class NodeChoiceField(forms.ModelChoiceField):
    """Villages and grids within the user's scope; grids show their village."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_labels: dict[str, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        node: Node = obj
        parent = self.parent_labels.get(node.path[: -Node.steplen], "") if node.level == Level.GRID else ""
        return f"{parent} / {node.label}" if parent else node.label


class QueueFilterForm(StaffForm):
    q = forms.CharField(
        label="搜索", required=False, max_length=50, error_messages={"max_length": "搜索内容不能超过 50 个字。"}
    )
    # "open" (未办结) is every open state at once: the dashboards' open figure clicks through to it.
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), (OPEN, "未办结(全部)"), *State.choices]
    )
    category = CategoryFilterField(
        label="分类",
        required=False,
        queryset=Category.objects.none(),
        empty_label="全部分类",
        error_messages=choice_errors("分类"),
    )
    node = NodeChoiceField(
        label="村/社区、网格",
        required=False,
        queryset=Node.objects.none(),
        empty_label="全部辖区",
        error_messages=choice_errors("辖区"),
    )
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部渠道"), *Channel.choices])
    overdue = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部期限"), ("late", "已逾期"), ("late3", "严重逾期(超时限 3 倍)")],
    )
    date_from = forms.DateField(
        label="反映日期自",
        required=False,
        widget=date_widget(),
        error_messages={"invalid": "请输入有效的日期。"},
    )
    date_to = forms.DateField(
        label="至",
        required=False,
        widget=date_widget(),
        error_messages={"invalid": "请输入有效的日期。"},
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("-created", "最新反映在前"),
            ("created", "最早反映在前"),
            ("due", "期限最近在前"),
            ("-due", "期限最远在前"),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_filter_queryset()  # type: ignore[attr-defined]
        nodes = scope_queryset(Node.objects.filter(level__in=[Level.VILLAGE, Level.GRID]), user).order_by("path")
        node_field: NodeChoiceField = self.fields["node"]  # type: ignore[assignment]
        node_field.queryset = nodes
        prefix = user_scope_path(user)
        villages = Node.objects.filter(level=Level.VILLAGE)
        if prefix:
            villages = villages.filter(Q(path__startswith=prefix) | Q(path__in=ancestor_paths(prefix)))
        node_field.parent_labels = {n.path: n.label for n in villages} if prefix is not None else {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data

    def filters(self) -> dict[str, Any]:
        """Selector arguments from the valid fields; an invalid field is ignored
        (and shown with its error), so a typo never empties the queue."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "state": sorted(OPEN_STATES) if data.get("state") == OPEN else (data.get("state") or None),
            "category": data.get("category"),
            "node": data.get("node"),
            "channel": data.get("channel") or None,
            "overdue": data.get("overdue") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to") if "date_to" not in self.errors else None,
            "query": (data.get("q") or "").strip(),
        }

    def ordering(self) -> tuple[str, ...]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return SORTS.get(data.get("sort") or "-created", SORTS["-created"])
