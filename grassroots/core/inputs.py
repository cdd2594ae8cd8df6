"""Service inputs built once from a page's form or its API twin's serializer.

A service that creates or changes something takes one input dataclass; the
form's `cleaned_data` and the serializer's `validated_data` name their fields
after it, so `input_from` is the one mapping both use (ADR 0035)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["input_from"]

T = TypeVar("T")


def input_from(cls: type[T], data: Mapping[str, Any], **extra: Any) -> T:
    """`cls` from the entries of `data` named after its fields (the others
    are the form's or serializer's own business), then `extra` (what the
    request does not carry: the place a picker chose, the parties of a
    formset). A field `data` lacks keeps the dataclass's default."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    values = {name: value for name, value in data.items() if name in names}
    values.update(extra)
    return cls(**values)
