"""The seeded catalogue: idempotent, never overwriting, complete, and with a
statutory limit that never runs past the regulations' 60 calendar days."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from grassroots.core.workdays import WorkCalendar
from grassroots.registration.models import Authority, MaterialRequirement, Service, SlotTemplate, Window
from grassroots.registration.services import seed
from grassroots.registration.services.notice import validate_conditions

pytestmark = pytest.mark.django_db

CODES = ["social-group-establish", "pne-establish", "renewal", "change", "deregister"]


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Authority.objects.count(),
        Service.objects.count(),
        MaterialRequirement.objects.count(),
        Window.objects.count(),
        SlotTemplate.objects.count(),
    )


def test_seed_is_idempotent():
    seed.seed_catalogue()
    before = _counts()
    again = seed.seed_catalogue()
    assert _counts() == before
    assert again.services_created == []
    assert again.requirements_created == 0
    assert again.slots_created == 0
    assert not again.authority_created
    assert not again.window_created
    assert before[0] == 1
    assert sorted(Service.objects.values_list("code", flat=True)) == sorted(CODES)


def test_seed_recreates_after_unseed_and_counts_what_it_made():
    seed.seed_catalogue()
    seed.unseed_catalogue()
    assert _counts() == (0, 0, 0, 0, 0)
    result = seed.seed_catalogue()
    assert result.authority_created and result.window_created
    assert result.services_created == CODES
    assert result.slots_created == 13
    assert result.requirements_created == MaterialRequirement.objects.count() > 20


def test_seed_does_not_overwrite_an_administrators_edits():
    seed.seed_catalogue()
    service = Service.objects.get(code="pne-establish")
    service.statutory_days = 60
    service.save()
    authority = Authority.objects.get()
    authority.division_code = "370391"
    authority.save()
    seed.seed_catalogue()
    assert Service.objects.get(code="pne-establish").statutory_days == 60
    assert Authority.objects.get().division_code == "370391"


def test_authority_and_window():
    seed.seed_catalogue()
    authority = Authority.objects.get()
    assert authority.name == "淄博高新技术产业开发区行政审批服务局"
    assert authority.certificate_validity_years == 5
    assert authority.division_code == "370303"
    window = Window.objects.get(name="社会组织登记窗口")
    slots = list(window.slot_templates.order_by("start_time"))
    starts = [f"{s.start_time:%H:%M}" for s in slots]
    assert starts[0] == "09:00" and starts[-1] == "16:30"
    assert f"{slots[-1].end_time:%H:%M}" == "17:00"
    # Lunch break 12:00–13:30: the morning ends at 12:00, the afternoon starts at 13:30.
    assert "11:30" in starts and "13:30" in starts
    assert not any("12:00" <= s < "13:30" for s in starts)
    assert all(s.capacity == 2 for s in slots)
    assert len(slots) == 13


def test_services_have_basis_limits_and_flags():
    seed.seed_catalogue()
    services = {s.code: s for s in Service.objects.all()}
    sg, pne, renewal = services["social-group-establish"], services["pne-establish"], services["renewal"]
    assert "《社会团体登记管理条例》第十条、第十一条、第十二条" in sg.legal_basis
    assert "《民办非企业单位登记管理暂行条例》" in pne.legal_basis and "第九条" in pne.legal_basis
    assert (sg.kind, sg.org_type, pne.org_type) == ("establish", "social_group", "pne")
    assert sg.statutory_days == pne.statutory_days == seed.ESTABLISH_STATUTORY_WORKING_DAYS
    assert sg.promised_days == pne.promised_days == 1
    assert renewal.no_visit and renewal.online and renewal.promised_days == 3
    assert [r.code for r in renewal.requirements.all()] == ["old-certificate"]
    assert not services["change"].online and not services["deregister"].online
    assert "请到窗口办理" in services["change"].description
    for service in services.values():
        assert service.promised_days <= service.statutory_days
        assert service.requirements.exists()


def test_materials_follow_the_regulations_with_conditions():
    seed.seed_catalogue()
    pne = Service.objects.get(code="pne-establish")
    requirements = {r.code: r for r in pne.requirements.all()}
    # Art. 9: application, approval, premises, capital report, leaders, charter.
    for code in ("application", "supervisor-approval", "premises-title", "capital-report", "leaders", "charter"):
        assert code in requirements
    assert requirements["supervisor-approval"].conditions == {"needs_supervisor": True}
    capital = requirements["capital-report"]
    assert capital.commitment_replaceable
    assert capital.conditions == {"funds_proof": ["capital_report"]}
    assert requirements["funds-commitment"].conditions == {"funds_proof": ["commitment"]}
    assert requirements["bank-voucher"].conditions == {"funds_proof": ["bank_voucher"]}
    assert requirements["legal-representative"].conditions == {"pne_form": ["legal"]}
    assert [r.code for r in MaterialRequirement.objects.filter(commitment_replaceable=True)] == [
        "capital-report",
        "capital-report",
    ]
    for requirement in MaterialRequirement.objects.all():
        validate_conditions(requirement.conditions)  # raises on a typo


def test_statutory_working_days_stay_within_sixty_calendar_days():
    """36 working days after any day the State Council's schedules cover end
    within the regulations' 60 calendar days; 37 would not always."""
    calendar = WorkCalendar()
    first = datetime.date(2005, 1, 1)
    last = datetime.date(max(chinese_calendar.holidays).year, 12, 31)
    span = (last - first).days + 1
    workday = [calendar.is_workday(first + datetime.timedelta(days=i)) for i in range(span)]
    # The i-th working day's index, so "N working days after index k" is a lookup.
    work_index = [i for i, w in enumerate(workday) if w]
    worked_before = [0] * (span + 1)  # working days in [0, i)
    for i, w in enumerate(workday):
        worked_before[i + 1] = worked_before[i] + int(w)

    def calendar_span(start: int, days: int) -> int:
        return work_index[worked_before[start + 1] + days - 1] - start

    days = seed.ESTABLISH_STATUTORY_WORKING_DAYS
    starts = range(span - 120)  # leave room for the deadline inside the covered years
    worst = max(calendar_span(k, days) for k in starts)
    one_more_overruns = any(calendar_span(k, days + 1) > 60 for k in starts)
    # Cross-check the lookup against the calendar service (across the 2026 National Day holiday).
    k = (datetime.date(2026, 9, 28) - first).days
    assert calendar.add_working_days(datetime.date(2026, 9, 28), days) == first + datetime.timedelta(
        days=k + calendar_span(k, days)
    )
    assert worst <= 60
    assert one_more_overruns


