"""`core.forms.add_domain_error`: a service's error next to its field, or
above the form; the field's input marked invalid."""

from __future__ import annotations

from django import forms

from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error


class TitleForm(forms.Form):
    title = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control"}))


def _bound() -> TitleForm:
    form = TitleForm(data={"title": "楼道灯不亮"})
    assert form.is_valid()
    return form


def test_error_next_to_its_field_and_marked_invalid():
    form = _bound()
    assert add_domain_error(form, DomainError("too_long", "标题太长。", field="title")) == "title"
    assert form.errors == {"title": ["标题太长。"]}
    attrs = form.fields["title"].widget.attrs
    assert attrs["class"] == "form-control is-invalid" and attrs["aria-invalid"] == "true"
    add_domain_error(form, DomainError("again", "再说一次。", field="title"))
    assert attrs["class"] == "form-control is-invalid"  # marked once


def test_unknown_or_missing_field_goes_above_the_form():
    form = _bound()
    assert add_domain_error(form, DomainError("stale", "已被他人处理。", field="nothing")) is None
    assert add_domain_error(form, DomainError("stale", "请刷新。")) is None
    assert form.non_field_errors() == ["已被他人处理。", "请刷新。"]
    assert "is-invalid" not in form.fields["title"].widget.attrs["class"]


def test_alias_maps_the_service_field_to_the_form_field():
    form = _bound()
    assert add_domain_error(form, DomainError("x", "标题有误。", field="name"), aliases={"name": "title"}) == "title"
    assert form.errors["title"] == ["标题有误。"]
