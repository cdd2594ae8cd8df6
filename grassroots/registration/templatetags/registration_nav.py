"""The two menu bars of social-organisation registration: one for every
public page under /socialorg/ and one for every window staff page under
/registration/. The active entry follows the URL name, so a page needs no
context variable to light up its section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    icon: str
    # Prefixes of the URL names that belong to this entry.
    matches: tuple[str, ...]


PUBLIC = (
    Entry("服务首页", "registration-public:home", "bi-house", ("home",)),
    Entry("办事须知", "registration-public:appt-notice", "bi-card-checklist", ("appt-notice", "appt-template")),
    Entry("预约帮办", "registration-public:appt-book", "bi-calendar-check", ("appt-book", "appt-cancel")),
    Entry("网上申请", "registration-public:app-apply", "bi-pencil-square", ("app-apply",)),
    Entry("查询进度", "registration-public:app-track-lookup", "bi-search", ("app-track", "app-public-")),
    Entry("不见面换证", "registration-public:cert-renew", "bi-envelope-paper", ("cert-renew",)),
    Entry("登记目录", "registration-public:cert-directory", "bi-journal-text", ("cert-directory", "cert-applicant")),
    Entry("证书核验", "registration-public:cert-verify-form", "bi-patch-check", ("cert-verify",)),
)
STAFF = (
    Entry("登记申请", "registration:app-list", "bi-folder-check", ("app-",)),
    Entry("预约日历", "registration:appt-calendar", "bi-calendar-check", ("appt-",)),
    Entry("社会组织", "registration:cert-organisations", "bi-building", ("cert-organisation", "cert-certificate")),
    Entry("不见面换证", "registration:cert-renewals", "bi-envelope-paper", ("cert-renewal",)),
    Entry("办理统计", "registration:cert-stats", "bi-bar-chart", ("cert-stats",)),
)


def _items(entries: tuple[Entry, ...], request: Any) -> list[dict[str, Any]]:
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match is not None else ""
    active = next((entry for entry in entries if url_name.startswith(entry.matches)), None)
    return [{"label": e.label, "url": reverse(e.url_name), "icon": e.icon, "active": e is active} for e in entries]


@register.inclusion_tag("registration/_public_nav.html", takes_context=True)
def registration_public_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return {"items": _items(PUBLIC, request), "request": request}


@register.inclusion_tag("registration/_staff_nav.html", takes_context=True)
def registration_staff_nav(context: template.Context) -> dict[str, Any]:
    return {"items": _items(STAFF, context.get("request"))}
