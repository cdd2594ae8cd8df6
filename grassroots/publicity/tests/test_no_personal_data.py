"""No public page of the whole site shows personal data.

The test builds a world with known personal data (residents 张三/李四 with
their ID numbers and phones, a matter reported by 王女士 on 13812345678, an
objection with a name and phone, proposals, bookings and applications with
contact details, staff with display names), then fetches every public URL
pattern of the site and checks that none of those names, ID numbers or
phone numbers appears, nor anything shaped like an ID number or a mobile
number at all — in any digit script, width or spacing (ADR 0018).

Matters reach public lists only with the reporter's consent and outside
sensitive categories (ADR 0018): the world holds a consented matter whose
text carries phone and ID numbers in many forms (it must show, scrubbed,
with its place no finer than the grid), a consented matter in a sensitive
category, a matter without consent, and a sensitive matter decided at a
meeting; none of the latter three may show anywhere.

"Every public URL pattern" is read from the root URL resolver the way the
site decides it: a page is public when its view is login-exempt
(`login_not_required` sets `view.login_required = False`, which is what
grassroots.accounts.middleware.LoginRequiredMiddleware checks); under
/api/v1/ the middleware leaves the decision to DRF, so an API pattern is
public when an anonymous GET or POST is not refused with 401/403. Each such
pattern must be fetched through at least one concrete URL in `fetches()`:
a new public page makes this test fail until it is added there (or, for a
non-page endpoint, to EXCLUDED with the reason)."""

from __future__ import annotations

import datetime
import html
import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.bigscreen.services import screen_token_issue
from grassroots.core.actors import SYSTEM
from grassroots.core.models import Notification
from grassroots.core.scrubbing import NUMBER_PLACEHOLDER, canonical
from grassroots.deliberation.models import Invitation, TopicProposal
from grassroots.deliberation.selectors import invitation_by_token
from grassroots.deliberation.services import agenda, meetings, resolutions
from grassroots.deliberation.services.resolutions import VoteInput
from grassroots.deliberation.tests.setup import convene, make_representatives, publish_rules
from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.services import ballots, sessions
from grassroots.matters.models import Category, Matter, ResponsibleUnit, UnitKind
from grassroots.matters.models import Channel as MatterChannel
from grassroots.matters.services import lifecycle
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests import factories as f
from grassroots.matters.tests.uploads import pdf_upload
from grassroots.regions.models import Resident
from grassroots.registration.models import Application, Appointment, RenewalVerification, Service, Window
from grassroots.registration.selectors.applications import application_checklist, is_commitment_requirement
from grassroots.registration.services import applications as apps
from grassroots.registration.services import appointments as appointment_services
from grassroots.registration.services import commitments
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.services.seed import seed_catalogue
from grassroots.registration.tests import support_applications as reg
from grassroots.registration.tests.certificate_support import approved_application, approved_renewal
from grassroots.safety.models import Premises
from grassroots.safety.services import hazards as safety_hazards
from grassroots.safety.tests import support as safety_support
from grassroots.testing.factories import SmallTree, UserFactory

from .. import services as publicity
from ..models import Kind, Objection, Publication

pytestmark = pytest.mark.django_db

D = datetime.date

# Patterns that are not pages and carry no records, with the reason.
EXCLUDED: dict[str, str] = {
    "healthz": "liveness probe: answers the constant text 'ok'",
    "readyz": "readiness probe: the status of the database and Redis connections, no records",
    "favicon.ico": "a permanent redirect to the static icon file",
    "schema": "the OpenAPI description of the API: field names and texts, no records",
    "swagger-ui": "the API documentation shell, which loads the schema in the browser; no records",
}

# An 18-character resident ID number (region, birth date, serial, check
# character) and a mainland mobile number, standing alone: not inside a longer
# run of letters and digits such as a hex hash on the ballot board (whose
# random digits can look like a phone number).
ID_NUMBER_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")

REPORTER_NAME = "王女士"
REPORTER_PHONE = "13812345678"
OBJECTOR_NAME = "钱先生"
OBJECTOR_PHONE = "13712340001"
PORTAL_OBJECTOR_NAME = "孙阿姨"
PORTAL_OBJECTOR_PHONE = "13712340002"
PROPOSER_NAME = "周大爷"
PROPOSER_PHONE = "13712340003"
BOOKER_NAME = "吴秀兰"
BOOKER_PHONE = "13712340004"
APPLICANT_NAME = "郑申请"
APPLICANT_PHONE = "13712340005"
APPRAISED_NAME = "冯办理"  # appraised by name on the ballot (ADR 0014)
# Matters and the public (ADR 0018).
CONSENTED_TITLE = "村口路灯一直不亮"
CONSENTED_TEXT = (
    "晚上出行不便。请回电 139 1234 5601,或 １３９-１２３４-５６０２,或 ١٣٩١٢٣٤٥٦٠٣,"
    "或 一三九一二三四五六零四;座机 0533-2181234;身份证 370303195003010119。"
)
CONSENTED_ROOM = "2单元502室门口"
SENSITIVE_TITLE = "儿子不付赡养费"
PRIVATE_TITLE = "不愿公开的漏水问题"
SENSITIVE_AGENDA_TITLE = "低保户家庭困难补助"

