from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from grassroots.regions.importer import HUTIAN_CSV, divisions_import, infer_kind, short_name_for
from grassroots.regions.models import Level, Node, VillageKind

SHARED_DIVISIONS = Path(settings.BASE_DIR).parent / "shared" / "data" / "divisions"
ZIBO_CSV = SHARED_DIVISIONS / "zibo_3703_villages_2023.csv"

HEADER = "code,name,level,parent_code\n"


def _csv_bytes(text: str, *, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def _tree_snapshot() -> list[tuple[str, str, str, str, int, str]]:
    return list(Node.objects.order_by("path").values_list("path", "code", "name", "short_name", "numchild", "kind"))


def _assert_tree_clean() -> None:
    assert Node.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
class TestHutian:
    def test_one_subdistrict_and_23_villages(self):
        report = divisions_import(source=HUTIAN_CSV)

        assert report.errors == []
        assert (report.created, report.updated, report.unchanged, report.skipped) == (24, 0, 0, 3)
        subdistrict = Node.objects.get(level=Level.SUBDISTRICT)
        assert (subdistrict.code, subdistrict.name, subdistrict.depth) == ("370303003000", "湖田街道", 1)
        villages = Node.objects.filter(level=Level.VILLAGE)
        assert villages.count() == 23
        assert all(v.path.startswith(subdistrict.path) and v.depth == 2 for v in villages)
        assert Counter(villages.values_list("kind", flat=True)) == {
            VillageKind.COMMUNITY: 14,
            VillageKind.VILLAGE: 7,
            VillageKind.UNIT_COMMUNITY: 2,
        }
        assert set(villages.filter(kind=VillageKind.UNIT_COMMUNITY).values_list("name", flat=True)) == {
            "华光集团社区居委会",
            "鲁中监狱社区居委会",
        }
        assert Node.objects.get(code="370303003206").short_name == "西张村"
        assert Node.objects.get(code="370303003015").short_name == "店子社区"
        assert Node.objects.count() == 24
        _assert_tree_clean()

    def test_second_import_changes_nothing(self):
        divisions_import(source=HUTIAN_CSV)
        before = _tree_snapshot()

        report = divisions_import(source=HUTIAN_CSV)

        assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 24, 3)
        assert _tree_snapshot() == before

    def test_load_hutian_command_is_idempotent(self):
        out = io.StringIO()
        call_command("load_hutian", stdout=out)
        call_command("load_hutian", stdout=out)

        assert Node.objects.count() == 24
        lines = out.getvalue().splitlines()
        assert lines[0].startswith("新建 24 个")
        assert lines[1].startswith("新建 0 个,更新 0 个,未变 24 个")

    def test_command_dry_run(self):
        out = io.StringIO()

        call_command("import_divisions", str(HUTIAN_CSV), "--dry-run", stdout=out)

        assert out.getvalue().startswith("(试运行,未写入)新建 24 个")
        assert Node.objects.count() == 0

    def test_changed_name_updates_in_place(self):
        divisions_import(source=HUTIAN_CSV)
        village = Node.objects.get(code="370303003206")
        text = HUTIAN_CSV.read_text(encoding="utf-8").replace(
            "西张村委会,5,370303003000,village", "西张社区居委会,5,370303003000,"
        )

        report = divisions_import(source=_csv_bytes(text))

        assert (report.created, report.updated, report.unchanged) == (0, 1, 23)
        village.refresh_from_db()
        assert (village.name, village.short_name, village.kind) == ("西张社区居委会", "西张社区", VillageKind.COMMUNITY)
        assert village.path == Node.objects.get(code="370303003206").path
        _assert_tree_clean()

    def test_dry_run_writes_nothing(self):
        report = divisions_import(source=HUTIAN_CSV, dry_run=True)

        assert (report.created, report.skipped) == (24, 3)
        assert Node.objects.count() == 0


