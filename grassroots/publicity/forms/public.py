"""Forms of the public portal (no login): the list's search and filters, and
a resident's objection (异议) to a publication.

Forms only parse and give Chinese messages; `services.objection_file`
validates again, and its `DomainError`s come back onto the form."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict

from grassroots.core.errors import DomainError
from grassroots.core.forms import StyledForm
from grassroots.core.notifications.services import normalise_mobile
from grassroots.regions.models import Node

from ..models import Kind
from ..selectors import STATUS_CURRENT, STATUS_ENDED

STATUS_CHOICES = [("", "全部状态"), (STATUS_CURRENT, "公示中"), (STATUS_ENDED, "已期满")]
TEXT_MIN = 5
TEXT_MAX = 2000


def new_idempotency_key() -> str:
    """One per form render; a double submit or a retry sends it again."""
    return str(uuid.uuid4())


def with_idempotency_key(data: QueryDict) -> QueryDict:
    """The submitted data with a usable key: the browser's when it is a
    UUID, else a new one (kept in the form shown again)."""
    raw = str(data.get("idempotency_key", "")).strip()
    try:
        uuid.UUID(raw)
    except ValueError:
        data = data.copy()
        data["idempotency_key"] = new_idempotency_key()
    return data


class FilterForm(forms.Form):
    """Search and filters of a publication list (GET). Invalid values are
    ignored rather than answered with an error: a resident may have an old
    link."""

    q = forms.CharField(label="搜索", required=False, max_length=50, widget=forms.TextInput())
    kind = forms.ChoiceField(label="公示内容", required=False, choices=[("", "全部内容"), *Kind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_CHOICES)
    village = forms.TypedChoiceField(label="村(社区)", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, villages: list[Node] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if villages is None:
            del self.fields["village"]
        else:
            village_field = self.fields["village"]
            assert isinstance(village_field, forms.TypedChoiceField)
            village_field.choices = [("", "全部村(社区)"), *((v.pk, v.label) for v in villages)]
        search = self.fields["q"].widget
        assert isinstance(search, forms.TextInput)
        search.input_type = "search"
        search.attrs.update({"class": "form-control", "placeholder": "搜索标题或正文", "enterkeyhint": "search"})
        for name in ("kind", "status", "village"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-select"

    def values(self) -> dict[str, Any]:
        """The valid filters (the others dropped)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if cleaned.get(name) not in (None, "")}


class ObjectionForm(StyledForm):
    """异议: what is wrong, a phone number to answer on (never shown), an
    optional form of address, and the village for a subdistrict-wide notice."""

    text = forms.CharField(
        label="异议内容",
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
        help_text="请写明对公示内容的具体意见和理由。",
        error_messages={
            "required": "请写明异议的内容和理由(至少 5 个字)。",
            "min_length": "请写明异议的内容和理由(至少 5 个字)。",
            "max_length": "异议内容不能超过 2000 个字。",
        },
    )
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="仅用于答复您,不会公开。",
        error_messages={"required": "请留下 11 位手机号,以便告知处理结果(不会公开)。"},
    )
    name = forms.CharField(
        label="称呼",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "例如:刘阿姨", "autocomplete": "off"}),
        error_messages={"max_length": "称呼不能超过 50 个字。"},
    )
    village = forms.TypedChoiceField(
        label="您所在的村(社区)",
        coerce=int,
        error_messages={
            "required": "请选择您所在的村/社区。",
            "invalid_choice": "请选择您所在的村/社区。",
        },
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, places: list[Node], **kwargs: Any) -> None:
        self.places = {node.pk: node for node in places}
        super().__init__(*args, **kwargs)
        if places:
            village_field = self.fields["village"]
            assert isinstance(village_field, forms.TypedChoiceField)
            village_field.choices = [("", "请选择"), *((node.pk, node.label) for node in places)]
        else:
            del self.fields["village"]

    def clean_phone(self) -> str:
        try:
            return normalise_mobile(self.cleaned_data["phone"])
        except DomainError as exc:
            raise forms.ValidationError("请留下 11 位手机号,以便告知处理结果(不会公开)。") from exc

    def village_node(self) -> Node | None:
        pk = self.cleaned_data.get("village")
        return self.places.get(pk) if pk is not None else None
