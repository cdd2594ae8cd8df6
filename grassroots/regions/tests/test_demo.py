from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command

from grassroots.core.errors import DomainError
from grassroots.core.validators import is_valid_id_number
from grassroots.regions.demo import demo_reset, generate_demo
from grassroots.regions.importer import hutian_load
from grassroots.regions.models import Household, Level, Node, Representative, Resident
from grassroots.testing.factories import UserFactory

REFERENCE = datetime.date(2026, 11, 29)
SOME_VILLAGES = ["370303003001", "370303003206", "370303003400"]


def _age(birth: datetime.date, on: datetime.date = REFERENCE) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _people() -> list[tuple[str, str, datetime.date, str, str]]:
    return [(r.name, r.gender, r.birth_date, r.id_number, r.phone) for r in Resident.objects.order_by("id")[:20]]


@pytest.fixture
def hutian(db):
    hutian_load()
    return Node.objects.get(code="370303003000")


@pytest.fixture
def demo(hutian):
    return generate_demo(reference_date=REFERENCE)


def test_same_seed_same_people(hutian):
    first = generate_demo(reference_date=REFERENCE, village_codes=SOME_VILLAGES)
    people = _people()
    demo_reset(subdistrict=hutian)
    assert Resident.objects.count() == 0

    second = generate_demo(reference_date=REFERENCE, village_codes=SOME_VILLAGES)

    assert len(people) == 20
    assert _people() == people
    assert second.first_id_numbers == first.first_id_numbers == [p[3] for p in people]
    assert (second.residents, second.households, second.units) == (first.residents, first.households, first.units)


def test_another_seed_other_people(hutian):
    generate_demo(reference_date=REFERENCE, village_codes=SOME_VILLAGES)
    people = _people()
    demo_reset(subdistrict=hutian)

    generate_demo(seed=7, reference_date=REFERENCE, village_codes=SOME_VILLAGES)

    assert _people() != people


def test_report_matches_database(demo, hutian):
    assert demo.created
    assert demo.villages == 23
    assert demo.grids == Node.objects.filter(level=Level.GRID).count()
    assert demo.buildings == Node.objects.filter(level=Level.BUILDING).count()
    assert demo.units == Node.objects.filter(level=Level.UNIT).count()
    assert demo.households == Household.objects.count()
    assert demo.residents == Resident.objects.count()
    assert demo.representatives == Representative.objects.count()
    assert 2 * 23 <= demo.grids <= 4 * 23
    assert 3 * demo.units <= demo.households <= 6 * demo.units
    assert demo.households <= demo.residents <= 4 * demo.households


def test_id_numbers_valid_unique_and_match_person(demo):
    residents = list(Resident.objects.all())
    numbers = [r.id_number for r in residents]

    assert len(set(numbers)) == len(numbers) == demo.residents
    assert len({r.id_number_index for r in residents}) == len(residents)
    for r in residents:
        assert is_valid_id_number(r.id_number), r.id_number
        assert r.id_number.startswith("370303")
        assert r.id_number[6:14] == r.birth_date.strftime("%Y%m%d")
        assert (int(r.id_number[16]) % 2 == 1) == (r.gender == Resident.Gender.MALE)


def test_phones_and_names_plausible(demo):
    residents = list(Resident.objects.all())
    phones = [r.phone for r in residents if r.phone]

    assert len(phones) > 0.7 * len(residents)
    assert all(len(p) == 11 and p.isdigit() and p[0] == "1" and p[1] in "3456789" for p in phones)
    assert all(2 <= len(r.name) <= 3 for r in residents)
    heads = Counter(r.household_id for r in residents if r.is_household_head)
    assert set(heads.values()) == {1}
    assert len(heads) == demo.households


def test_age_distribution_has_a_realistic_share_of_elderly(demo):
    ages = [_age(b) for b in Resident.objects.values_list("birth_date", flat=True)]
    elderly = sum(1 for a in ages if a >= 70)

    assert elderly == demo.aged_70_plus
    assert 0.10 <= elderly / len(ages) <= 0.17
    assert min(ages) >= 0
    assert max(ages) <= 99
    assert any(a < 18 for a in ages)
    heads = Resident.objects.filter(is_household_head=True).values_list("birth_date", flat=True)
    assert all(_age(b) >= 25 for b in heads)


