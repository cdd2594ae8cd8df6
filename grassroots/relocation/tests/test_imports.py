"""Bulk entry from Excel: units and daily stage updates, all or nothing,
errors by line number."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from grassroots.core.errors import DomainError, PermissionDenied

from ..errors import ImportRejected
from ..models import Unit, UnitEvent
from ..services.imports import STAGE_HEADERS, UNIT_HEADERS, stages_import, units_import
from ..states import State
from .support import unit_at

pytestmark = pytest.mark.django_db


def xlsx(headers: list[str], rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    sheet: Any = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def unit_line(number: str, village: str = "西张村委会", **changes: object) -> list[object]:
    values = {
        "batch": 1,
        "number": number,
        "village": village,
        "location": "站北路",
        "kind": "住宅",
        "area": 98.5,
        "head": "李四",
        "phone": "13900001111",
        "id": "",
        "worker": "rel_worker_a",
    }
    values.update(changes)
    return list(values.values())


def test_units_import_writes_every_line(tree, project, people):
    count = units_import(
        actor=people.office, project=project, upload=xlsx(UNIT_HEADERS, [unit_line("X-1"), unit_line("X-2")])
    )
    assert count == 2
    unit = Unit.objects.get(number="X-1")
    assert unit.path == tree.village_a.path and unit.worker == people.worker_a and unit.floor_area == Decimal("98.50")
    assert unit.head_phone == "13900001111" and unit.head_phone_index
    assert UnitEvent.objects.filter(action="import").count() == 2


def test_units_import_lists_errors_by_line_and_writes_nothing(tree, project, people):
    rows = [
        unit_line("X-1"),
        unit_line("X-1"),
        unit_line("X-3", village="不存在村"),
        unit_line("X-4", area="abc"),
        unit_line("X-5", batch=9),
        unit_line("X-6", phone="123"),
        unit_line("X-7", worker="nobody"),
    ]
    with pytest.raises(ImportRejected) as caught:
        units_import(actor=people.office, project=project, upload=xlsx(UNIT_HEADERS, rows))
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == ["第 3 行", "第 4 行", "第 5 行", "第 6 行", "第 7 行", "第 8 行"]
    assert "重复" in errors[0]
    assert Unit.objects.count() == 0


def test_bad_files_are_refused(project, people):
    with pytest.raises(DomainError) as garbage:
        units_import(actor=people.office, project=project, upload=io.BytesIO(b"not excel"))
    assert garbage.value.code == "file_invalid"
    with pytest.raises(DomainError) as header:
        units_import(actor=people.office, project=project, upload=xlsx(["户号"], [["1"]]))
    assert header.value.code == "header_invalid"
    with pytest.raises(DomainError) as empty:
        units_import(actor=people.office, project=project, upload=xlsx(UNIT_HEADERS, []))
    assert empty.value.code == "file_empty"


def test_only_the_office_imports(project, people):
    with pytest.raises(PermissionDenied):
        units_import(actor=people.worker_a, project=project, upload=xlsx(UNIT_HEADERS, [unit_line("X-1")]))
    assert Unit.objects.count() == 0


def test_stage_updates_apply_in_order_or_not_at_all(tree, project, people):
    unit_at(project, tree.village_a, "S-1")
    unit_at(project, tree.village_a, "S-2")
    good = [["S-1", "信息确认", "", "", ""], ["S-1", "评估", "", "800000", "评估完成"], ["S-2", "信息确认", "", "", ""]]
    assert stages_import(actor=people.office, project=project, upload=xlsx(STAGE_HEADERS, good)) == 3
    assert Unit.objects.get(number="S-1").state == State.ASSESSED
    bad = [
        ["S-2", "评估", "", "1000", ""],
        ["S-1", "签约", "", "", ""],
        ["S-9", "签约", "", "1", ""],
        ["S-2", "飞升", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as caught:
        stages_import(actor=people.office, project=project, upload=xlsx(STAGE_HEADERS, bad))
    assert [e.split(":")[0] for e in caught.value.errors] == ["第 3 行", "第 4 行", "第 5 行"]
    # The valid first line was rolled back with the rest.
    assert Unit.objects.get(number="S-2").state == State.CONFIRMED
    assert Unit.objects.get(number="S-1").state == State.ASSESSED
