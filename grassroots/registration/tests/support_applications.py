"""Helpers for the application tests: the seeded catalogue, window staff, a
pinned clock, tiny valid uploads, and shortcuts that reach each state through
the services (never by writing the state field)."""

from __future__ import annotations

import datetime
import struct
import zlib
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.accounts.roles import Role
from grassroots.registration.models import Application, MaterialStatus, Service
from grassroots.registration.selectors.applications import application_checklist, is_commitment_requirement
from grassroots.registration.services import applications as apps
from grassroots.registration.services import commitments
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday just before the 2026 National Day holiday (1–7 October; 10 October
# is a make-up working day): the decision clocks run across it.
MONDAY = datetime.datetime(2026, 9, 28, 9, 30, tzinfo=SHANGHAI)
PHONE = "13800138000"


class Clock:
    """Pins `django.utils.timezone.now` (and so `localdate`) for a test."""

    def __init__(self, monkeypatch: Any, start: datetime.datetime = MONDAY) -> None:
        self.current = start
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.current)

    def set(self, moment: datetime.datetime) -> None:
        self.current = moment

    def day(self, day: datetime.date, hour: int = 10) -> None:
        self.current = datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)

    def tick(self, minutes: int = 1) -> None:
        self.current += datetime.timedelta(minutes=minutes)


def services() -> dict[str, Service]:
    seed_catalogue()
    return {service.code: service for service in Service.objects.all()}


def pne_service() -> Service:
    return services()["pne-establish"]


def staff(username: str = "window1", **kwargs: Any) -> Any:
    return UserFactory(
        username=username, role=Role.WINDOW_STAFF, display_name=kwargs.pop("display_name", "窗口李芳"), **kwargs
    )


def png_bytes(seed: int = 0) -> bytes:
    """A valid 1×1 PNG; another seed gives another sha256."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes((seed % 256, (seed // 256) % 256, 90)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


_counter = {"n": 0}


def pdf_bytes(tag: str = "") -> bytes:
    _counter["n"] += 1
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        + f"% {tag} {_counter['n']}\n".encode()
    )


def pdf(name: str = "材料.pdf", tag: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(tag or name), content_type="application/pdf")


def not_a_pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<html>not a document</html>", content_type="application/pdf")


def pne_input(**overrides: Any) -> apps.ApplicationInput:
    """An elderly applicant's private non-enterprise unit (an elderly-care centre)."""
    values: dict[str, Any] = {
        "org_name": "湖田颐养服务中心",
        "org_type": "pne",
        "pne_form": "legal",
        "field": "养老服务",
        "address": "张店区湖田街道西张村 18 号",
        "supervising_unit": "张店区民政局",
        "funds": Decimal("100000"),
        "business_scope": "为辖区老年人提供日间照料、助餐和文体活动。",
        "legal_representative": "王秀英",
        "applicant_name": "王秀英",
        "applicant_phone": PHONE,
        "answers": {"needs_supervisor": True, "funds_proof": "capital_report", "premises": "leased"},
    }
    values.update(overrides)
    return apps.ApplicationInput(**values)


def draft(actor: Any = None, **overrides: Any) -> Application:
    return apps.application_create(service=pne_service(), data=pne_input(**overrides), actor=actor)


def upload_all(application: Application, *, actor: Any = None, skip: tuple[str, ...] = ()) -> None:
    """One PDF for every material of the case except `skip` (codes) and the
    commitment (which is signed, not uploaded)."""
    for item in application_checklist(application).items:
        requirement = item.requirement
        assert requirement is not None
        if requirement.code in skip or is_commitment_requirement(requirement):
            continue
        apps.material_upload(
            application=application, requirement=requirement, file=pdf(f"{requirement.code}.pdf"), actor=actor
        )


def submitted(
    actor: Any = None, *, skip: tuple[str, ...] = (), confirm: bool | None = None, **overrides: Any
) -> Application:
    """Submitted with every material but `skip`; knowingly incomplete (the
    confirmation the service asks for) when something is skipped or `confirm`."""
    application = draft(actor, **overrides)
    upload_all(application, actor=actor, skip=skip)
    confirm_incomplete = bool(skip) if confirm is None else confirm
    return apps.application_submit(application=application, actor=actor, confirm_incomplete=confirm_incomplete)


def review_all_ok(application: Application, actor: Any) -> None:
    verdicts = [
        apps.Verdict(status=MaterialStatus.OK, material_id=item.material.pk)
        for item in application_checklist(application).all_items
        if item.material is not None and item.status == MaterialStatus.PENDING
    ]
    if verdicts:
        apps.application_review(actor=actor, application=application, verdicts=verdicts)


def accepted(actor: Any, **overrides: Any) -> Application:
    application = submitted(actor, **overrides)
    review_all_ok(application, actor)
    return apps.application_accept(actor=actor, application=application)


def returned(actor: Any, *, skip: tuple[str, ...] = ("supervisor-approval",), **overrides: Any) -> Application:
    application = submitted(actor, skip=skip, **overrides)
    review_all_ok(application, actor)
    apps.application_return(actor=actor, application=application)
    application.refresh_from_db()
    return application


def sign_commitment(application: Application, actor: Any = None) -> Any:
    commitment = commitments.commitment_create(actor=actor, application=application)
    signed = commitments.commitment_sign(actor=actor, commitment=commitment, signed_copy_file=pdf("承诺书签字.pdf"))
    application.refresh_from_db()  # the services changed the answers (funds_proof = commitment)
    return signed
