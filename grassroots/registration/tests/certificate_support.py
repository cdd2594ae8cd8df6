"""Builders for the certificates part's tests: the seeded catalogue, window
staff, and applications already approved (the state the applications part's
approve flow hands to `certificate_issue`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.registration.models import (
    Application,
    ApplicationEvent,
    Authority,
    Certificate,
    Organisation,
    OrgType,
    Service,
)
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.services.seed import seed_catalogue
from grassroots.registration.states import State
from grassroots.testing.factories import UserFactory

PHONE = "13912345678"
_counter = {"n": 0}


def catalogue() -> Authority:
    seed_catalogue()
    return Authority.objects.order_by("id").get()


def window_user(**kwargs: Any) -> User:
    return cast(User, UserFactory(role=Role.WINDOW_STAFF, **kwargs))


def user_with_role(role: str) -> User:
    return cast(User, UserFactory(role=role))


def _tracking() -> str:
    _counter["n"] += 1
    return f"T{_counter['n']:011d}"


def approved_application(
    *,
    service_code: str = "pne-establish",
    org_name: str = "启明文化交流中心",
    org_type: str | None = None,
    field: str = "文化",
    organisation: Organisation | None = None,
    assisted: bool = False,
    submitted_at: datetime.datetime | None = None,
    phone: str = PHONE,
    **extra: Any,
) -> Application:
    service = Service.objects.get(code=service_code)
    submitted_at = submitted_at or timezone.now()
    return Application.objects.create(
        tracking_code=_tracking(),
        service=service,
        state=State.APPROVED,
        org_name=organisation.name if organisation else org_name,
        org_type=organisation.org_type if organisation else (org_type or service.org_type),
        pne_form="legal" if (org_type or service.org_type) == OrgType.PNE else "",
        field=field,
        address="山东省淄博市高新区柳泉路 1 号",
        supervising_unit="淄博市文化和旅游局",
        funds=Decimal("30000.00"),
        business_scope="组织文化交流、培训、展览。",
        legal_representative="王建国",
        organisation=organisation,
        applicant_name="李秀英",
        applicant_phone=phone,
        assisted=assisted,
        submitted_at=submitted_at,
        first_submitted_at=submitted_at,
        accepted_on=timezone.localdate(submitted_at),
        decided_at=submitted_at,
        **extra,
    )


def registered(
    *,
    actor: User,
    org_name: str = "启明文化交流中心",
    service_code: str = "pne-establish",
    field: str = "文化",
    issued_on: datetime.date | None = None,
) -> Certificate:
    application = approved_application(service_code=service_code, org_name=org_name, field=field)
    return certificate_issue(actor=actor, application=application, issued_on=issued_on)


def approved_renewal(
    *, organisation: Organisation, inbound_tracking: str = "1234567890123", **extra: Any
) -> Application:
    return approved_application(
        service_code="renewal", organisation=organisation, inbound_tracking=inbound_tracking, **extra
    )


def events(application: Application) -> list[str]:
    return list(ApplicationEvent.objects.filter(application=application).values_list("action", flat=True))


def sms_code() -> str:
    """The 6-digit code of the newest renewal verification SMS in the outbox."""
    import re

    from grassroots.core.models import Notification

    body = (
        Notification.objects.filter(channel="sms", subject="换证验证码")
        .order_by("-id")
        .values_list("body", flat=True)[0]
    )
    match = re.search(r"验证码 ([0-9]{6})", body)
    assert match, body
    return match.group(1)
