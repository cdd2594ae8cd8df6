"""Input fields and error messages shared by the matters API's serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.addresses.selectors import addresses_pickable_by
from grassroots.core.scoping import scope_queryset


def required_messages(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}。", "blank": f"请填写{label}。", "null": f"请填写{label}。"}


def choice_messages(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}。",
        "null": f"请选择{label}。",
        "invalid_choice": f"“{{input}}”不是有效的{label}。",
        "does_not_exist": f"{label}不存在,或不在您的辖区内。",
        "incorrect_type": f"{label}应为编号(整数)。",
    }


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key limited to the requesting user's subtree."""

    def __init__(self, *, path_field: str = "path", **kwargs: Any) -> None:
        self.path_field = path_field
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        return scope_queryset(queryset, self.context["request"].user, path_field=self.path_field)


class PickableAddressField(serializers.PrimaryKeyRelatedField):
    """A verified standard address of the requesting user's subtree; any
    other id reads as one that does not exist (400, nothing about whose it is)."""

    def get_queryset(self) -> Any:
        return addresses_pickable_by(user=self.context["request"].user)
