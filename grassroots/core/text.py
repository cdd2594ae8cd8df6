"""Input hygiene for every text a person submits (ADR 0029).

Invisible characters make a title look filled in when it is empty, and bidi
override/isolate controls reverse text on the staff pages that show it (a
name or address can be made to read backwards). `clean_text` is applied by
core to every Django form CharField and every DRF CharField (see
`install`), so pages and the API refuse the same input with the same
Chinese message, field by field."""

from __future__ import annotations

import re
from typing import Any

# Zero-width space/non-joiner/joiner, word joiner, BOM (zero-width no-break
# space), soft hyphen, Mongolian vowel separator, LRM/RLM marks: invisible,
# never meaningful in what residents and staff type. Removed silently.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
# LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI: they reorder what follows.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# C0 controls except tab, newline and carriage return, and DEL.
_CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")

NUL_MESSAGE = "不能包含空字符(\\0)。"
BIDI_MESSAGE = "不能包含改变文字方向的控制字符(如 U+202E),它们会让文字颠倒显示。"
CONTROL_MESSAGE = "不能包含控制字符。"


class TextError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def clean_text(value: str, *, strip_invisible: bool = True) -> str:
    """`value` without invisible characters; raises TextError for NUL, bidi
    controls and other control characters. `strip_invisible=False` keeps the
    text exactly as typed (passwords) and only refuses."""
    if "\x00" in value:
        raise TextError("null_characters_not_allowed", NUL_MESSAGE)
    if _BIDI_RE.search(value):
        raise TextError("bidi_control", BIDI_MESSAGE)
    if _CONTROL_RE.search(value):
        raise TextError("control_character", CONTROL_MESSAGE)
    return _INVISIBLE_RE.sub("", value) if strip_invisible else value


def install() -> None:
    """Run `clean_text` inside Django's forms.CharField and DRF's CharField,
    before their own blank/required checks: a title of zero-width spaces is
    then simply empty ("该字段不能为空"), and every subclass (EmailField,
    RegexField, SlugField, …) and every form and serializer of every app,
    present and future, is covered without a base class to remember.
    Called once from CoreConfig.ready()."""
    from django import forms
    from rest_framework import fields

    if getattr(forms.CharField.to_python, "_grassroots_clean", False):
        return

    form_to_python = forms.CharField.to_python

    def to_python(self: forms.CharField, value: Any) -> Any:
        value = form_to_python(self, value)
        if isinstance(value, str) and value:
            try:
                value = clean_text(value, strip_invisible=self.strip)
            except TextError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
            if self.strip:
                value = value.strip()
        return value

    to_python._grassroots_clean = True  # type: ignore[attr-defined]
    forms.CharField.to_python = to_python  # type: ignore[method-assign]

    drf_run_validation = fields.CharField.run_validation

    def run_validation(self: fields.CharField, data: Any = fields.empty) -> Any:
        if isinstance(data, str) and data:
            try:
                data = clean_text(data, strip_invisible=self.trim_whitespace)
            except TextError as exc:
                raise fields.ValidationError(exc.message, code=exc.code) from None
        return drf_run_validation(self, data)

    fields.CharField.run_validation = run_validation

    # Related fields look the text up in the database: PostgreSQL refuses a NUL
    # inside a query parameter with an error, so refuse it (and the other
    # controls) as bad input first, in forms and serializers alike.
    from rest_framework import relations

    drf_related_run_validation = relations.RelatedField.run_validation

    def related_run_validation(self: relations.RelatedField, data: Any = fields.empty) -> Any:
        if isinstance(data, str) and data:
            try:
                data = clean_text(data)
            except TextError as exc:
                raise fields.ValidationError(exc.message, code=exc.code) from None
        return drf_related_run_validation(self, data)

    relations.RelatedField.run_validation = related_run_validation

    choice_to_python = forms.ModelChoiceField.to_python

    def model_choice_to_python(self: forms.ModelChoiceField, value: Any) -> Any:
        if isinstance(value, str) and value:
            try:
                value = clean_text(value)
            except TextError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return choice_to_python(self, value)

    forms.ModelChoiceField.to_python = model_choice_to_python  # type: ignore[method-assign]
