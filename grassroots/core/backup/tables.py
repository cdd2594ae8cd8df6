"""Which tables a backup holds and how their rows travel as JSON lines."""

from __future__ import annotations

import base64
import datetime
import decimal
import uuid
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import ExpressionWrapper, F

from grassroots.core.fields import Ciphertext, EncryptedTextField

# Sessions are logins, not records: a restore must not bring them back.
SKIPPED = {"sessions.session"}
BATCH = 1000


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table Django manages, many-to-many tables included, in a stable order."""
    found: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED:
            continue
        found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime.timedelta):
        return {"$seconds": value.total_seconds()}
    return value


def rows(model: type[models.Model]) -> Iterator[list[Any]]:
    """The table's rows in primary-key order, as JSON-ready lists (streamed).
    Encrypted columns travel as the ciphertext they are stored as: a backup
    never holds a decrypted ID number or phone."""
    selected: list[Any] = [
        ExpressionWrapper(F(field.attname), output_field=models.TextField())
        if isinstance(field, EncryptedTextField)
        else field.attname
        for field in columns(model)
    ]
    queryset = model._base_manager.order_by("pk").values_list(*selected)
    for row in queryset.iterator(chunk_size=2000):
        yield [_plain(value) for value in row]


def _typed(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and "$b64" in value and len(value) == 1:
        return base64.b64decode(value["$b64"])
    if isinstance(value, dict) and "$seconds" in value and len(value) == 1:
        return datetime.timedelta(seconds=value["$seconds"])
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, EncryptedTextField):
        return Ciphertext(value)
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return target.to_python(value)


def instances(model: type[models.Model], names: list[str], batch: list[list[Any]]) -> list[models.Model]:
    """Unsaved instances of `model` from rows written by `rows` (column names `names`)."""
    by_attname = {field.attname: field for field in columns(model)}
    unknown = [name for name in names if name not in by_attname]
    if unknown:
        raise ValueError(f"{model._meta.label}: unknown columns {unknown}")
    return [
        model(**{name: _typed(by_attname[name], value) for name, value in zip(names, row, strict=True)})
        for row in batch
    ]
