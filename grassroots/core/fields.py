"""Model fields for personal data: an encrypted text field and the blind index
that makes exact lookup possible without storing the plaintext."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, Lookup

from . import crypto


class _BlankOnlyExact(Exact):
    """``field=""`` works (blank values are stored as they are). Any other
    value would be encrypted with a fresh nonce and silently match nothing."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted and cannot be filtered by value; "
                "filter on its BlindIndexField with index_of() instead."
            )
        return super().get_prep_lookup()


class Ciphertext(str):
    """A value that is already ciphertext (a restored backup, ADR 0057): an
    EncryptedTextField stores it as it is instead of encrypting it again."""


class EncryptedTextField(models.TextField):
    """Stores SM4-GCM ciphertext; Python code sees plaintext. Not filterable
    by value: look rows up through the paired :class:`BlindIndexField`."""

    description = "SM4-GCM encrypted text"

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        # Only blank checks make sense on ciphertext; everything else (icontains,
        # in, startswith …) would silently match nothing, so it is refused.
        if lookup_name == "exact":
            return _BlankOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Ciphertext):
            return str(value)
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's normalised value, computed on save."""

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        plaintext = getattr(model_instance, self.source)
        value = crypto.blind_index(plaintext, purpose=self.purpose) if plaintext else ""
        setattr(model_instance, self.attname, value)
        return value

    def index_of(self, plaintext: str) -> str:
        return crypto.blind_index(plaintext, purpose=self.purpose)
