"""Entering, correcting and importing figures; the month's review by a second person."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.core.audit import Action as AuditAction
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry

from ..errors import IndicatorConflict, IndicatorError
from ..models import Ledger, Value, ValueEvent
from ..services.transfer import IndicatorImportError, indicators_import
from ..services.values import value_set, values_set
from ..services.workflow import ledger_transition
from ..states import Action, State
from .support import FIRST, MONTH, indicator
from .xlsx import workbook

pytestmark = pytest.mark.django_db


def _set(people, tree, amount="56", **kw):
    return value_set(
        actor=kw.pop("actor", people.station),
        node=kw.pop("node", tree.subdistrict),
        month=kw.pop("month", MONTH),
        indicator=indicator(),
        value=amount,
        **kw,
    )


def test_enter_review_lock_and_correct_with_a_reason(tree, people):
    value = _set(people, tree, "55.5")
    value = _set(people, tree, "56")
    ledger = value.ledger
    assert ledger.state == State.DRAFT and ledger.entered_by == people.station
    # The one who entered cannot review; a second person can.
    with pytest.raises(PermissionDenied):
        ledger_transition(actor=people.station, ledger=ledger, action=Action.REVIEW)
    ledger = ledger_transition(actor=people.reviewer, ledger=ledger, action=Action.REVIEW)
    assert ledger.reviewed_by == people.reviewer
    # A reviewed month takes no figure until it is sent back.
    with pytest.raises(IndicatorConflict):
        _set(people, tree, "57")
    ledger = ledger_transition(actor=people.reviewer, ledger=ledger, action=Action.LOCK)
    assert ledger.state == State.LOCKED and ledger.locked_at is not None
    # After locking: a reason is required, nothing is written without one.
    before = ValueEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(IndicatorError) as caught:
        _set(people, tree, "57")
    assert caught.value.code == "reason_required" and "原因" in caught.value.message
    assert (ValueEvent.objects.count(), AuditEntry.objects.count()) == before
    value = _set(people, tree, "57", reason="统计局反馈修正")
    assert value.value == Decimal("57")
    events = list(value.events.order_by("id").values_list("action", "text", "data"))
    assert events[-1] == ("correct", "统计局反馈修正", {"old": "56.0000", "new": "57"})
    assert [e[0] for e in events] == ["set", "set", "correct"]
    audit = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type=Ledger._meta.label).latest("id")
    assert audit.detail["correction"] == "统计局反馈修正"
    assert Ledger.objects.get(pk=ledger.pk).state == State.LOCKED


def test_an_unchanged_figure_writes_nothing(tree, people):
    _set(people, tree, "56")
    before = ValueEvent.objects.count(), AuditEntry.objects.count()
    _set(people, tree, "56.00")
    assert (ValueEvent.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("abc", "value_invalid"),
        ("-1", "value_negative"),
        ("1.23456", "value_precision"),
        ("1e30", "value_too_large"),
        ("NaN", "value_invalid"),
    ],
)
def test_bad_figures_write_nothing(tree, people, raw, code):
    with pytest.raises(IndicatorError) as caught:
        _set(people, tree, raw)
    assert caught.value.code == code
    assert not Ledger.objects.exists() and not Value.objects.exists()


def test_roles_scope_and_levels(tree, people):
    with pytest.raises(NotFound):  # another village
        _set(people, tree, node=tree.village_b, actor=people.village_a)
    with pytest.raises(PermissionDenied):
        _set(people, tree, node=tree.subdistrict, actor=people.window)
    with pytest.raises(DomainError) as caught:  # a grid keeps no ledger
        _set(people, tree, node=tree.grid_a1)
    assert caught.value.code == "node_level"
    assert _set(people, tree, node=tree.village_a, actor=people.village_a).ledger.node == tree.village_a
    village_ledger = Ledger.objects.get(node=tree.village_a)
    with pytest.raises(PermissionDenied):  # village staff do not review
        ledger_transition(actor=people.village_a, ledger=village_ledger, action=Action.REVIEW)
    with pytest.raises(NotFound):
        ledger_transition(actor=people.village_b, ledger=village_ledger, action=Action.REVIEW)
    assert Ledger.objects.get(pk=village_ledger.pk).state == State.DRAFT


def test_several_figures_at_once(tree, people):
    second = indicator("固定资产投资")
    ledger = values_set(
        actor=people.station,
        node=tree.subdistrict,
        month=MONTH,
        values={indicator(): Decimal(56), second: Decimal(38)},
    )
    assert sorted(ledger.values.values_list("value", flat=True)) == [Decimal(38), Decimal(56)]


def _row(code, month="2023-09", name=FIRST, value="56"):
    return [code, "", month, name, "亿元", value]


def test_import_writes_every_line(tree, people):
    count = indicators_import(
        actor=people.station,
        upload=workbook(
            [
                _row(tree.subdistrict.code, value=56),
                _row(tree.subdistrict.code, name="固定资产投资", value="38"),
                _row(tree.village_a.code, month="2023-08", value=3.5),
            ]
        ),
    )
    assert count == 3
    assert Value.objects.get(ledger__node=tree.subdistrict, indicator__name="固定资产投资").value == 38
    assert Ledger.objects.get(node=tree.village_a).month == datetime.date(2023, 8, 1)
    assert set(ValueEvent.objects.values_list("action", flat=True)) == {"import"}


def test_import_lists_every_bad_line_and_writes_nothing(tree, people):
    rows = [
        _row(tree.subdistrict.code),
        _row("999999999999"),
        _row(tree.subdistrict.code, month="2023-13"),
        _row(tree.subdistrict.code, name="不存在的指标"),
        _row(tree.subdistrict.code),
        _row(tree.subdistrict.code, name="固定资产投资", value="很多"),
        _row(tree.subdistrict.code, name="限上批发业销售额", value=""),
    ]
    with pytest.raises(IndicatorImportError) as caught:
        indicators_import(actor=people.station, upload=workbook(rows))
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == ["第 3 行", "第 4 行", "第 5 行", "第 6 行", "第 7 行", "第 8 行"]
    assert "与第 2 行重复" in errors[3]
    assert not Ledger.objects.exists()


def test_import_refuses_other_subtrees_and_closed_months(tree, people):
    with pytest.raises(IndicatorImportError) as caught:
        indicators_import(actor=people.village_a, upload=workbook([_row(tree.village_b.code)]))
    assert "不在您的辖区内" in caught.value.errors[0]
    ledger = _set(people, tree).ledger
    ledger_transition(actor=people.reviewer, ledger=ledger, action=Action.REVIEW)
    with pytest.raises(IndicatorImportError) as caught:
        indicators_import(actor=people.station, upload=workbook([_row(tree.subdistrict.code, value="60")]))
    assert "已审核" in caught.value.errors[0]
    assert Value.objects.get().value == 56


@pytest.mark.parametrize(
    "upload",
    [
        workbook([], headers=["甲", "乙"]),
        workbook([]),
    ],
)
def test_import_rejects_bad_files(tree, people, upload):
    with pytest.raises(IndicatorError) as caught:
        indicators_import(actor=people.station, upload=upload)
    assert caught.value.code in {"header_invalid", "file_empty"}


def test_import_rejects_a_file_that_is_not_excel(tree, people):
    with pytest.raises(IndicatorError) as caught:
        indicators_import(actor=people.station, upload=SimpleUploadedFile("a.xlsx", b"not a workbook"))
    assert caught.value.code == "file_invalid"
    with pytest.raises(PermissionDenied):
        indicators_import(actor=people.window, upload=workbook([]))


def test_ledger_latest_month(tree):
    from ..selectors import ledger_latest_month
    from .support import ledger_at

    assert ledger_latest_month(node=tree.subdistrict) is None
    ledger_at(tree.subdistrict, datetime.date(2023, 8, 1))
    ledger_at(tree.subdistrict, datetime.date(2023, 9, 1))
    ledger_at(tree.village_a, datetime.date(2023, 10, 1))
    assert ledger_latest_month(node=tree.subdistrict) == datetime.date(2023, 9, 1)