def test_representatives(demo, hutian):
    villages = Node.objects.filter(level=Level.VILLAGE)
    for village in villages:
        terms = Representative.objects.filter(village=village).select_related("resident")
        assert 5 <= terms.count() <= 9, village.name
        for term in terms:
            assert term.path == village.path
            assert term.resident.path.startswith(village.path)
            assert _age(term.resident.birth_date) >= 18
            assert term.since == datetime.date(2024, 1, 1)
            assert term.until is None


def test_tree_shape_and_paths(demo, hutian):
    assert Node.objects.find_problems() == ([], [], [], [], [])
    assert set(Node.objects.values_list("depth", "level").distinct()) == {(i, i) for i in range(1, 6)}
    level_of = dict(Node.objects.values_list("path", "level"))
    for path, level in level_of.items():
        if level > Level.SUBDISTRICT:
            assert level_of[path[: -Node.steplen]] == level - 1
    units = dict(Node.objects.filter(level=Level.UNIT).values_list("pk", "path"))
    for household in Household.objects.all():
        assert household.path == units[household.unit_id]
    for resident in Resident.objects.select_related("household"):
        assert resident.path == resident.household.path
        assert resident.path.startswith(hutian.path)
    address = Household.objects.filter(path__startswith=Node.objects.get(code="370303003206").path).first()
    assert address is not None
    assert address.address.startswith("湖田街道西张村")
    assert address.address.endswith("室")


def test_blind_index_lookup_works_after_bulk_create(demo):
    resident = Resident.objects.order_by("id")[5]
    index = Resident._meta.get_field("id_number_index").index_of(resident.id_number)

    assert Resident.objects.get(id_number_index=index) == resident


def test_second_run_does_nothing(demo):
    before = (Node.objects.count(), Resident.objects.count(), Representative.objects.count())

    again = generate_demo(reference_date=REFERENCE)

    assert not again.created
    assert "已有网格" in again.message
    assert (Node.objects.count(), Resident.objects.count(), Representative.objects.count()) == before


def test_reset_regenerates_the_same_data(demo):
    people = _people()

    again = generate_demo(reference_date=REFERENCE, reset=True)

    assert again.created
    assert again.residents == demo.residents == Resident.objects.count()
    assert _people() == people
    assert Node.objects.find_problems() == ([], [], [], [], [])


def test_reset_refused_while_a_user_works_in_a_grid(demo):
    grid = Node.objects.filter(level=Level.GRID).first()
    UserFactory(jurisdiction=grid)
    before = (Node.objects.count(), Resident.objects.count(), Household.objects.count())

    with pytest.raises(DomainError) as excinfo:
        generate_demo(reference_date=REFERENCE, reset=True)

    assert excinfo.value.code == "demo_in_use"
    assert (Node.objects.count(), Resident.objects.count(), Household.objects.count()) == before


def test_unknown_subdistrict(db):
    with pytest.raises(DomainError) as excinfo:
        generate_demo(subdistrict_code="370303999000")

    assert "load_hutian" in excinfo.value.message
    assert Node.objects.count() == 0


def test_does_not_reuse_existing_id_numbers(hutian):
    generate_demo(reference_date=REFERENCE, village_codes=SOME_VILLAGES[:1])
    existing = set(Resident.objects.values_list("id_number_index", flat=True))
    # A second subdistrict with the same seed draws the same numbers first;
    # the generator must skip those already taken.
    other = Node.objects.add_root(instance=Node(name="另一街道", level=Level.SUBDISTRICT, code="370303009000"))
    Node.objects.add_child(
        other, instance=Node(name="甲社区居委会", level=Level.VILLAGE, code="370303009001", kind="community")
    )

    report = generate_demo(reference_date=REFERENCE, subdistrict_code="370303009000")

    new = set(Resident.objects.filter(path__startswith=other.path).values_list("id_number_index", flat=True))
    assert len(new) == report.residents > 0
    assert not (new & existing)


def test_command_prints_counts_in_chinese(hutian):
    out = io.StringIO()

    call_command("generate_demo", "--reference-date", "2026-11-29", stdout=out)
    call_command("generate_demo", stdout=out)

    text = out.getvalue()
    assert "已生成演示数据:23 个村/社区" in text
    assert f"{Resident.objects.count()} 名居民" in text
    assert "未重复生成" in text
