"""Every label the admin shows is Chinese: the changelist's column headers
and filters, and the add/change forms' field labels, for every registered
model. A model field without verbose_name shows its English name in capitals
("UPDATED BY"), which is what this catches."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.models import HolidayOverride, HolidayYear

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Labels that are Latin by nature (an abbreviation users read as such).
ALLOWED = {"IP 地址", "ID"}


def _labels(html: str) -> list[str]:
    found: list[str] = []
    # Form labels and the read-only fields' labels.
    found += re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S)
    # Changelist column headers (sortable ones wrap the text in a link).
    for th in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, flags=re.S):
        found += re.findall(r'<div class="text">(?:<a [^>]*>|<span>)(.*?)</(?:a|span)>', th, flags=re.S)
    # Filter titles ("按 更新人 过滤" or the Django 5 <summary> form).
    found += re.findall(r"<summary>\s*(.*?)\s*</summary>", html, flags=re.S)
    cleaned = [re.sub(r"<[^>]+>", "", text).replace(":", "").strip() for text in found]
    return [text for text in cleaned if text and text not in ALLOWED]


def _english(labels: list[str]) -> list[str]:
    return [text for text in labels if LATIN_WORD.search(text) and not re.search(r"[\u4e00-\u9fff]", text)]


def test_every_admin_page_is_labelled_in_chinese(client, rf, tree, make_user):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict, username="sysadmin")
    make_user(Role.WINDOW_STAFF, None, username="window")  # a row for the user change form
    HolidayYear.objects.create(year=2027, confirmed=False, source="暂定")
    HolidayOverride.objects.create(date="2027-02-06", is_workday=False, name="春节", updated_by=user)
    client.force_login(user)
    request = rf.get("/admin/")
    request.user = user
    problems: dict[str, list[str]] = {}
    checked = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
        for url in pages:
            response = client.get(url)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, url
            labels = _labels(response.content.decode())
            checked += len(labels)
            english = _english(labels)
            if english:
                problems[url] = english
    assert checked > 20
    assert not problems, problems