@pytest.mark.django_db
class TestValidation:
    BAD = (
        HEADER.strip() + ",kind\n"
        "370303003000,湖田街道,4,370303000000,\n"  # 2: fine
        "37030300300,短代码,5,370303003000,\n"  # 3: 11 digits
        "370303003101,层级错,6,370303003000,\n"  # 4: level 6
        "370303003102,,5,370303003000,\n"  # 5: empty name
        "370304003103,前缀错,5,370303003000,\n"  # 6: not under its parent's 9 digits
        "370303003001,重复甲社区居委会,5,370303003000,\n"  # 7: fine
        "370303003001,重复乙社区居委会,5,370303003000,\n"  # 8: duplicate of line 7
        "370303003104,类型错社区居委会,5,370303003000,小区\n"  # 9: bad kind
        "370303004105,无街道村委会,5,370303004000,\n"  # 10: parent nowhere, no street_name
        "370303003106,上级缺失村委会,5,abc,\n"  # 11: parent code not 12 digits
    )

    def test_all_bad_lines_reported_and_nothing_written(self):
        divisions_import(source=HUTIAN_CSV)
        before = _tree_snapshot()

        report = divisions_import(source=_csv_bytes(self.BAD))

        assert not report.ok
        lines = [int(e.split(" ")[1]) for e in report.errors]
        assert lines == [3, 4, 5, 6, 8, 9, 10, 11]
        assert report.errors[0] == '第 3 行:代码应为 12 位数字(实际为 "37030300300")'
        assert "与第 7 行重复" in report.errors[4]
        assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 0, 0)
        assert _tree_snapshot() == before

    def test_command_fails_with_line_numbers(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes(_csv_bytes(self.BAD))

        with pytest.raises(CommandError) as excinfo:
            call_command("import_divisions", str(path))

        message = str(excinfo.value)
        assert "共 8 处错误" in message
        for line in (3, 4, 5, 6, 8, 9, 10, 11):
            assert f"第 {line} 行" in message
        assert Node.objects.count() == 0

    def test_command_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="找不到文件"):
            call_command("import_divisions", str(tmp_path / "nope.csv"))

    def test_existing_village_under_another_township_is_an_error(self):
        divisions_import(source=HUTIAN_CSV)
        before = _tree_snapshot()
        # Passes the code-prefix rule, but 西张村 already hangs under 370303003000.
        text = HEADER + "370303003100,湖田新区,4,370303000000\n370303003206,西张村委会,5,370303003100\n"

        report = divisions_import(source=_csv_bytes(text))

        assert len(report.errors) == 1
        assert report.errors[0].startswith("第 3 行:")
        assert "所属街道与已有数据不一致" in report.errors[0]
        assert _tree_snapshot() == before

    def test_level_conflict_with_existing_node(self):
        divisions_import(source=HUTIAN_CSV)
        text = HEADER + "370303003206,西张街道,4,370303000000\n"

        report = divisions_import(source=_csv_bytes(text))

        assert report.errors
        assert "第 2 行" in report.errors[0]
        assert Node.objects.get(code="370303003206").level == Level.VILLAGE

    def test_missing_columns(self):
        report = divisions_import(source=_csv_bytes("code,name\n370303003000,湖田街道\n"))

        assert report.errors == [
            "第 1 行:表头缺少列 level, parent_code(应为 code,name,level,parent_code[,street_name][,kind])"
        ]

    def test_not_utf8(self):
        report = divisions_import(source=(HEADER + "370303003000,湖田街道,4,370303000000\n").encode("gb18030"))

        assert report.errors
        assert "UTF-8" in report.errors[0]
        assert Node.objects.count() == 0

    def test_kind_only_on_villages(self):
        text = "code,name,level,parent_code,kind\n370303003000,湖田街道,4,370303000000,village\n"

        report = divisions_import(source=_csv_bytes(text))

        assert report.errors == ["第 2 行:只有村/社区(第 5 级)可以填写类型"]


