"""Input hygiene (issue 11 item 14, ADR 0029): every form and serializer text
field drops zero-width characters and refuses NUL, bidi controls and other
control characters, field by field; phones fold full-width digits and refuse
digits of other scripts."""

from __future__ import annotations

import pytest
from django import forms
from rest_framework import serializers

from grassroots.core.errors import DomainError
from grassroots.core.notifications.services import normalise_mobile
from grassroots.core.text import BIDI_MESSAGE, NUL_MESSAGE, TextError, clean_text
from grassroots.core.validators import PHONE_SCRIPT_MESSAGE, PhoneError, normalise_mobile_number


class TitleForm(forms.Form):
    title = forms.CharField(max_length=20)
    secret = forms.CharField(strip=False, required=False)


class TitleSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=20)
    note = serializers.CharField(required=False, allow_blank=True)


@pytest.mark.parametrize("raw", ["\u200b\u200b", "\ufeff", "\u200c\u200d\u2060", " \u200b "])
def test_a_title_of_only_invisible_characters_is_empty(raw):
    form = TitleForm(data={"title": raw})
    assert not form.is_valid() and form.errors["title"] == ["该字段是必填项。"]
    body = TitleSerializer(data={"title": raw})
    assert not body.is_valid() and body.errors["title"] == ["该字段不能为空。"]


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidi_controls_are_refused_on_the_field(control):
    raw = f"张三{control}四李"
    form = TitleForm(data={"title": raw})
    assert not form.is_valid() and form.errors["title"] == [BIDI_MESSAGE]
    body = TitleSerializer(data={"title": "好", "note": raw})
    assert not body.is_valid() and body.errors == {"note": [BIDI_MESSAGE]}


def test_nul_and_controls_are_refused():
    assert TitleSerializer(data={"title": "a\x00b"}).is_valid() is False
    form = TitleForm(data={"title": "a\x00b"})
    assert not form.is_valid() and form.errors["title"] == [NUL_MESSAGE]
    with pytest.raises(TextError):
        clean_text("a\x07b")


def test_ordinary_text_keeps_its_newlines_and_loses_invisibles():
    assert clean_text("楼道\u200b灯\n坏了\t三天") == "楼道灯\n坏了\t三天"
    body = TitleSerializer(data={"title": " 楼道\u200b灯 "})
    assert body.is_valid() and body.validated_data["title"] == "楼道灯"


def test_a_field_that_keeps_its_text_exactly_still_refuses_controls():
    form = TitleForm(data={"title": "好", "secret": " pass\u200bword "})
    assert form.is_valid() and form.cleaned_data["secret"] == " pass\u200bword "
    assert not TitleForm(data={"title": "好", "secret": "pw\u202e"}).is_valid()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width from a Chinese input method
        ("13８１２３４５６７８", "13812345678"),  # the same digits in two widths
        ("＋86 138-1234-5678", "13812345678"),
    ],
)
def test_full_width_digits_fold_to_ascii(raw, expected):
    assert normalise_mobile_number(raw) == expected


@pytest.mark.parametrize("raw", ["13٨١٢٣٤٥٦٧٨", "١٣٨١٢٣٤٥٦٧٨", "1381234567८", "13۸۱۲۳۴۵۶۷۸"])
def test_digits_of_other_scripts_are_refused(raw):
    with pytest.raises(PhoneError) as info:
        normalise_mobile_number(raw)
    assert info.value.message == PHONE_SCRIPT_MESSAGE
    with pytest.raises(DomainError) as domain:
        normalise_mobile(raw, field="phone")
    assert domain.value.field == "phone" and domain.value.code == "phone_digits_script"


@pytest.mark.django_db
def test_a_nul_in_a_looked_up_value_is_bad_input_not_a_database_error():
    """Schemathesis found it on PostgreSQL: a NUL in a slug-related field's
    text reached the database (PostgreSQL refuses NUL in a parameter) and
    answered 500. Related fields and model choices now refuse it first."""
    from grassroots.accounts.models import User

    class Pick(serializers.Serializer):
        user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())

    class PickForm(forms.Form):
        user = forms.ModelChoiceField(queryset=User.objects.all(), to_field_name="username")

    body = Pick(data={"user": "ab\x00c"})
    assert not body.is_valid() and body.errors["user"] == [NUL_MESSAGE]
    form = PickForm(data={"user": "ab\x00c"})
    assert not form.is_valid() and form.errors["user"] == [NUL_MESSAGE]
