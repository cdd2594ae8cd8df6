"""Serializer fields shared by every API app (ADR 0029)."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.converters import BIGINT_MAX
from grassroots.core.months import MONTH_ERROR, MONTH_FORMAT, parse_month


class IdField(serializers.IntegerField):
    """A database id in a request body: a positive integer within the bigint
    range, so a 20-digit id is a 400 with a Chinese message, never an
    OverflowError from the database."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        messages = {
            "invalid": "编号应为正整数。",
            "min_value": "编号应为正整数。",
            "max_value": "编号超出范围,不存在该对象。",
            "max_string_length": "编号超出范围,不存在该对象。",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)


class IdListField(serializers.ListField):
    """A list of ids (`IdField` each), at most `max_length` of them."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", IdField())
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)


class DateTimeInputField(serializers.DateTimeField):
    """A date and time in a request body with Chinese messages. DRF's own
    field raises an OverflowError (a 500) when the time zone conversion of a
    naive time at the edge of the calendar (0001-01-01T00:00) leaves it;
    here that is a 400."""

    def __init__(self, **kwargs: Any) -> None:
        messages = {
            "required": "请填写时间。",
            "null": "请填写时间。",
            "invalid": "请输入有效的时间(ISO 8601,例如 2026-10-01T09:30:00+08:00)。",
            "overflow": "时间超出范围。",
            "make_aware": "该时间在本时区不存在。",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime.datetime:
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")
            raise  # unreachable: fail() raises


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{4}-[0-9]{1,2}$", "example": "2026-10"})
class MonthField(serializers.Field):
    """A month as `YYYY-MM`, the first day of it inside (core.months)."""

    default_error_messages = {"invalid": MONTH_ERROR}

    def to_internal_value(self, data: Any) -> datetime.date:
        month = parse_month(data)
        if month is None:
            self.fail("invalid")
        assert month is not None
        return month

    def to_representation(self, value: datetime.date) -> str:
        return value.strftime(MONTH_FORMAT)


def text_field(label: str, max_length: int, *, required: bool = True) -> serializers.CharField:
    """A CharField with Chinese messages; optional means blank is allowed and the default is empty."""
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        default="" if not required else serializers.empty,
        error_messages={
            "required": f"请填写{label}。",
            "blank": f"请填写{label}。",
            "null": f"请填写{label}。",
            "max_length": f"{label}不能超过 {max_length} 个字。",
        },
    )


def choice_field(label: str, choices: Any, *, required: bool = True) -> serializers.ChoiceField:
    """A ChoiceField with Chinese messages."""
    return serializers.ChoiceField(
        choices=choices,
        required=required,
        error_messages={
            "required": f"请选择{label}。",
            "null": f"请选择{label}。",
            "invalid_choice": "“{input}”不是有效的" + label + "。",
        },
    )