@pytest.mark.django_db
class TestFormats:
    def test_bom_and_crlf(self):
        text = (HEADER + "370303003000,湖田街道,4,370303000000\n370303003206,西张村委会,5,370303003000\n").replace(
            "\n", "\r\n"
        )

        report = divisions_import(source=_csv_bytes(text, bom=True))

        assert report.errors == []
        assert report.created == 2
        assert Node.objects.get(code="370303003206").short_name == "西张村"

    def test_xlsx(self, tmp_path):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["code", "name", "level", "parent_code", "street_name", "kind"])
        # Spreadsheets often hold codes as numbers.
        sheet.append([370303003206, "西张村委会", 5, 370303003000, "湖田街道", None])
        sheet.append(["370303003400", "华光社区居委会", "5", "370303003000", "湖田街道", "单位社区"])
        sheet.append([None, None, None, None, None, None])  # a blank row is ignored
        sheet.append(["370303003015", "店子社区居委会", 5, "370303003000", "湖田街道", "community"])
        path = tmp_path / "divisions.xlsx"
        workbook.save(path)

        report = divisions_import(source=path)

        assert report.errors == []
        assert report.created == 4  # the township from street_name, and three villages
        subdistrict = Node.objects.get(code="370303003000")
        assert (subdistrict.name, subdistrict.level) == ("湖田街道", Level.SUBDISTRICT)
        assert Node.objects.get(code="370303003400").kind == VillageKind.UNIT_COMMUNITY
        assert Node.objects.get(code="370303003206").kind == VillageKind.VILLAGE
        assert subdistrict.numchild == 3
        _assert_tree_clean()

    def test_xlsx_errors_have_line_numbers(self, tmp_path):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["code", "name", "level", "parent_code"])
        sheet.append(["370303003000", "湖田街道", 4, "370303000000"])
        sheet.append(["123", "坏代码", 5, "370303003000"])
        path = tmp_path / "bad.xlsx"
        workbook.save(path)

        report = divisions_import(source=path)

        assert report.errors == ['第 3 行:代码应为 12 位数字(实际为 "123")']
        assert Node.objects.count() == 0

    def test_township_from_street_name_then_appended_villages(self):
        divisions_import(source=HUTIAN_CSV)
        text = (
            "code,name,level,parent_code,street_name\n"
            "370303003900,新社区居委会,5,370303003000,湖田街道\n"
            "370303001001,车站社区居委会,5,370303001000,车站街道\n"
        )

        report = divisions_import(source=_csv_bytes(text))

        assert report.errors == []
        assert report.created == 3
        hutian = Node.objects.get(code="370303003000")
        new = Node.objects.get(code="370303003900")
        assert new.path.startswith(hutian.path)
        assert new.path > Node.objects.get(code="370303003401").path
        assert hutian.numchild == 24
        station = Node.objects.get(code="370303001000")
        assert (station.name, station.level, station.depth) == ("车站街道", Level.SUBDISTRICT, 1)
        _assert_tree_clean()


@pytest.mark.django_db
def test_zibo_city_file():
    with ZIBO_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    townships = {row["parent_code"]: row["street_name"] for row in rows}
    expected_villages = sum(1 for row in rows if row["level"] == "5")

    report = divisions_import(source=ZIBO_CSV)

    assert report.errors == []
    assert len(townships) == 88
    assert report.created == len(townships) + expected_villages
    assert Node.objects.filter(level=Level.SUBDISTRICT).count() == len(townships)
    assert Node.objects.filter(level=Level.VILLAGE).count() == expected_villages == 2931
    roots = dict(Node.objects.filter(depth=1).values_list("path", "code"))
    parents = {code: roots[path[:4]] for code, path in Node.objects.filter(depth=2).values_list("code", "path")}
    assert all(parents[row["code"]] == row["parent_code"] for row in rows)
    assert dict(Node.objects.filter(level=Level.SUBDISTRICT).values_list("code", "name")) == townships
    villages_by_name = sum(1 for row in rows if row["name"].endswith(("村委会", "村民委员会")))
    assert Node.objects.filter(kind=VillageKind.VILLAGE).count() == villages_by_name
    _assert_tree_clean()

    again = divisions_import(source=ZIBO_CSV)

    assert (again.created, again.updated, again.unchanged) == (0, 0, expected_villages)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("西张村委会", "西张村"),
        ("店子社区居委会", "店子社区"),
        ("三里村民委员会", "三里村"),
        ("北关村村民委员会", "北关村"),
        ("锦悦社区居民委员会", "锦悦社区"),
        ("洪五社区居民居委会", "洪五社区"),
        ("光正社区", "光正社区"),
    ],
)
def test_short_name(name, short):
    assert short_name_for(name) == short


def test_township_keeps_its_name():
    assert short_name_for("湖田街道", Level.SUBDISTRICT) == "湖田街道"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("西张村委会", VillageKind.VILLAGE),
        ("三里村民委员会", VillageKind.VILLAGE),
        ("店子社区居委会", VillageKind.COMMUNITY),
        ("华光集团社区居委会", VillageKind.UNIT_COMMUNITY),
        ("鲁中监狱社区居委会", VillageKind.UNIT_COMMUNITY),
        ("辛店发电厂社区居委会", VillageKind.UNIT_COMMUNITY),
    ],
)
def test_infer_kind(name, kind):
    assert infer_kind(name) == kind
