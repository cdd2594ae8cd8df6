"""A masked ID number stays masked: nothing on the same page, API answer or
export completes it (ADR 0017).

The mask of an ID number hides the characters that matter; what a page shows
beside it must not give them back. The old mask ``370303********0115`` hid
exactly the eight birth-date digits while the resident pages, the residents
API and the Excel export showed 出生日期 next to it, so any grid worker could
rebuild the full numbers of a whole grid.

The test enumerates every place that masks an ID number: it reads the source
tree for calls of `mask_id_number` / the `mask_id` filter and fails when one is
not covered below (a new page that masks IDs must be added here). Each place
is fetched as the staff who use it, and every masked ID in the answer is
checked against every ID number in the world:
- the full number and the birth date in any usual written form are absent;
- the mask shows none of the birth-date characters;
- the number of valid ID numbers that agree with what is shown, for an
  attacker who knows the division and the birth year (±1, from the age the
  page shows), is at least `MIN_CANDIDATES`."""

from __future__ import annotations

import datetime
import functools
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.core.validators import id_number_check_char
from grassroots.livelihood.models import FlagKind
from grassroots.livelihood.tests.support import flagged
from grassroots.mediation.states import State as CaseState
from grassroots.mediation.tests.conftest import RESPONDENT_ID, build_centre
from grassroots.party.tests.support import branch_at, member_of
from grassroots.registration.tests import support_applications as reg
from grassroots.relocation.tests.support import ID_NUMBER as HEAD_ID
from grassroots.relocation.tests.support import project_at, unit_at
from grassroots.testing.factories import UserFactory, make_id_number

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]  # grassroots/
MIN_CANDIDATES = 1000
APPLICANT_BIRTH = datetime.date(1968, 7, 23)
APPLICANT_ID = make_id_number("370303", APPLICANT_BIRTH, 45)

# Source files that mask ID numbers → the places (keys of `fetches`) that show their output.
COVERED: dict[str, list[str]] = {
    "regions/presentation.py": [
        "resident-list",
        "resident-rows",
        "resident-detail",
        "resident-export",
        "api-resident-list",
        "api-resident-detail",
    ],
    "templates/mediation/_panel.html": ["case-page"],
    "mediation/api/serializers.py": ["api-case"],
    "mediation/personal_data.py": ["agreement-pdf-masked"],
    "templates/registration/applications/_panel.html": ["application-page"],
    "registration/api/applications_serializers.py": ["api-application"],
    "livelihood/api/serializers.py": ["api-care-list"],
    "party/views/organisation.py": ["party-member-page"],
    "relocation/services/personal_data.py": ["relocation-unit-page"],
}
# Files that define masking itself.
MASKING_ITSELF = {"core/masking.py", "core/templatetags/masking.py"}
MASK_CALL = re.compile(r"mask_id_number\(|\|\s*mask_id\b")


def masking_sources() -> set[str]:
    found = set()
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or "tests" in path.parts or "migrations" in path.parts:
            continue
        if MASK_CALL.search(path.read_text(encoding="utf-8")):
            found.add(path.relative_to(ROOT).as_posix())
    return found - MASKING_ITSELF


def test_every_place_that_masks_an_id_is_checked():
    sources = masking_sources()
    missing = sorted(sources - set(COVERED))
    assert not missing, "这些文件对身份证号脱敏,但不在 COVERED 中,请加入检查:" + "、".join(missing)
    stale = sorted(set(COVERED) - sources)
    assert not stale, "COVERED 中的这些文件已不再脱敏身份证号:" + "、".join(stale)


# --- What an attacker can rebuild ------------------------------------------------------------


def _dates(years: range) -> list[datetime.date]:
    day = datetime.date(years.start, 1, 1)
    end = datetime.date(years.stop, 1, 1)
    out = []
    while day < end:
        out.append(day)
        day += datetime.timedelta(days=1)
    return out


@functools.cache
def candidates(masked: str, *, division: str, birth_year: int) -> int:
    """Valid 18-character ID numbers in `division`, born within a year of
    `birth_year`, that show as `masked`."""
    visible = {i: c for i, c in enumerate(masked) if c != "*"}
    if len(masked) != 18 or any(division[i] != c for i, c in visible.items() if i < 6):
        return 0
    sequences = [f"{n:03d}" for n in range(1000) if all(visible.get(14 + k, s) == s for k, s in enumerate(f"{n:03d}"))]
    count = 0
    for day in _dates(range(birth_year - 1, birth_year + 2)):
        digits = f"{day:%Y%m%d}"
        if any(visible.get(6 + k, d) != d for k, d in enumerate(digits)):
            continue
        for sequence in sequences:
            body = division + digits + sequence
            if 17 not in visible or id_number_check_char(body) == visible[17]:
                count += 1
    return count


