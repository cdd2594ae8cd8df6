"""Forms of the address pages. They parse and check the shape of input; the
rules (parts, positions, photos, states) live in services/, whose
`AddressError`s the views put next to the field they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from grassroots.core.forms import StaffForm, text_errors
from grassroots.core.inputs import input_from
from grassroots.regions.models import Level, Node

from .models import Address, Kind
from .selectors import REGISTER_ORDER, SearchHits, search_filter, search_hits
from .services.addresses import AddressInput
from .services.photos import MAX_PHOTO_BYTES
from .states import State


class StyledForm(StaffForm):
    """The staff form base with the widgets this app's pages style themselves."""

    unstyled_widgets = (forms.HiddenInput,)


class FilterForm(StyledForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "路名、门牌号、楼栋、区划代码…", "type": "search"}),
        error_messages={"max_length": "搜索内容不能超过 50 个字。"},
    )
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *State.choices])
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *Kind.choices])
    village = forms.TypedChoiceField(label="村/社区", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, villages: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = {v.pk: v for v in villages}
        self.fields["village"].choices = [("", "全部村/社区"), *[(v.pk, v.label) for v in villages]]  # type: ignore[attr-defined]
        for name in ("state", "kind", "village"):
            self.fields[name].error_messages["invalid_choice"] = "所选条件无效,请重新选择。"

    @property
    def shown_filters(self) -> list[forms.BoundField]:
        """The filters beside the search box; the village one only where there are villages to choose."""
        return [self[name] for name in ("state", "kind", "village") if name != "village" or self.villages]

    @property
    def filtered(self) -> bool:
        return (
            any(self.cleaned_data.get(name) for name in ("q", "state", "kind", "village")) if self.is_bound else False
        )

    def apply(self, rows: QuerySet[Address], *, path_prefix: str | None = None) -> QuerySet[Address]:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if data.get("state"):
            rows = rows.filter(state=data["state"])
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        village = self.villages.get(data.get("village") or 0)
        if village is not None:
            rows = rows.filter(path__startswith=village.path)
        return search_filter(rows, data.get("q") or "", path_prefix=path_prefix)

    def hits(self, rows: QuerySet[Address], *, path_prefix: str | None) -> QuerySet[Address] | SearchHits:
        """The list's rows in register order. A search without other filters
        is read from the index alone (`SearchHits`; a village narrows its path
        prefix); with state or type filters the index is a subquery."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        village = self.villages.get(data.get("village") or 0)
        if data.get("q") and not data.get("state") and not data.get("kind"):
            return search_hits(rows, data["q"], path_prefix=village.path if village is not None else path_prefix)
        return self.apply(rows, path_prefix=path_prefix).order_by(*REGISTER_ORDER)


class AddressFieldsForm(StyledForm):
    """The parts of an address, prefilled from the register: the grid worker
    confirms or corrects each one."""

    kind = forms.ChoiceField(label="地址类型", choices=Kind.choices, error_messages={"required": "请选择地址类型。"})
    road = forms.CharField(label="街路巷", max_length=50, error_messages=text_errors("街路巷"))
    door_number = forms.CharField(label="门牌号", max_length=20, error_messages=text_errors("门牌号"))
    building = forms.CharField(label="楼栋号", max_length=20, required=False)
    unit = forms.CharField(label="单元号", max_length=20, required=False)
    room = forms.CharField(label="户室号", max_length=20, required=False)

    def __init__(self, *args: Any, address: Address | None = None, **kwargs: Any) -> None:
        if address is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial", {n: getattr(address, n) for n in ("kind", "road", "door_number", "building", "unit", "room")}
            )
        super().__init__(*args, **kwargs)
        for name in ("door_number", "building", "unit", "room"):
            self.fields[name].widget.attrs["inputmode"] = "text"

    def address_input(self) -> AddressInput:
        return input_from(AddressInput, self.cleaned_data)


class CollectForm(AddressFieldsForm):
    photo = forms.ImageField(
        label="现场照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        error_messages={
            "invalid_image": "无法识别照片内容,请上传 JPG、PNG 或 WebP 格式的照片。",
            "invalid": "请上传照片文件。",
        },
        help_text=f"用手机拍摄门牌或楼栋,不超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB。",
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "latitude"}))
    longitude = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "longitude"}))


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label="退回原因",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "例如:现场门牌为 20 号"}),
        error_messages=text_errors("退回原因"),
    )


class CampaignForm(StyledForm):
    title = forms.CharField(label="核采名称", max_length=100, error_messages=text_errors("核采名称"))
    node = forms.TypedChoiceField(
        label="核采范围", coerce=int, choices=[], error_messages={"required": "请选择核采范围。"}
    )
    due_on = forms.DateField(
        label="计划完成日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请输入有效的日期(年-月-日)。"},
    )

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {n.pk: n for n in places}
        labels = [(n.pk, ("  " if n.level == Level.VILLAGE else "") + n.label) for n in places]
        self.fields["node"].choices = labels  # type: ignore[attr-defined]
        self.fields["node"].error_messages["invalid_choice"] = "所选核采范围无效,请重新选择。"


class ImportForm(StyledForm):
    file = forms.FileField(
        label="Excel 文件",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 Excel 文件。"},
    )
