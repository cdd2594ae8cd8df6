"""Forms of the staff 晒事 pages. They parse and check the shape of input;
the rules (period, channels, source, state) live in services.py, whose
`PublicityError`s the views put next to the field they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.core.forms import StaffForm, choice_errors, date_widget
from grassroots.core.scoping import scope_queryset, user_scope_path
from grassroots.publicity.selectors import search_filter
from grassroots.regions.models import Level, Node

from .. import services
from ..models import Channel, Kind, Publication, State

DEFAULT_CHANNELS = [Channel.PORTAL, Channel.NOTICE, Channel.WECHAT]


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=date_widget(),
        help_text=help_text,
        error_messages={"invalid": "请输入有效的日期(年-月-日)。"},
    )


class PublicationForm(StaffForm):
    """Title, text, channels and (optionally) the planned period of a draft."""

    title = forms.CharField(
        label="标题",
        max_length=100,
        error_messages={"required": "请填写公示标题。", "max_length": "公示标题不能超过 100 个字。"},
    )
    content = forms.CharField(
        label="正文",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "请填写公示正文。", "max_length": "公示正文不能超过 5000 个字。"},
    )
    channels = forms.MultipleChoiceField(
        label="公示渠道",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个公示渠道。", "invalid_choice": "所选公示渠道无效,请重新选择。"},
    )
    starts_on = _date_field("计划开始日期", "可留空:发布时从当天开始。")
    ends_on = _date_field("计划结束日期", "可留空:默认公示 5 个工作日。")

    def __init__(self, *args: Any, publication: Publication | None = None, **kwargs: Any) -> None:
        if publication is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "title": publication.title,
                    "content": publication.content,
                    "channels": list(publication.channels),
                    "starts_on": publication.starts_on,
                    "ends_on": publication.ends_on,
                },
            )
        super().__init__(*args, **kwargs)
        self.initial.setdefault("channels", DEFAULT_CHANNELS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "公示结束日期不能早于开始日期。")
        if end and not start:
            self.add_error("starts_on", "填写结束日期时请同时填写开始日期。")
        return data


class PublishForm(StaffForm):
    """The period of a draft being published: from today for five working
    days unless the user picks other dates."""

    starts_on = _date_field("公示开始")
    ends_on = _date_field("公示结束", "留空则默认公示 5 个工作日。")

    def __init__(self, *args: Any, publication: Publication | None = None, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="id_publish_%s", **kwargs)
        today = timezone.localdate()
        start = publication.starts_on if publication and publication.starts_on else today
        start = max(start, today)
        end = publication.ends_on if publication and publication.ends_on and publication.ends_on >= start else None
        self.initial.setdefault("starts_on", start)
        self.initial.setdefault("ends_on", end or services.default_end(start))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "公示结束日期不能早于开始日期。")
        return data


class WithdrawForm(StaffForm):
    reason = forms.CharField(
        label="撤回原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="撤回会记入审计日志,事项的办理过程中也会显示撤回原因。",
        error_messages={"required": "撤回公示须说明原因。", "max_length": "撤回原因不能超过 200 个字。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="id_withdraw_%s", **kwargs)


def villages_visible_to(user: Any) -> QuerySet[Node]:
    return scope_queryset(Node.objects.filter(level=Level.VILLAGE), user).order_by("path")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        node: Node = obj
        return node.label


class FilterForm(StaffForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        error_messages={"max_length": "搜索内容不能超过 50 个字。"},
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *State.choices],
        error_messages=choice_errors("状态"),
    )
    kind = forms.ChoiceField(
        label="公示内容",
        required=False,
        choices=[("", "全部内容"), *Kind.choices],
        error_messages=choice_errors("公示内容"),
    )
    village = VillageChoiceField(
        label="村/社区",
        required=False,
        queryset=Node.objects.none(),
        empty_label="全部村/社区",
        error_messages=choice_errors("村/社区"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        village: VillageChoiceField = self.fields["village"]  # type: ignore[assignment]
        village.queryset = villages_visible_to(user)

    def apply(self, rows: QuerySet[Publication]) -> QuerySet[Publication]:
        """Only the valid fields filter: a typo never empties the list."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if data.get("state"):
            rows = rows.filter(state=data["state"])
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("village") is not None:
            rows = rows.filter(path__startswith=data["village"].path)
        return search_filter(rows, data.get("q") or "", path_prefix=user_scope_path(self.user) or None)

    @property
    def filtered(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return any(data.get(name) for name in ("q", "state", "kind", "village"))
