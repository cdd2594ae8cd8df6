"""The hazard loop: raised from a failed item only (once), the notice with a
number and a deadline in working days, the PDF with its QR code, evidence,
re-inspection both ways, referral, the public status page (no personal
data), escalation of overdue hazards (once, with notifications), pages and
404 outside the subtree."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from grassroots.addresses.tests.support import jpeg
from grassroots.core.models import Notification
from grassroots.core.workdays import deadline_after

from ..errors import SafetyConflict, SafetyError
from ..models import Hazard, HazardEvent
from ..services import hazards
from ..states import HazardState
from ..tasks import escalate_overdue_hazards
from .support import PHONE, inspect, premises_at, raised_hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(tree, people):
    return inspect(premises_at(tree.grid_a1), actor=people.grid_a, fail=2)


def test_raise_only_from_failed_items_once(inspection, people):
    passed = inspection.answers.filter(result="pass").first()
    with pytest.raises(SafetyError):
        hazards.hazard_raise(actor=people.grid_a, inspection=inspection, item_id=passed.item_id)
    hazard = raised_hazard(inspection, actor=people.grid_a)
    assert hazard.state == HazardState.FOUND and hazard.legal_basis.startswith("《")
    assert hazard.description == "第1项存在问题"
    with pytest.raises(SafetyConflict):
        raised_hazard(inspection, actor=people.grid_a)


def test_notice_deadline_in_working_days_and_loop(inspection, people):
    hazard = raised_hazard(inspection, actor=people.grid_a)
    today = datetime.date(2026, 12, 7)
    hazard = hazards.hazard_issue_notice(actor=people.grid_a, hazard=hazard, days=5, today=today)
    assert hazard.deadline == deadline_after(today, 5).due
    assert hazard.notice_number.startswith("安整〔")
    with pytest.raises(SafetyError):
        hazards.hazard_rectify(actor=people.grid_a, hazard=hazard, evidence=None)  # type: ignore[arg-type]
    hazard = hazards.hazard_rectify(actor=people.grid_a, hazard=hazard, evidence=jpeg(), note="已清理")
    assert hazard.evidence.name.endswith(".jpg")
    hazard = hazards.hazard_reinspect(actor=people.grid_a, hazard=hazard, passed=False, note="仍有堆放", today=today)
    assert hazard.state == HazardState.NOTICE_ISSUED and hazard.rectified_at is None
    with pytest.raises(SafetyError):
        hazards.hazard_refer(actor=people.village_a, hazard=hazard, record=" ")
    hazard = hazards.hazard_refer(actor=people.village_a, hazard=hazard, record="移交区应急管理局执法大队")
    assert hazard.state == HazardState.REFERRED
    actions = list(HazardEvent.objects.filter(hazard=hazard).values_list("action", flat=True))
    assert actions == ["raise", "issue_notice", "rectify", "reopen", "refer"]


def test_escalation_once_with_notifications(inspection, people):
    hazard = raised_hazard(inspection, actor=people.grid_a)
    hazards.hazard_issue_notice(actor=people.grid_a, hazard=hazard, days=1, today=datetime.date(2026, 11, 2))
    hazard.refresh_from_db()
    assert hazard.deadline is not None
    later = hazard.deadline + datetime.timedelta(days=3)
    assert hazards.escalate_overdue(today=hazard.deadline) == 0
    assert hazards.escalate_overdue(today=later) == 1
    assert hazards.escalate_overdue(today=later) == 0
    hazard.refresh_from_db()
    assert hazard.escalated_at is not None and hazard.state == HazardState.NOTICE_ISSUED
    assert HazardEvent.objects.filter(hazard=hazard, action="escalate").count() == 1
    assert escalate_overdue_hazards() == 0


def test_escalation_notifies_village_and_subdistrict(inspection, people, django_capture_on_commit_callbacks):
    hazard = raised_hazard(inspection, actor=people.grid_a)
    hazards.hazard_issue_notice(actor=people.grid_a, hazard=hazard, days=1, today=datetime.date(2026, 11, 2))
    with django_capture_on_commit_callbacks(execute=True):
        hazards.escalate_overdue(today=datetime.date(2026, 12, 1))
    notified = set(Notification.objects.filter(subject="隐患逾期未整改").values_list("recipient_id", flat=True))
    assert {people.village_a.pk, people.street.pk} <= notified and people.village_b.pk not in notified


def test_pages_pdf_and_public_check(client, inspection, people):
    client.force_login(people.grid_a)
    page = client.get(reverse("safety:inspection", args=[inspection.pk])).content.decode()
    assert page.count('data-testid="raise"') == 2
    item_id = inspection.answers.filter(result="fail").order_by("item__position").first().item_id
    raised = client.post(reverse("safety:hazard-raise", args=[inspection.pk]), {"item": item_id, "level": "major"})
    hazard = Hazard.objects.get()
    assert raised["Location"] == reverse("safety:hazard", args=[hazard.pk]) and hazard.level == "major"
    assert client.get(reverse("safety:hazard-notice", args=[hazard.pk])).status_code == 404
    bad = client.post(reverse("safety:hazard-issue-notice", args=[hazard.pk]), {"days": 0})
    assert bad.status_code == 400 and "至少 1 个工作日" in bad.content.decode()
    client.post(reverse("safety:hazard-issue-notice", args=[hazard.pk]), {"days": 5})
    hazard.refresh_from_db()
    pdf = client.get(reverse("safety:hazard-notice", args=[hazard.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    public = client.get(reverse("safety-public:check", args=[hazard.public_code])).content.decode()
    assert "整改中" in public and hazard.notice_number in public
    assert "刘经理" not in public and PHONE not in public and "138****5678" not in public
    assert client.get(reverse("safety-public:check", args=["nope"])).status_code == 404
    client.force_login(people.grid_a)
    rectified = client.post(reverse("safety:hazard-rectify", args=[hazard.pk]), {"evidence": jpeg(), "note": "已整改"})
    assert rectified.status_code == 302
    closed = client.post(reverse("safety:hazard-reinspect", args=[hazard.pk]), {"result": "pass"})
    assert closed.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CLOSED
    listing = client.get(reverse("safety:hazards"), {"state": "closed"}).content.decode()
    assert listing.count('data-testid="hazard-row"') == 1
    client.force_login(people.grid_b)
    assert client.get(reverse("safety:hazard", args=[hazard.pk])).status_code == 404