def test_migration_functions_use_the_given_registry():
    from django.apps import apps

    seed.seed_catalogue()
    seed.migration_reverse(apps, None)
    assert Service.objects.count() == 0
    seed.migration_forward(apps, None)
    assert Service.objects.count() == 5


def test_funds_commitment_tells_about_the_bank_voucher_and_migration_0003_updates_old_rows():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("grassroots.registration.migrations.0003_funds_commitment_bank_voucher")
    seed.seed_catalogue()

    def descriptions() -> set[str]:
        return set(MaterialRequirement.objects.filter(code="funds-commitment").values_list("description", flat=True))

    rows = MaterialRequirement.objects.filter(code="funds-commitment")
    assert rows.count() == 2  # social group and private non-enterprise unit
    assert all("银行存款凭证" in row.description for row in rows)
    # A catalogue seeded before the change has the old text; the migration brings it along.
    rows.update(description=migration.OLD)
    migration.forward(apps, None)
    assert descriptions() == {migration.NEW}
    assert migration.NEW == seed.FUNDS_COMMITMENT_DESCRIPTION
    migration.backward(apps, None)
    assert descriptions() == {migration.OLD}
    # An administrator's own wording is kept.
    rows.filter(service__code="pne-establish").update(description="窗口自拟说明")
    migration.forward(apps, None)
    assert rows.get(service__code="pne-establish").description == "窗口自拟说明"