# Allowances, each for the pages named in fetches() only:
# - appraisals rate named staff: the ballot, the published board and its API
#   show the appraised staff's names by design (ADR 0014);
# - a representative's personal link greets its holder by name (and puts the
#   name in the proposal form); the page is reached only through the link
#   sent to that representative.
REP_HOME_KEY = "deliberation:rep-home"
# - an applicant's own records, reached only through the application's
#   unguessable tracking code: the tracking page, the edit form, the documents
#   issued to the applicant (受理通知书, 告知承诺书, 补正告知书) and the API view
#   of the application name the applicant, and the edit form holds the phone.
APPLICANT_OWN = {APPLICANT_NAME, APPLICANT_PHONE}
# - the 补正告知书 is an official document signed by its 经办人 (the window
#   staff member), as the registration module prints it.
RETURN_NOTICE_SIGNER = "窗口李芳"


@dataclass(frozen=True)
class Pattern:
    route: str
    key: str  # namespace:name, or the route when unnamed
    callback: Any

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")


@dataclass
class Fetch:
    url: str
    method: str = "get"
    data: dict[str, Any] | None = None
    status: int = 200
    content_type: str = ""  # "application/json" to post JSON
    expect: str = ""  # a text the page must show: proof that the scan read it
    allowed: set[str] = field(default_factory=set)  # personal values this page may show (see above)


@dataclass
class World:
    tree: SmallTree
    staff: f.Staff
    reported: Matter
    resolved: Matter
    attachment_pk: int
    consented: Matter
    plan: Publication
    ranking: Publication
    resolution: Publication
    appraisal: Publication
    objection: Objection
    rep_token: str
    rep_name: str
    open_session: AppraisalSession
    closed_session: AppraisalSession
    cancel_token: str
    draft: Application
    material_pk: int
    returned: Application
    return_notice_pk: int
    accepted: Application
    certificate_code: str
    certificate_tracking: str
    renewal: Application
    renewal_token: str = ""
    window: Any = None
    hazard_code: str = ""
    screen_secret: str = ""


# --- The URL patterns ---------------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for item in resolver.url_patterns:
        route = str(item.pattern)
        route = prefix + (route.removeprefix("^") if prefix else route)
        if isinstance(item, URLResolver):
            inner = f"{namespace}:{item.namespace}" if namespace and item.namespace else (item.namespace or namespace)
            yield from _walk(item, route, inner or "")
        elif isinstance(item, URLPattern):
            name = f"{namespace}:{item.name}" if namespace and item.name else (item.name or "")
            yield Pattern(route=route, key=name or route, callback=item.callback)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver()))


CONVERTER_DUMMIES = {
    "int": "1",
    "id": "1",
    "str": "ZZZZ",
    "slug": "zzzz",
    "path": "zzzz",
    "uuid": str(uuid.UUID(int=1)),
}


