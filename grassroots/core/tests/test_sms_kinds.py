"""Message kinds and their template parameters (ADR 0052)."""

from __future__ import annotations

import pytest

from grassroots.core.errors import DomainError
from grassroots.core.notifications.sms.kinds import (
    PARAM_MAX_CHARS,
    build_params,
    kind_label,
    registered_kinds,
    sms_kind,
)

KIND = sms_kind("tests.kinds", "测试类型", ("name", "code"))
WITH_LINK = sms_kind("tests.kinds_link", "测试链接", ("name", "link"))


def test_a_kind_is_registered_once_and_a_conflicting_one_is_refused():
    assert sms_kind("tests.kinds", "测试类型", ("name", "code")) == KIND
    with pytest.raises(ValueError, match="declared twice"):
        sms_kind("tests.kinds", "测试类型", ("name",))
    assert KIND in registered_kinds() and kind_label("tests.kinds") == "测试类型"
    assert kind_label("unknown.kind") == "unknown.kind"


def test_parameters_follow_the_kinds_order_and_long_values_are_cut():
    pairs = build_params(KIND, {"code": "A1", "name": "长" * 50})
    assert [name for name, _ in pairs] == ["name", "code"]
    assert len(pairs[0][1]) == PARAM_MAX_CHARS and pairs[0][1].endswith("…")


def test_the_link_is_filled_absolute_and_never_cut(settings):
    settings.PUBLIC_BASE_URL = "https://grassroots.example.gov.cn/"
    path = "/deliberation/i/" + "x" * 60 + "/"
    pairs = dict(build_params(WITH_LINK, {"name": "张三"}, link=path))
    assert pairs["link"] == "https://grassroots.example.gov.cn" + path


@pytest.mark.parametrize(
    ("params", "link", "code"),
    [
        ({"name": "a"}, "", "sms_params_mismatch"),
        ({"name": "a", "code": "b", "extra": "c"}, "", "sms_params_mismatch"),
        ({"name": "", "code": "b"}, "", "sms_param_empty"),
    ],
)
def test_wrong_parameters_are_a_domain_error(params, link, code):
    with pytest.raises(DomainError) as error:
        build_params(KIND, params, link=link)
    assert error.value.code == code


def test_a_kind_with_a_link_needs_one():
    with pytest.raises(DomainError) as error:
        build_params(WITH_LINK, {"name": "张三"})
    assert error.value.code == "sms_link_required"
