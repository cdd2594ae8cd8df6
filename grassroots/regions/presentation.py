"""How a resident is shown to staff: the one place that decides it, used by
the pages, the API and the Excel export alike (ADR 0017).

Every staff role sees the same masked record: name, gender, age (never the
birth date), the masked ID number and phone, the address. The full ID number
and phone come only from the audited reveal (`personal_data.resident_reveal`),
which belongs to the security administrator (ADR 0009)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.core.masking import age_on, mask_id_number, mask_phone

from .models import Resident


@dataclass(frozen=True)
class MaskedResident:
    pk: int
    name: str
    gender: str
    gender_display: str
    age: int | None
    id_number: str  # masked
    phone: str  # masked
    address: str
    unit_id: int
    is_household_head: bool

    # The API serializer and the templates name the primary key `id`.
    @property
    def id(self) -> int:
        return self.pk


def resident_masked(resident: Resident, *, today: datetime.date | None = None) -> MaskedResident:
    """`resident` as staff see it; `household` should be loaded with it."""
    household = resident.household
    return MaskedResident(
        pk=resident.pk,
        name=resident.name,
        gender=resident.gender,
        gender_display=str(resident.get_gender_display()),
        age=age_on(resident.birth_date, today or timezone.localdate()),
        id_number=mask_id_number(resident.id_number),
        phone=mask_phone(resident.phone),
        address=household.address,
        unit_id=household.unit_id,
        is_household_head=resident.is_household_head,
    )


def residents_masked(residents: Iterable[Resident]) -> list[MaskedResident]:
    today = timezone.localdate()
    return [resident_masked(r, today=today) for r in residents]


# The Excel export: (heading, attribute) in column order.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("姓名", "name"),
    ("性别", "gender_display"),
    ("年龄", "age"),
    ("身份证号(脱敏)", "id_number"),
    ("手机号(脱敏)", "phone"),
    ("住址", "address"),
)


def export_row(resident: MaskedResident) -> tuple[Any, ...]:
    return tuple(getattr(resident, attribute) for _heading, attribute in EXPORT_COLUMNS)