def dummy_path(route: str) -> str:
    """A concrete path for a pattern, with placeholder values (API probes)."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "json" if m.group(1) in ("format", "fmt") else "1", route)
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_DUMMIES.get(m.group(1) or "str", "zzzz"), path)
    path = path.replace("/?$", "").replace("$", "").replace("^", "").replace("\\.", ".")
    return "/" + path


def api_is_public(client: Client, pattern: Pattern) -> bool:
    """DRF decides for /api/v1/: public when an anonymous GET or POST is
    not refused for want of a login."""
    path = dummy_path(pattern.route)
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    assert match is not None and match.route == pattern.route, f"无法为 {pattern.route} 构造探测地址:{path}"
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if response.status_code not in (401, 403, 405):
            return True
    return False


def public_patterns(client: Client) -> list[Pattern]:
    found = []
    for pattern in all_patterns():
        if pattern.is_api:
            if api_is_public(client, pattern):
                found.append(pattern)
        elif getattr(pattern.callback, "login_required", True) is False:
            found.append(pattern)
    return found


# --- The world with known personal data ---------------------------------------------------------


def _matter_resolved_in(node: Any, month: datetime.date, assignee: Any, n: int) -> Matter:
    """A collective matter resolved in `month` (an appraisal item)."""
    moment = datetime.datetime(month.year, month.month, 10, 10, tzinfo=f.SHANGHAI)
    return Matter.objects.create(
        number=f"PD2026{n:05d}",
        tracking_code=f"PDTEST{n:04d}",
        node=node,
        title=f"村内道路维修{n}",
        description="道路坑洼,雨天积水。",
        channel=MatterChannel.WALK_IN,
        touches_collective=True,
        assignee=assignee,
        state="resolved",
        resolved_at=moment,
        reporter_name=REPORTER_NAME,
        reporter_phone=REPORTER_PHONE,
    )


def _closed_meeting(staff: Any, tree: SmallTree) -> tuple[Any, str, str]:
    reps = make_representatives(tree.village_a, tree.unit_a1, 3, serial_base=300)
    publish_rules(staff, tree.village_a)
    agenda.proposal_submit(
        village=tree.village_a,
        title="村东路灯不亮",
        description="村东头三盏路灯坏了一个月。",
        proposer_name=PROPOSER_NAME,
        proposer_phone=PROPOSER_PHONE,
    )
    meeting = convene(staff, tree.village_a, title="十一月协商议事会")
    meetings.meeting_invite(actor=staff, meeting=meeting, representatives=reps)
    # A matter in a sensitive category decided at the meeting (ADR 0018).
    private_matter = f.matter_in_state(
        MatterState.ACCEPTED,
        node=tree.unit_a1,
        handler=staff,
        cat=Category.objects.get(code="subsistence"),
        title=SENSITIVE_AGENDA_TITLE,
        phone="13712340010",
    )
    invitation = Invitation.objects.filter(meeting=meeting).select_related("representative__resident").first()
    assert invitation is not None
    token = _invitation_token(invitation)
    meeting = meetings.meeting_open(actor=staff, meeting=meeting)
    for inv in meeting.invitations.all():
        meetings.attendance_set(actor=staff, invitation=inv, present=True)
    item = agenda.agenda_add_topic(actor=staff, meeting=meeting, title="修缮村口道路")
    resolutions.resolution_record(actor=staff, item=item, data=VoteInput(decision="同意修缮村口道路", votes_for=3))
    private_item = agenda.agenda_add_matter(actor=staff, meeting=meeting, matter=private_matter)
    unit = ResponsibleUnit.objects.create(name="西张村村委会", kind=UnitKind.VILLAGE, node=tree.village_a)
    resolutions.resolution_record(
        actor=staff,
        item=private_item,
        data=VoteInput(
            decision=f"同意{SENSITIVE_AGENDA_TITLE}",
            votes_for=3,
            responsible_unit=unit,
            assignee=staff,
            due_date=D(2026, 12, 31),
        ),
    )
    meeting = meetings.meeting_close(actor=staff, meeting=meeting, minutes="会议同意修缮村口道路。")
    return meeting, token, invitation.name


def _invitation_token(invitation: Invitation) -> str:
    """The personal link went out by SMS; read the token from it."""
    for notification in Notification.objects.filter(channel="sms").order_by("-pk"):
        match = re.search(r"/deliberation/public/r/([^/]+)/", notification.link or "")
        if match:
            found = invitation_by_token(match.group(1))
            if found is not None and found.pk == invitation.pk:
                return match.group(1)
    raise AssertionError("没有找到代表的个人链接")


def _appraisals(tree: SmallTree, staff: f.Staff) -> tuple[AppraisalSession, AppraisalSession]:
    appraised = UserFactory(
        username="appraised", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name=APPRAISED_NAME
    )
    appraised_b = UserFactory(
        username="appraised_b", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b, display_name=APPRAISED_NAME + "乙"
    )
    _matter_resolved_in(tree.grid_a1, D(2026, 10, 1), appraised, 1)
    _matter_resolved_in(tree.grid_b1, D(2026, 10, 1), appraised_b, 2)
    make_representatives(tree.village_b, tree.unit_b1, 3, serial_base=400)
    closed, _ = sessions.session_create(village=tree.village_a, month=D(2026, 10, 1), actor=staff.village_a)
    closed = sessions.session_freeze(session=closed, actor=staff.village_a)
    codes = ballots.slips_issue(session=closed, actor=staff.village_a)
    closed.refresh_from_db()
    choices = {str(pk): "satisfied" for pk in closed.items.values_list("pk", flat=True)}
    ballots.ballot_cast(session_id=closed.pk, code=codes[0], choices=choices)
    closed = ballots.session_close(session=closed, attendance=3, void_codes=codes[1:], actor=staff.village_a)
    frozen, _ = sessions.session_create(village=tree.village_b, month=D(2026, 10, 1), actor=staff.village_b)
    frozen = sessions.session_freeze(session=frozen, actor=staff.village_b)
    ballots.slips_issue(session=frozen, actor=staff.village_b)
    frozen.refresh_from_db()
    return frozen, closed


def _registration(window: Any) -> dict[str, Any]:
    seed_catalogue()
    service = Service.objects.get(code="pne-establish")
    slot = Window.objects.get().slot_templates.get(start_time=datetime.time(9, 0))
    _appointment, cancel_token = appointment_services.appointment_book(
        slot=slot, date=D(2026, 12, 1), service=service, name=BOOKER_NAME, phone=BOOKER_PHONE, today=D(2026, 11, 30)
    )
    draft = reg.draft(applicant_name=APPLICANT_NAME, applicant_phone=APPLICANT_PHONE, legal_representative="王秀英")
    requirement = next(
        item.requirement
        for item in application_checklist(draft).items
        if item.requirement is not None and not is_commitment_requirement(item.requirement)
    )
    material = apps.material_upload(application=draft, requirement=requirement, file=reg.pdf("章程.pdf"), actor=None)
    commitments.commitment_create(actor=None, application=draft)
    returned = reg.returned(
        window, org_name="湖田助老协会", applicant_name=APPLICANT_NAME, applicant_phone=APPLICANT_PHONE
    )
    accepted = reg.accepted(
        window, org_name="湖田文化服务中心", applicant_name=APPLICANT_NAME, applicant_phone=APPLICANT_PHONE
    )
    approved = approved_application(org_name="湖田书画协会", phone=APPLICANT_PHONE)
    certificate = certificate_issue(actor=window, application=approved)
    renewal = approved_renewal(organisation=certificate.organisation, phone=APPLICANT_PHONE)
    Application.objects.filter(pk__in=[approved.pk, renewal.pk]).update(applicant_name=APPLICANT_NAME)
    # A renewal by mail waiting for its SMS code (ADR 0028): the code page shows the phone on file masked.
    now = timezone.now()
    waiting = RenewalVerification.objects.create(
        token="renewal-waiting-token",
        organisation=certificate.organisation,
        recipient=RenewalVerification.Recipient.CONTACT,
        code_hash="0" * 64,
        sent_at=now,
        expires_at=now + datetime.timedelta(minutes=10),
        applicant_name=APPLICANT_NAME,
        applicant_phone=APPLICANT_PHONE,
        inbound_tracking="1234567890123",
    )
    return {
        "renewal_token": waiting.token,
        "cancel_token": cancel_token,
        "draft": draft,
        "material_pk": material.pk,
        "returned": returned,
        "return_notice_pk": returned.return_notices.get().pk,
        "accepted": accepted,
        "certificate_code": certificate.organisation.credit_code,
        "certificate_tracking": approved.tracking_code,
        "renewal": renewal,
    }


def build_world(tree: SmallTree) -> World:
    staff = f.make_staff(tree)  # display names 王网格, 李村务, 张街道, ...
    window = UserFactory(username="window1", role=Role.WINDOW_STAFF, display_name="窗口李芳")
    reported = f.report(node=tree.unit_a1, phone=REPORTER_PHONE)  # reporter 王女士
    assert reported.reporter_name == REPORTER_NAME
    streetlight, family = Category.objects.get(code="streetlight"), Category.objects.get(code="family")
    consented = f.report(
        node=tree.unit_a1,
        title=CONSENTED_TITLE,
        description=CONSENTED_TEXT,
        phone="13712340011",
        location=CONSENTED_ROOM,
        public_consent=True,
    )
    for matter, category in (
        (consented, streetlight),
        (f.report(node=tree.unit_a1, title=SENSITIVE_TITLE, phone="13712340012", public_consent=True), family),
        (f.report(node=tree.unit_a1, title=PRIVATE_TITLE, phone="13712340013"), streetlight),
    ):
        Matter.objects.filter(pk=matter.pk).update(category=category)
    resolved = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a, phone=REPORTER_PHONE)
    lifecycle.matter_resolve(
        actor=staff.village_a, matter=resolved, result="已更换感应灯。", files=[pdf_upload("换灯后.pdf")]
    )
    attachment = resolved.attachments.get(public=True)
    handling = f.matter_in_state(MatterState.HANDLING, node=tree.unit_a1, handler=staff.village_a, phone=REPORTER_PHONE)
    plan = publicity.publication_create(
        actor=staff.village_a,
        matter=handling,
        kind=Kind.PLAN,
        title="关于西张村集体厂房出租的理事方案",
        content="厂房按公开招租方式出租,租金收入纳入村集体账户。",
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 10),
        channels=["portal", "led", "notice", "wechat"],
        publish=True,
    )
    objection = publicity.objection_file(
        publication=plan,
        data=publicity.ObjectionInput(text="租金低于周边市场价。", phone=OBJECTOR_PHONE, name=OBJECTOR_NAME),
    )
    ranking = publicity.publication_create(
        actor=staff.street,
        kind=Kind.RANKING,
        node=tree.subdistrict,
        title="2026年9—11月评事考评排行",
        content="表扬名单:西张村。\n督促名单:无。",
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 10),
        channels=["portal", "led"],
        publish=True,
    )
    meeting, rep_token, rep_name = _closed_meeting(staff.village_a, tree)
    resolution = publicity.publication_create(
        actor=staff.village_a,
        meeting=meeting,
        kind=Kind.RESOLUTION,
        title="十一月协商议事会决议",
        content="会议同意修缮村口道路。",
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 10),
        channels=["portal", "led"],
        publish=True,
    )
    frozen, closed = _appraisals(tree, staff)
    appraisal = publicity.publication_create(
        actor=staff.village_a,
        appraisal=closed,
        kind=Kind.APPRAISAL,
        title="西张村2026年10月评议结果",
        content="本月评议满意率 100%。",
        starts_on=D(2026, 11, 30),
        ends_on=D(2026, 12, 10),
        channels=["portal"],
        publish=True,
    )
    registration = _registration(window)
    return World(
        tree=tree,
        staff=staff,
        reported=reported,
        consented=consented,
        resolved=resolved,
        attachment_pk=attachment.pk,
        plan=plan,
        ranking=ranking,
        resolution=resolution,
        appraisal=appraisal,
        objection=objection,
        rep_token=rep_token,
        rep_name=rep_name,
        open_session=frozen,
        closed_session=closed,
        window=window,
        hazard_code=_hazard_with_notice(tree),
        screen_secret=screen_token_issue(actor=staff.street, node=tree.subdistrict, label="指挥中心大屏", days=30)[1],
        **registration,
    )


def _hazard_with_notice(tree: SmallTree) -> str:
    """A warehouse found with a hazard and given a rectification notice: the
    notice's QR code opens the public status page (operator's name and phone on file)."""
    inspector = UserFactory(
        username="inspector1", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="赵检查"
    )
    inspection = safety_support.inspect(safety_support.premises_at(tree.village_a), inspectors=[inspector], fail=1)
    hazard = safety_support.raised_hazard(inspection)
    hazard = safety_hazards.hazard_issue_notice(actor=SYSTEM, hazard=hazard, days=5)
    return str(hazard.public_code)


def personal_values(world: World) -> dict[str, str]:
    """Every personal value in the database → what it is (for the message)."""
    values: dict[str, str] = {}

    def add(value: str | None, what: str) -> None:
        if value and len(value.strip()) >= 2:
            values[value.strip()] = what

    for resident in Resident.objects.all():
        add(resident.name, "居民姓名")
        add(resident.id_number, "身份证号")
        add(resident.phone, "居民手机号")
    for matter in Matter.objects.all():
        add(matter.reporter_name, "反映人姓名")
        add(matter.reporter_phone, "反映人手机号")
    for user in User.objects.all():
        add(user.display_name, "工作人员姓名")
    for premises in Premises.objects.all():
        add(premises.operator_name, "经营者姓名")
        add(premises.operator_phone, "经营者手机号")
    for appointment in Appointment.objects.all():
        add(appointment.name, "预约人姓名")
        add(appointment.phone, "预约人手机号")
    for application in Application.objects.all():
        add(application.applicant_name, "申请人姓名")
        add(application.applicant_phone, "申请人手机号")
        add(application.agent_name, "代理人姓名")
    for proposal in TopicProposal.objects.all():
        add(proposal.proposer_name, "议题提出人姓名")
        add(proposal.proposer_phone, "议题提出人手机号")
    for title in (SENSITIVE_TITLE, PRIVATE_TITLE, SENSITIVE_AGENDA_TITLE):
        values[title] = "不应公开的事项"
    values[CONSENTED_ROOM] = "单元、门牌"
    for known in (
        "张三",
        "李四",
        REPORTER_NAME,
        REPORTER_PHONE,
        OBJECTOR_NAME,
        OBJECTOR_PHONE,
        PORTAL_OBJECTOR_NAME,
        PORTAL_OBJECTOR_PHONE,
        "李村务",
        "张街道",
        "窗口李芳",
    ):
        values.setdefault(known, "已知个人信息")
    return values


# --- The concrete URLs --------------------------------------------------------------------


def fetches(world: World) -> dict[str, list[Fetch]]:
    """Pattern key → the URLs fetched for it (anonymous client)."""
    tree = world.tree
    va, vb = tree.village_a.pk, tree.village_b.pk
    plan, code = world.plan.pk, world.reported.tracking_code
    resolved_code = world.resolved.tracking_code
    draft_code = world.draft.tracking_code
    bogus_code = "AAAABBBBCCCC"
    appraised = {APPRAISED_NAME, APPRAISED_NAME + "乙"}
    pne = "pne-establish"
    pne_answers = {"pne_form": "legal", "direct": "no", "funds_proof": "capital_report", "premises": "owned"}
    slot = Window.objects.get().slot_templates.get(start_time=datetime.time(9, 0)).pk
    return {
        "public-home": [Fetch("/")],
        "accounts:login": [Fetch("/accounts/login/")],
        "accounts:set-password": [Fetch("/accounts/set-password/MQ/bogus-token/", expect="此链接无效")],
        "admin:login": [Fetch("/admin/login/")],
        # 说事: report, track, rate.
        "matters-public:report": [Fetch("/report/")],
        "matters-public:places": [Fetch(f"/report/places/?village={va}&grid={tree.grid_a1.pk}")],
        "regions:public-villages": [Fetch(f"/regions/places/villages/?township={tree.subdistrict.pk}")],
        "matters-public:done": [Fetch(f"/report/done/{code}/")],
        "matters-public:track": [Fetch("/report/track/"), Fetch(f"/report/track/?code={code}", status=302)],
        "matters-public:status": [
            Fetch(f"/report/track/{code}/", expect=world.reported.title),
            Fetch(f"/report/track/{resolved_code}/", expect="已更换感应灯。"),
        ],
        "matters-public:feedback": [
            Fetch(f"/report/track/{resolved_code}/feedback/", method="post", data={"rating": "x"}, status=400)
        ],
        "matters-public:reopen": [Fetch(f"/report/track/{resolved_code}/reopen/", method="post", data={}, status=400)],
        "matters-public:publicity": [Fetch(f"/report/track/{resolved_code}/publicity/", method="post", status=302)],
        "matters-public:attachment": [Fetch(f"/report/track/{resolved_code}/files/{world.attachment_pk}/")],
        # Open311 GeoReport v2.
        "open311:services": [Fetch("/open311/v2/services.json"), Fetch("/open311/v2/services.xml")],
        "open311:service": [Fetch("/open311/v2/services/littering.json")],
        "open311:requests": [
            Fetch("/open311/v2/requests.json", expect=CONSENTED_TITLE),
            Fetch("/open311/v2/requests.xml", expect=NUMBER_PLACEHOLDER),
        ],
        "open311:request": [
            Fetch(f"/open311/v2/requests/{world.consented.number}.json", expect=NUMBER_PLACEHOLDER),
            Fetch(f"/open311/v2/requests/{world.reported.number}.json", status=404),  # no consent
        ],
        "open311:token": [Fetch(f"/open311/v2/tokens/{code}.json")],
        # 社会组织登记 (registration): notice, booking, applying, tracking, directory.
        "registration-public:home": [Fetch("/socialorg/")],
        "registration-public:appt-notice": [Fetch("/socialorg/notice/"), Fetch(f"/socialorg/notice/?service={pne}")],
        "registration-public:appt-notice-pdf": [
            Fetch("/socialorg/notice/pdf/?" + "&".join(f"{k}={v}" for k, v in {"service": pne, **pne_answers}.items()))
        ],
        "registration-public:appt-template": [Fetch("/socialorg/notice/templates/legal-rep-form/")],
        "registration-public:appt-book": [
            Fetch("/socialorg/book/"),
            Fetch(f"/socialorg/book/?service={pne}&date=2026-12-01&slot={slot}"),
            Fetch(
                f"/socialorg/book/?service={pne}&date=2026-12-01&slot={slot}",
                method="post",
                data={"name": "陈预约", "phone": "13712340009"},
                status=302,
            ),
        ],
        "registration-public:appt-book-done": [Fetch("/socialorg/book/done/")],  # after the booking above
        "registration-public:appt-cancel": [Fetch(f"/socialorg/book/cancel/{world.cancel_token}/")],
        "registration-public:app-apply": [Fetch("/socialorg/apply/")],
        "registration-public:app-apply-form": [Fetch(f"/socialorg/apply/{pne}/")],
        "registration-public:app-track-lookup": [Fetch("/socialorg/track/")],
        "registration-public:app-track": [
            Fetch(f"/socialorg/track/{draft_code}/", allowed=APPLICANT_OWN),
            Fetch(f"/socialorg/track/{world.returned.tracking_code}/", allowed=APPLICANT_OWN),
            Fetch(f"/socialorg/track/{world.accepted.tracking_code}/", allowed=APPLICANT_OWN),
        ],
        "registration-public:app-public-edit": [Fetch(f"/socialorg/track/{draft_code}/edit/", allowed=APPLICANT_OWN)],
        "registration-public:app-public-action": [
            Fetch(
                f"/socialorg/track/{draft_code}/act/upload/", method="post", data={}, status=400, allowed=APPLICANT_OWN
            )
        ],
        "registration-public:app-public-material": [
            Fetch(f"/socialorg/track/{draft_code}/materials/{world.material_pk}/")
        ],
        "registration-public:app-public-return-notice-pdf": [
            Fetch(
                f"/socialorg/track/{world.returned.tracking_code}/return-notices/{world.return_notice_pk}/pdf/",
                allowed=APPLICANT_OWN | {RETURN_NOTICE_SIGNER},
            )
        ],
        "registration-public:app-public-acceptance-pdf": [
            Fetch(f"/socialorg/track/{world.accepted.tracking_code}/acceptance/pdf/", allowed=APPLICANT_OWN)
        ],
        "registration-public:app-public-commitment-pdf": [
            Fetch(f"/socialorg/track/{draft_code}/commitment/pdf/", allowed=APPLICANT_OWN)
        ],
        "registration-public:cert-directory": [Fetch("/socialorg/directory/")],
        "registration-public:cert-directory-organisation": [Fetch(f"/socialorg/directory/{world.certificate_code}/")],
        "registration-public:cert-verify-form": [Fetch("/socialorg/verify/")],
        "registration-public:cert-verify": [Fetch(f"/socialorg/verify/{world.certificate_code}/")],
        "registration-public:cert-renew": [Fetch(f"/socialorg/renew/?code={world.certificate_code}")],
        "registration-public:cert-renew-check": [
            Fetch(f"/socialorg/renew/check/?credit_code={world.certificate_code}")
        ],
        "registration-public:cert-renew-verify": [
            Fetch(f"/socialorg/renew/verify/{world.renewal_token}/"),
            Fetch("/socialorg/renew/verify/unknown/", status=404),
        ],
        "registration-public:cert-renew-resend": [
            Fetch(f"/socialorg/renew/verify/{world.renewal_token}/resend/", method="post", status=302)
        ],
        "registration-public:cert-renew-done": [Fetch(f"/socialorg/renew/done/{world.renewal.tracking_code}/")],
        "registration-public:cert-applicant-pdf": [
            Fetch(f"/socialorg/certificate/{world.certificate_tracking}/pdf/", expect="湖田书画协会")
        ],
        # 安全检查: the status page a rectification notice's QR code opens.
        "safety-public:check": [Fetch(f"/safety-check/{world.hazard_code}/", expect="东风物流仓库")],
        # 指挥大屏 on the wall: the kiosk URL's token is the credential; aggregates only (ADR 0049).
        "bigscreen:kiosk": [Fetch(f"/bigscreen/k/{world.screen_secret}/", expect="指挥中心")],
        "bigscreen:kiosk-data": [Fetch(f"/bigscreen/k/{world.screen_secret}/data.json", expect="matters")],
        # Providers' callbacks: without the installation's token configured they do not exist.
        "channels-public:wechat-callback": [Fetch("/wechat/callback/", status=404)],
        "sms-receipt": [Fetch("/sms/receipts/aliyun/bogus-token", method="post", data={}, status=404)],
        # The reporter's channel choice: a wrong phone is refused on the status page (ADR 0056).
        "matters-public:notify": [
            Fetch(f"/report/track/{code}/notify/", method="post", data={"phone": "x", "choice": "sms"}, status=400)
        ],
        # The field app's manifest and service worker: fetched without cookies, no data at all (ADR 0055).
        "field:manifest": [Fetch("/field/manifest.webmanifest", expect="网格员助手")],
        "field:sw": [Fetch("/field/sw.js", expect="workbox")],
        # 议事 public pages.
        "deliberation:public-rules": [Fetch("/deliberation/public/rules/")],
        "deliberation:public-decisions": [Fetch("/deliberation/public/decisions/", expect="同意修缮村口道路")],
        "deliberation:public-propose": [Fetch("/deliberation/public/propose/")],
        "deliberation:calendar": [Fetch(f"/deliberation/public/villages/{va}/calendar.ics")],
        # The representative's own page lists the agenda of the meeting they sat in, a sensitive item too.
        REP_HOME_KEY: [
            Fetch(f"/deliberation/public/r/{world.rep_token}/", allowed={world.rep_name, SENSITIVE_AGENDA_TITLE})
        ],
        # 评事: the ballot and the published board.
        "ballot:index": [Fetch("/ballot/")],
        "ballot:vote": [Fetch(f"/ballot/{world.open_session.pk}/vote", allowed=appraised)],
        "ballot:board": [Fetch(f"/ballot/{world.closed_session.pk}/board", allowed=appraised)],
        "ballot:board-json": [Fetch(f"/ballot/{world.closed_session.pk}/board.json", allowed=appraised)],
        # 晒事: the portal, objections, LED boards, feeds and printed notices.
        "notices:index": [Fetch("/notices/"), Fetch("/notices/?q=公示&status=current")],
        "notices:village": [Fetch(f"/notices/v/{va}/"), Fetch(f"/notices/v/{vb}/")],
        "notices:detail": [
            Fetch(f"/notices/{pub.pk}/", expect=pub.title)
            for pub in (world.plan, world.ranking, world.resolution, world.appraisal)
        ],
        "notices:objection": [
            Fetch(
                f"/notices/{plan}/objection/",
                method="post",
                data={
                    "text": "租金太低,建议重新评估。",
                    "phone": PORTAL_OBJECTOR_PHONE,
                    "name": PORTAL_OBJECTOR_NAME,
                    "idempotency_key": str(uuid.uuid4()),
                },
            ),
            # A refused form keeps what its sender typed (their own phone number).
            Fetch(
                f"/notices/{plan}/objection/",
                method="post",
                data={"phone": PORTAL_OBJECTOR_PHONE},
                status=400,
                allowed={PORTAL_OBJECTOR_PHONE},
            ),
        ],
        "notices-board:led": [Fetch(f"/notices/v/{va}/led/"), Fetch(f"/notices/v/{vb}/led/")],
        "notices-board:led-compact": [Fetch(f"/notices/v/{va}/led/compact/")],
        "notices-board:led-text": [
            Fetch(f"/notices/v/{va}/led.txt", expect=world.plan.title),
            Fetch(f"/notices/v/{va}/led.txt?encoding=gbk", expect=world.plan.title),
        ],
        "notices-board:feed": [
            Fetch(f"/notices/v/{va}/feed.atom", expect=world.plan.title),
            Fetch(f"/notices/v/{vb}/feed.atom", expect=world.ranking.title),
        ],
        "notices-board:notice-pdf": [
            Fetch(f"/notices/{pub.pk}/notice.pdf", expect=pub.title)
            for pub in (world.plan, world.ranking, world.resolution)
        ],
        # The public API (AllowAny). Actions that change an application are
        # posted with an unknown code: the pattern is reached, nothing changes.
        "api:appt-services": [Fetch("/api/v1/registration/services")],
        "api:appt-notice": [
            Fetch(
                "/api/v1/registration/notice",
                method="post",
                data={"service": pne, "answers": pne_answers},
                content_type="application/json",
            )
        ],
        "api:appt-dates": [Fetch(f"/api/v1/registration/appointment-dates?service={pne}")],
        "api:appt-slots": [Fetch(f"/api/v1/registration/slots?service={pne}&date=2026-12-01")],
        "api:appt-appointments": [Fetch("/api/v1/registration/appointments", method="post", data={}, status=400)],
        "api:appt-cancel": [Fetch("/api/v1/registration/appointments/cancel", method="post", data={}, status=400)],
        "api:app-public-create": [
            Fetch("/api/v1/registration/public/applications", method="post", data={}, status=400)
        ],
        "api:app-public-detail": [
            Fetch(f"/api/v1/registration/public/applications/{draft_code}", allowed=APPLICANT_OWN)
        ],
        "api:app-public-update": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/update", method="post", data={}, status=404)
        ],
        "api:app-public-materials": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/materials", method="post", status=404)
        ],
        "api:app-public-submit": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/submit", method="post", status=404)
        ],
        "api:app-public-resubmit": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/resubmit", method="post", status=404)
        ],
        "api:app-public-withdraw": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/withdraw", method="post", status=404)
        ],
        "api:app-public-commitment": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/commitment", method="post", status=404)
        ],
        "api:app-public-commitment-sign": [
            Fetch(f"/api/v1/registration/public/applications/{bogus_code}/commitment/sign", method="post", status=404)
        ],
        "api:cert-directory": [Fetch("/api/v1/registration/directory")],
        "api:cert-directory-detail": [Fetch(f"/api/v1/registration/directory/{world.certificate_code}")],
        "api:cert-verify": [Fetch(f"/api/v1/registration/verify/{world.certificate_code}")],
        "api:cert-renewal-create": [Fetch("/api/v1/registration/renewals", method="post", data={}, status=400)],
        "api:cert-renewal-verify": [
            Fetch("/api/v1/registration/renewals/verify", method="post", data={"token": "x", "code": "1"}, status=404)
        ],
        "api:cert-renewal-resend": [
            Fetch("/api/v1/registration/renewals/resend", method="post", data={"token": "unknown"}, status=404)
        ],
        "api:evaluation-vote": [
            Fetch(f"/api/v1/evaluation/sessions/{world.open_session.pk}/vote", method="post", data={}, status=400)
        ],
        "api:evaluation-board": [
            Fetch(f"/api/v1/evaluation/sessions/{world.closed_session.pk}/board", allowed=appraised)
        ],
    }


# --- Reading a response as text ---------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "需要 pdftotext(poppler-utils)来检查 PDF 的文字"
    done = subprocess.run([pdftotext, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=False)
    if done.returncode != 0:
        # A stored upload that is not a full document (the tests' minimal
        # PDFs): its bytes are all there is to read.
        return content.decode("latin-1")
    return done.stdout.decode("utf-8", "replace")


def response_text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content.startswith(b"%PDF") or "application/pdf" in content_type:
        return pdf_text(content)
    if content_type.startswith("image/"):
        raise AssertionError(f"无法检查图片内容:{content_type}")
    charset = "gbk" if "gbk" in content_type.lower() else "utf-8"
    text = content.decode(charset, "replace")
    if "json" in content_type:
        # JSON may escape Chinese as \\uXXXX: read it back and write it plainly.
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def digits_joined(text: str) -> str:
    """Every digit in ASCII (any script or width, Chinese numerals) and the
    spaces, dashes and brackets between digits removed, so that the patterns
    below see "١٣٩ 1234-5601" as the number it is."""
    return re.sub(r"(?<=[0-9])[ ()]{1,3}(?=[0-9X])", "", canonical(text))


def leaks(text: str, values: dict[str, str], allowed: set[str]) -> list[str]:
    found = [f"{what}“{value}”" for value, what in values.items() if value not in allowed and value in text]
    allowed_digits = {v for v in allowed if v.isdigit()}
    joined = digits_joined(text)
    found += [f"身份证号格式“{m}”" for m in ID_NUMBER_RE.findall(joined)]
    found += [f"手机号格式“{m}”" for m in MOBILE_RE.findall(joined) if m not in allowed_digits]
    return found


# --- The test ---------------------------------------------------------------------------------------


def test_no_public_page_shows_personal_data(tree, monkeypatch):
    f.freeze(monkeypatch)  # Monday 2026-11-30 10:00
    world = build_world(tree)
    client = Client()
    public = public_patterns(client)
    plan = fetches(world)

    # Every public pattern is fetched (or excluded with a reason).
    keys = {p.key for p in public}
    missing = sorted(keys - set(plan) - set(EXCLUDED))
    assert not missing, "以下公开页面未纳入个人信息检查,请在 fetches() 中加入具体网址:" + "、".join(missing)
    stale = sorted(set(plan) - keys)
    assert not stale, "fetches() 中的这些页面已不是公开页面(或已改名):" + "、".join(stale)

    values = personal_values(world)
    assert {"张三", "李四", REPORTER_NAME, REPORTER_PHONE, OBJECTOR_NAME, OBJECTOR_PHONE} <= set(values)
    assert sum(1 for what in values.values() if what == "身份证号") >= 2

    client = Client()
    cache.clear()  # the probes above counted against the rate limits of this address
    reached: set[str] = set()
    problems: list[str] = []
    for key, items in plan.items():
        for item in items:
            call = getattr(client, item.method)
            if item.method == "get":
                response = call(item.url)
            elif item.content_type:
                response = call(item.url, json.dumps(item.data or {}), content_type=item.content_type)
            else:
                response = call(item.url, item.data or {})
            reached.add(resolve(item.url.split("?")[0]).route)
            if response.status_code != item.status:
                problems.append(
                    f"{key} {item.method.upper()} {item.url}: 状态 {response.status_code},应为 {item.status}"
                )
                continue
            if response.status_code in (301, 302):
                continue
            text = response_text(response)
            if item.expect and item.expect not in text:
                problems.append(f"{key} {item.url}: 未读到“{item.expect}”,检查无效")
            for leak in leaks(text, values, item.allowed):
                problems.append(f"{key} {item.url}: 出现{leak}")
    assert not problems, "\n".join(problems)

    unreached = sorted(p.route for p in public if p.key not in EXCLUDED and p.route not in reached)
    assert not unreached, "以下公开网址模式没有被实际访问:" + "、".join(unreached)
    # The objection through the portal was filed: its page was checked with real data.
    assert Objection.objects.count() == 2
