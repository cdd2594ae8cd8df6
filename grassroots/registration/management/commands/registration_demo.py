"""Demo data for social-organisation registration: about twenty registered
organisations in the fields named by the source (医疗, 体育, 文化, 民生),
each with a certificate issued through `certificate_issue`; a few expiring
soon (for the 60/30-day reminders), one renewed (a chain), one revoked, and
one renewal by mail waiting for its old certificate.

Everything is fictitious. Names, credit codes, certificate numbers and dates
are fixed (dates relative to the day the command runs, so that "expiring
soon" stays true); a rerun adds only what is missing (by organisation name).
The applications are historical records: they are written in the approved
state with their submission and acceptance dates and an acceptance number
(受理编号) of their day of acceptance, as the window's acceptance gives one,
then the certificate is issued by the service, back-dated to the historical
day of issue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.errors import DomainError
from grassroots.core.validators import s10_check_digit
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar
from grassroots.registration.models import Application, ApplicationEvent, Organisation, Service
from grassroots.registration.services.certificates import add_years, certificate_issue, organisation_revoke
from grassroots.registration.services.renewal import renewal_request
from grassroots.registration.services.seed import seed_catalogue
from grassroots.registration.services.workflow import ACCEPTANCE_PREFIX, allocate_number, new_tracking_code
from grassroots.registration.states import State

SG, PNE = "social-group-establish", "pne-establish"
DEMO_USERNAME = "registration-demo"
ADDRESS = "山东省淄博市高新区{}"


@dataclass(frozen=True)
class Demo:
    name: str
    service: str
    field: str
    legal_representative: str
    street: str
    supervising_unit: str  # "" for direct registration
    funds: int
    scope: str
    # Issued this many days before today …
    issued_days_ago: int = 0
    # … or so that the certificate expires this many days from today.
    expires_in: int | None = None
    working_days: int = 0  # submission → issue
    assisted: bool = False
    revoked: bool = False
    renewed_days_ago: int | None = None  # renewed (换证) this many days ago
    mail_renewal: bool = False  # a renewal by mail waiting for the old certificate


HEALTH, SPORT, CULTURE, LIVELIHOOD = "医疗", "体育", "文化", "民生"
HEALTH_BUREAU, SPORT_BUREAU, CULTURE_BUREAU = "淄博高新区卫生健康局", "淄博高新区文化和旅游体育局", "淄博高新区宣传部"

DEMOS: tuple[Demo, ...] = (
    Demo("淄博高新区社区卫生服务协会", SG, HEALTH, "刘卫东", "柳泉路 101 号", HEALTH_BUREAU, 50000,
         "社区卫生服务交流、培训,健康知识普及。", issued_days_ago=40, working_days=3),
    Demo("淄博高新区康宁护理院", PNE, HEALTH, "陈淑芬", "鲁泰大道 18 号", HEALTH_BUREAU, 300000,
         "老年护理、康复护理服务。", issued_days_ago=120, working_days=5, assisted=True),
    Demo("淄博高新区仁和中医门诊部", PNE, HEALTH, "孙振华", "四宝山街道 6 号", HEALTH_BUREAU, 200000,
         "中医内科、针灸推拿诊疗服务。", expires_in=25),
    Demo("淄博高新区心理健康服务中心", PNE, HEALTH, "周慧敏", "政通路 135 号", "", 100000,
         "心理咨询、心理健康讲座。", issued_days_ago=900, working_days=8),
    Demo("淄博高新区康复医疗志愿者协会", SG, HEALTH, "吴永强", "中润大道 66 号", HEALTH_BUREAU, 30000,
         "康复知识普及,志愿服务组织。", revoked=True, issued_days_ago=300, working_days=0, assisted=True),
    Demo("淄博高新区体育总会", SG, SPORT, "王建国", "青龙山路 9 号", SPORT_BUREAU, 100000,
         "组织全民健身活动,开展体育交流。", issued_days_ago=1500, renewed_days_ago=20, working_days=6),
    Demo("淄博高新区乒乓球协会", SG, SPORT, "马丽", "宝山路 27 号", SPORT_BUREAU, 30000,
         "乒乓球培训、比赛和交流。", expires_in=55),
    Demo("淄博高新区青少年足球俱乐部", PNE, SPORT, "赵磊", "裕民路 88 号", SPORT_BUREAU, 150000,
         "青少年足球培训和赛事组织。", issued_days_ago=200, working_days=2),
    Demo("淄博高新区健步走协会", SG, SPORT, "钱秀兰", "世纪路 16 号", SPORT_BUREAU, 30000,
         "健步走活动组织,健身知识宣传。", issued_days_ago=60, working_days=0, assisted=True),
    Demo("淄博高新区围棋培训中心", PNE, SPORT, "郑文", "西五路 22 号", SPORT_BUREAU, 100000,
         "围棋培训和交流比赛。", expires_in=80, mail_renewal=True),
    Demo("淄博高新区文化艺术团", PNE, CULTURE, "李秀英", "华侨城 3 号", CULTURE_BUREAU, 100000,
         "文艺演出、群众文化活动组织。", issued_days_ago=10, working_days=0, assisted=True),
    Demo("淄博高新区书画艺术研究会", SG, CULTURE, "张德明", "鲁泰文化路 5 号", CULTURE_BUREAU, 30000,
         "书画研究、展览、交流。", issued_days_ago=700, working_days=12),
    Demo("淄博高新区陶琉文化交流中心", PNE, CULTURE, "冯建华", "齐鲁陶瓷城 2 号", CULTURE_BUREAU, 200000,
         "陶瓷琉璃文化交流、展览、培训。", issued_days_ago=150, working_days=4),
    Demo("淄博高新区聊斋文化研究院", PNE, CULTURE, "蒲亦安", "高创园 B 座", "", 300000,
         "聊斋文化研究、学术交流。", expires_in=45),
    Demo("淄博高新区合唱协会", SG, CULTURE, "褚红梅", "政通路 200 号", CULTURE_BUREAU, 30000,
         "合唱培训、演出和交流。", issued_days_ago=30, working_days=1),
    Demo("淄博高新区社区社会组织联合会", SG, LIVELIHOOD, "卫国平", "民生路 1 号", "", 50000,
         "社区社会组织培育、孵化和服务。", issued_days_ago=400, working_days=7),
    Demo("淄博高新区颐康养老服务中心", PNE, LIVELIHOOD, "蒋玉珍", "石桥街道 12 号", "", 500000,
         "居家养老、日间照料服务。", issued_days_ago=5, working_days=0, assisted=True),
    Demo("淄博高新区邻里互助服务中心", PNE, LIVELIHOOD, "沈立新", "卫固镇 8 号", "", 50000,
         "邻里互助、便民服务。", issued_days_ago=250, working_days=3),
    Demo("淄博高新区慈善助学促进会", SG, LIVELIHOOD, "韩志刚", "柳毅山路 30 号", "", 200000,
         "助学资助、公益慈善活动。", issued_days_ago=80, working_days=2),
    Demo("淄博高新区家政服务行业协会", SG, LIVELIHOOD, "杨春燕", "人民西路 77 号", "", 100000,
         "家政服务行业自律、培训和交流。", issued_days_ago=1000, working_days=9),
)  # fmt: skip


def demo_actor() -> User:
    """An existing window staff account, or a system account that cannot log in."""
    staff = User.objects.filter(role=Role.WINDOW_STAFF, is_active=True).order_by("id").first()
    if staff is not None:
        return staff
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"role": Role.WINDOW_STAFF, "display_name": "登记演示数据"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _submitted_on(calendar: WorkCalendar, issued: datetime.date, working_days: int) -> datetime.date:
    """The day `working_days` working days before `issued` (calendar days
    outside the working-day calendar's coverage)."""
    day, left = issued, working_days
    try:
        while left > 0:
            day -= datetime.timedelta(days=1)
            if calendar.is_workday(day):
                left -= 1
    except CalendarNotCovered:
        return issued - datetime.timedelta(days=working_days)
    return day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _approved(
    *, service: Service, demo: Demo, submitted: datetime.date, issued: datetime.date, index: int, **extra: Any
) -> Application:
    application = Application.objects.create(
        tracking_code=new_tracking_code(),
        service=service,
        state=State.APPROVED,
        org_name=demo.name,
        org_type=service.org_type or extra.pop("org_type"),
        pne_form="legal" if (service.org_type or "") == "pne" else "",
        field=demo.field,
        address=ADDRESS.format(demo.street),
        supervising_unit=demo.supervising_unit,
        funds=Decimal(demo.funds),
        business_scope=demo.scope,
        legal_representative=demo.legal_representative,
        applicant_name=demo.legal_representative,
        applicant_phone=f"1390533{index:04d}",
        assisted=demo.assisted,
        submitted_at=_at(submitted, 9),
        first_submitted_at=_at(submitted, 9),
        accepted_on=submitted,
        decided_at=_at(issued, 15),
        **extra,
    )
    _number(application)
    ApplicationEvent.objects.create(
        application=application,
        action="import",
        to_state=State.APPROVED,
        actor_label="演示数据",
        text="演示数据:历史登记记录。",
        public=False,
    )
    return application


def _number(application: Application) -> None:
    """The acceptance number of the day the application was accepted (the
    queue shows 未受理 for an application without one)."""
    if application.number or application.accepted_on is None:
        return
    application.number = allocate_number(
        model=Application,
        field_name="number",
        prefix=ACCEPTANCE_PREFIX,
        day=application.accepted_on,
        save=lambda n: Application.objects.filter(pk=application.pk, number__isnull=True).update(number=n),
    )


def build(*, today: datetime.date | None = None) -> dict[str, int]:
    """Create what is missing; returns counts of what was created. Demo
    applications written before they were numbered get their numbers."""
    seed_catalogue()
    for imported in Application.objects.filter(
        number__isnull=True, accepted_on__isnull=False, events__action="import"
    ).order_by("accepted_on", "pk"):
        _number(imported)
    today = today or timezone.localdate()
    actor = demo_actor()
    calendar = WorkCalendar()
    services = {s.code: s for s in Service.objects.all()}
    created = {"organisations": 0, "renewed": 0, "revoked": 0, "mail_renewals": 0}
    for index, demo in enumerate(DEMOS, start=1):
        if Organisation.objects.filter(name=demo.name).exists():
            continue
        with transaction.atomic():
            if demo.expires_in is not None:
                issued = add_years(today + datetime.timedelta(days=demo.expires_in + 1), -5)
            else:
                issued = today - datetime.timedelta(days=demo.issued_days_ago)
            submitted = _submitted_on(calendar, issued, demo.working_days)
            application = _approved(
                service=services[demo.service], demo=demo, submitted=submitted, issued=issued, index=index
            )
            certificate = certificate_issue(actor=actor, application=application, issued_on=issued)
            organisation = certificate.organisation
            # The legal representative's mobile on file too (the contact's comes
            # from the application): mail renewals are verified by SMS (ADR 0028).
            organisation.legal_representative_phone = f"1380533{index:04d}"
            organisation.save(update_fields=["legal_representative_phone"])
            created["organisations"] += 1
            if demo.renewed_days_ago is not None:
                renewed = today - datetime.timedelta(days=demo.renewed_days_ago)
                renewal = _approved(
                    service=services["renewal"],
                    demo=demo,
                    submitted=_submitted_on(calendar, renewed, 2),
                    issued=renewed,
                    index=index + 100,
                    org_type=organisation.org_type,
                    organisation=organisation,
                    inbound_tracking=f"11{index:02d}05330{index:04d}",
                    old_certificate_received_at=_at(renewed, 10),
                )
                certificate_issue(actor=actor, application=renewal, issued_on=renewed)
                created["renewed"] += 1
            if demo.revoked:
                organisation_revoke(actor=actor, organisation=organisation, reason="告知承诺核查不实(演示数据)")
                created["revoked"] += 1
            if demo.mail_renewal:
                try:
                    renewal_request(
                        organisation_credit_code=organisation.credit_code,
                        applicant_name=demo.legal_representative,
                        phone=f"1390534{index:04d}",
                        inbound_tracking=f"XX{index:08d}{s10_check_digit(f'{index:08d}')}CN",
                        today=today,
                    )
                    created["mail_renewals"] += 1
                except DomainError:
                    pass  # outside the renewal window on this day: leave it to the applicant
    return created


class Command(BaseCommand):
    help = "创建社会组织登记演示数据(约 20 个已登记组织及证书;幂等)。"

    def handle(self, *args: Any, **options: Any) -> None:
        created = build()
        total = Organisation.objects.filter(name__in=[d.name for d in DEMOS]).count()
        self.stdout.write(
            f"社会组织登记演示数据:新建 {created['organisations']} 个组织(共 {total} 个演示组织),"
            f"换证 {created['renewed']} 个,撤销 {created['revoked']} 个,不见面换证申请 {created['mail_renewals']} 件。"
        )
