"""The public base URL: every absolute link that leaves the screen (QR codes
and addresses on notices, ballot slips, certificates; SMS; feeds) starts with
GRASSROOTS_PUBLIC_BASE_URL, which production must set (system check E010)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import checks as django_checks
from django.urls import reverse

from grassroots.core import checks
from grassroots.core.links import public_base_url, public_url

BASE = "https://zwfw.example.gov.cn/hutian/"


def test_public_url_joins_base_and_path(settings):
    settings.PUBLIC_BASE_URL = BASE
    assert public_base_url() == "https://zwfw.example.gov.cn/hutian"
    assert public_url("/notices/7/") == "https://zwfw.example.gov.cn/hutian/notices/7/"
    assert public_url("notices/7/") == "https://zwfw.example.gov.cn/hutian/notices/7/"
    settings.PUBLIC_BASE_URL = "https://zwfw.example.gov.cn"
    assert public_url("/ballot/3/") == "https://zwfw.example.gov.cn/ballot/3/"


def test_unset_base_gives_a_relative_link_and_logs(settings, caplog):
    settings.PUBLIC_BASE_URL = ""
    assert public_url("/notices/7/") == "/notices/7/"
    assert "GRASSROOTS_PUBLIC_BASE_URL" in caplog.text


def _ids(messages):
    return sorted(m.id for m in messages)


@pytest.mark.django_db
def test_check_e010_in_production_without_a_base_url(settings):
    settings.DEBUG = False
    settings.PUBLIC_BASE_URL = ""
    messages = checks.public_base_url_check()
    assert _ids(messages) == ["grassroots.E010"]
    assert messages[0].level == django_checks.ERROR
    assert "GRASSROOTS_PUBLIC_BASE_URL" in (messages[0].hint or "")
    # Registered with the default checks, so `manage.py check` and `migrate` stop on it.
    assert "grassroots.E010" in _ids(django_checks.run_checks())


def test_check_quiet_in_debug_and_when_set(settings):
    settings.DEBUG = True
    settings.PUBLIC_BASE_URL = ""
    assert checks.public_base_url_check() == []
    settings.DEBUG = False
    settings.PUBLIC_BASE_URL = BASE
    assert checks.public_base_url_check() == []
    assert checks.public_base_url_deploy_check() == []


@pytest.mark.parametrize("value", ["zwfw.example.gov.cn", "ftp://zwfw.example.gov.cn/", "https:///x", "https://a/?x=1"])
def test_check_e011_for_an_address_that_is_not_one(settings, value):
    settings.PUBLIC_BASE_URL = value
    assert _ids(checks.public_base_url_check()) == ["grassroots.E011"]


def test_deploy_check_warns_about_the_demo_address(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000/"
    assert _ids(checks.public_base_url_deploy_check()) == ["grassroots.W012"]
    assert checks.public_base_url_deploy_check in django_checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert checks.public_base_url_deploy_check not in django_checks.registry.registry.get_checks(
        include_deployment_checks=False
    )


def test_demo_script_serves_and_prints_the_same_address():
    run = (Path(__file__).resolve().parents[3] / "run").read_text(encoding="utf-8")
    assert 'export GRASSROOTS_PUBLIC_BASE_URL="http://$DEMO_ADDRESS/"' in run
    assert 'runserver "$DEMO_ADDRESS" --noreload' in run


@pytest.mark.django_db
def test_printed_notice_carries_the_configured_address(settings, monkeypatch, tmp_path):
    from grassroots.registration.services import notice
    from grassroots.registration.services.notice import parse_answers
    from grassroots.registration.services.seed import seed_catalogue

    settings.PUBLIC_BASE_URL = BASE
    seed_catalogue()
    pne = notice.Service.objects.get(code="pne-establish")
    answers = parse_answers(
        service=pne, data={"pne_form": "legal", "direct": "no", "funds_proof": "capital_report", "premises": "owned"}
    )
    encoded: list[str] = []
    real_qr = notice.qr_svg

    def recording_qr(data: str, **kwargs: Any) -> str:
        encoded.append(data)
        return real_qr(data, **kwargs)

    monkeypatch.setattr(notice, "qr_svg", recording_qr)
    pdf = notice.notice_pdf(service=pne, answers=answers)
    assert encoded and encoded[0].startswith(BASE + "socialorg/notice/?service=pne-establish")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True, text=True).stdout
    flat = "".join(text.split())
    assert "zwfw.example.gov.cn/hutian/socialorg/notice/" in flat
    assert "127.0.0.1" not in flat


@pytest.mark.django_db
def test_ballot_slips_and_sms_links_carry_the_configured_address(settings, monkeypatch):
    from grassroots.core.notifications import delivery as notifications
    from grassroots.evaluation.views import sessions as evaluation_views

    settings.PUBLIC_BASE_URL = BASE
    encoded: list[str] = []

    def recording_qr(data: str, **kwargs: Any) -> str:
        encoded.append(data)
        return "<svg/>"

    monkeypatch.setattr(evaluation_views, "qr_svg", recording_qr)
    monkeypatch.setattr(evaluation_views, "render_pdf", lambda **kw: b"%PDF-")

    class Session:
        pk = 5

    evaluation_views.slips_pdf(Session(), ["ABCD2345"])  # type: ignore[arg-type]
    assert encoded == ["https://zwfw.example.gov.cn/hutian" + reverse("ballot:vote", args=[5]) + "#ABCD2345"]
    assert notifications._absolute_link("/m/1/") == BASE + "m/1/"