def birth_date_forms(day: datetime.date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    return [
        f"{y}{m:02d}{d:02d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}-{m}-{d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}.{m:02d}.{d:02d}",
        f"{y}年{m}月{d}日",
        f"{y}年{m:02d}月{d:02d}日",
        f"{y}年{m}月",
        f"{y}-{m:02d}",
        f"{y}{m:02d}",
    ]


MASK_RE = re.compile(r"[0-9Xx*]*\*{4,}[0-9Xx*]*")


def _shows(masked: str, id_number: str) -> bool:
    return len(masked) == len(id_number) and all(c in ("*", id_number[i]) for i, c in enumerate(masked))


def completions(text: str, ids: dict[str, datetime.date]) -> tuple[int, list[str]]:
    """(masks of known IDs found, problems)."""
    problems = []
    found = 0
    for id_number, birth in ids.items():
        if id_number in text:
            problems.append(f"完整身份证号 {id_number}")
        masks = [m for m in MASK_RE.findall(text) if _shows(m, id_number)]
        if not masks:
            continue
        found += len(masks)
        for form in birth_date_forms(birth):
            if form in text:
                problems.append(f"{id_number[:3]}… 的出生日期“{form}”与脱敏身份证号同在")
        for masked in masks:
            shown_birth = [i for i in range(6, 14) if masked[i] != "*"]
            if shown_birth:
                problems.append(f"脱敏值 {masked} 露出出生日期的第 {shown_birth} 位")
            n = candidates(masked, division=id_number[:6], birth_year=birth.year)
            if n < MIN_CANDIDATES:
                problems.append(f"脱敏值 {masked} 只对应 {n} 个可能的号码(应不少于 {MIN_CANDIDATES})")
    return found, problems


def test_the_old_mask_with_the_birth_date_beside_it_is_caught():
    """The check itself: the mask and page of the issue fail it."""
    resident_id = make_id_number("370303", datetime.date(1950, 3, 1), 11)
    old_mask = resident_id[:6] + "*" * 8 + resident_id[-4:]
    found, problems = completions(f"张三 1950-03-01 {old_mask}", {resident_id: datetime.date(1950, 3, 1)})
    assert found == 1 and problems
    assert candidates(old_mask, division="370303", birth_year=1950) < 200  # even without the date beside it


# --- The places ---------------------------------------------------------------------------


@dataclass
class Place:
    user: Any
    url: str
    htmx: bool = False


def response_text(response: Any) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    content_type = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        pdftotext = shutil.which("pdftotext")
        assert pdftotext, "需要 pdftotext(poppler-utils)"
        out = subprocess.run([pdftotext, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
        return out.stdout.decode()
    if "spreadsheetml" in content_type:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        return "\n".join(
            " ".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True)
        )
    return content.decode()


def fetches(tree: Any) -> dict[str, Place]:
    grid_worker = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    village = UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    centre = build_centre(tree)
    case = centre.case(CaseState.AGREED)  # parties: 张三 (resident a1) and 王五 (RESPONDENT_ID)
    outsider_mediator = UserFactory(role=Role.MEDIATOR, jurisdiction=tree.subdistrict)
    window = reg.staff()
    application = reg.draft(window, applicant_id_number=APPLICANT_ID)
    resident = tree.resident_a1
    flagged(resident, FlagKind.DISABLED)  # on the grid's 残疾人 list
    member = member_of(branch_at(tree.village_a), resident=resident)
    unit = unit_at(project_at(tree.village_a), tree.village_a)  # household head HEAD_ID
    return {
        "resident-list": Place(grid_worker, "/regions/residents/"),
        "resident-rows": Place(grid_worker, "/regions/residents/?page=1", htmx=True),
        "resident-detail": Place(grid_worker, f"/regions/residents/{resident.pk}/"),
        "resident-export": Place(village, "/regions/residents/export/"),
        "api-resident-list": Place(grid_worker, "/api/v1/residents"),
        "api-resident-detail": Place(grid_worker, f"/api/v1/residents/{resident.pk}"),
        "case-page": Place(centre.mediator, f"/mediation/cases/{case.pk}/"),
        "api-case": Place(centre.mediator, f"/api/v1/mediation/cases/{case.pk}"),
        "agreement-pdf-masked": Place(outsider_mediator, f"/mediation/cases/{case.pk}/agreement.pdf"),
        "application-page": Place(window, f"/registration/applications/{application.pk}/"),
        "api-application": Place(window, f"/api/v1/registration/applications/{application.pk}"),
        "api-care-list": Place(
            grid_worker, reverse("api:livelihood-grid-care-list", args=[tree.grid_a1.pk]) + "?kind=disabled"
        ),
        "party-member-page": Place(village, reverse("party:member", args=[member.pk])),
        "relocation-unit-page": Place(village, reverse("relocation:unit", args=[unit.pk])),
    }


def test_no_place_completes_a_masked_id(tree):
    places = fetches(tree)
    assert {key for keys in COVERED.values() for key in keys} == set(places)
    ids = {
        tree.resident_a1.id_number: tree.resident_a1.birth_date,
        tree.resident_b1.id_number: tree.resident_b1.birth_date,
        RESPONDENT_ID: datetime.date(1980, 5, 6),
        APPLICANT_ID: APPLICANT_BIRTH,
        HEAD_ID: datetime.date(1949, 12, 31),
    }
    problems = []
    for key, place in places.items():
        client = Client()
        client.force_login(place.user)
        headers = {"HX-Request": "true"} if place.htmx else {}
        response = client.get(place.url, headers=headers)
        if response.status_code != 200:
            problems.append(f"{key} {place.url}: 状态 {response.status_code}")
            continue
        found, issues = completions(response_text(response), ids)
        if not found:
            problems.append(f"{key} {place.url}: 没有读到脱敏身份证号,检查无效")
        problems += [f"{key} {place.url}: {issue}" for issue in issues]
    assert not problems, "\n".join(problems)
