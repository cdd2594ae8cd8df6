"""The shape of an outbox item and of each type's body, checked before any
handler runs (DRF serializers used as validators: their text fields refuse NUL
and bidi controls like every other input, ADR 0029). Errors come back flat,
keyed by a dotted path ("matters.0.title"), in Chinese."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.livelihood.models import ListKind, VisitKind
from grassroots.safety.models import HazardLevel

from ..errors import FieldError
from ..states import ItemType

KEY_PATTERN = r"^[A-Za-z0-9-]{8,64}$"
ANSWER_RESULTS = ("pass", "fail", "na")
ADDRESS_PARTS = ("kind", "road", "door_number", "building", "unit", "room")


class BodyInvalid(FieldError):
    """The body does not have its type's shape; `errors` say where."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()), ["内容有误。"])[0]
        super().__init__("invalid", first)
        self.errors = errors


def flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors → {"a.0.b": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            flat.update(flatten(value, "non_field_errors" if name == "non_field_errors" else name))
    elif isinstance(errors, list) and errors and all(not isinstance(e, dict | list) for e in errors):
        flat[prefix or "non_field_errors"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value:
                flat.update(flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


class ItemSerializer(serializers.Serializer):
    key = serializers.RegexField(KEY_PATTERN, error_messages={"invalid": "同步编号应为 8–64 位字母、数字或连字符。"})
    type = serializers.ChoiceField(choices=ItemType.choices)
    created_at = serializers.DateTimeField()
    body = serializers.DictField()


class PhotoSerializer(serializers.Serializer):
    data = serializers.CharField(trim_whitespace=False)
    taken_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    lat = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-180, max_value=180)


def photos() -> serializers.ListField:
    return serializers.ListField(child=PhotoSerializer(), required=False, default=list, max_length=20)


class VisitMatterSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000)
    category = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    photos = photos()


class VisitSerializer(serializers.Serializer):
    household = serializers.IntegerField(min_value=1)
    visited_at = serializers.DateTimeField()
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    matters = serializers.ListField(child=VisitMatterSerializer(), required=False, default=list, max_length=20)


class MatterSerializer(VisitMatterSerializer):
    node = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    household = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class MatterNoteSerializer(serializers.Serializer):
    matter = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=2000)
    photos = photos()


class AddressSerializer(serializers.Serializer):
    address = serializers.IntegerField(min_value=1)
    action = serializers.ChoiceField(choices=[("confirm", "确认无误"), ("correct", "更正")])
    fields = serializers.DictField(
        child=serializers.CharField(max_length=100, allow_blank=True), required=False, default=dict
    )
    seen_state = serializers.CharField(max_length=20)
    photos = photos()

    def validate_fields(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(ADDRESS_PARTS))
        if unknown:
            raise serializers.ValidationError(f"不能更正这些内容:{'、'.join(unknown)}。")
        return value


class AnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    result = serializers.ChoiceField(choices=[(r, r) for r in ANSWER_RESULTS])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HazardSerializer(serializers.Serializer):
    item = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=HazardLevel.choices, required=False, default=HazardLevel.GENERAL)
    photos = photos()


class InspectionSerializer(serializers.Serializer):
    premises = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=1)
    inspected_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    answers = serializers.ListField(child=AnswerSerializer(), max_length=200)
    photos = photos()
    hazards = serializers.ListField(child=HazardSerializer(), required=False, default=list, max_length=50)


class CareVisitSerializer(serializers.Serializer):
    resident = serializers.IntegerField(min_value=1)
    list_kind = serializers.ChoiceField(choices=ListKind.choices)
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    visited_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    opinion = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


BODIES: dict[str, type[serializers.Serializer]] = {
    ItemType.VISIT: VisitSerializer,
    ItemType.MATTER: MatterSerializer,
    ItemType.MATTER_NOTE: MatterNoteSerializer,
    ItemType.ADDRESS: AddressSerializer,
    ItemType.INSPECTION: InspectionSerializer,
    ItemType.CARE_VISIT: CareVisitSerializer,
}


def body_valid(item_type: str, body: Any) -> dict[str, Any]:
    """The validated body of `item_type` (raises BodyInvalid)."""
    checked = BODIES[item_type](data=body)
    if not checked.is_valid():
        raise BodyInvalid(flatten(checked.errors))
    return dict(checked.validated_data)
