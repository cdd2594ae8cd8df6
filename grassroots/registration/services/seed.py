"""The service catalogue this installation starts with: the registration
authority, five services with their legal basis, limits and materials, and
one window with its appointment slots.

`seed_catalogue` is idempotent and never overwrites: a row that exists (same
service code, requirement code, window name or slot start) is left as an
administrator may have edited it. It runs from the data migration
``0002_seed_catalogue`` (`migration_forward` / `migration_reverse`, which use
the migration's historical models) and can be called again at any time.

Time limits (`statutory_days`, `promised_days`) are working days, because the
clock machinery (suspensions under 《行政许可法》第四十五条, extensions under
第四十二条) counts working days. Where a regulation sets calendar days, the
stored figure is converted so that the deadline never falls later than the
regulation allows; see `ESTABLISH_STATUTORY_WORKING_DAYS`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .notice import validate_conditions

AUTHORITY_NAME = "淄博高新技术产业开发区行政审批服务局"
# 6-digit division code written into credit codes (GB 32100, positions 3–8).
# 370303 is the demo value of the source's district; each installation sets
# its own registration authority's code in the admin before issuing certificates.
AUTHORITY_DIVISION_CODE = "370303"
# Demo contact data; set the real address and phone in the admin.
AUTHORITY_ADDRESS = "淄博高新区政务服务中心二楼 社会组织登记窗口"
AUTHORITY_PHONE = "0533-12345678"

# 《社会团体登记管理条例》第十二条 and 《民办非企业单位登记管理暂行条例》第十一条
# give 60 days from receipt of all valid documents. These are calendar days:
# 《行政许可法》第八十二条 turns into working days only the limits that the
# Licensing Law itself sets. Storing 60 *working* days (as some provincial
# catalogues publish) would put the deadline about 84 calendar days out, past
# what the regulations allow. 36 is the largest N such that N working days
# after any day from 2005 to 2026 end within 60 calendar days, under the State
# Council's schedules (the tightest window is December 2019, before the
# extended 2020 Spring Festival); `test_seed` re-checks this over every year
# the calendar package covers. An installation that follows a provincial
# catalogue's "60个工作日" may change the figure in the admin.
ESTABLISH_STATUTORY_WORKING_DAYS = 36
# The source reports the legal-person certificate issued on the day of
# submission. The promise is the limit for *every* complete file, so it is one
# working day, not zero (same day): the same-day rate is reported by the
# statistics, not promised.
ESTABLISH_PROMISED_DAYS = 1
# 《行政许可法》第四十二条: 20 working days when no other law or regulation sets a limit.
LICENSING_LAW_DEFAULT_DAYS = 20

WINDOW_NAME = "社会组织登记窗口"
WINDOW_LOCATION = "政务服务中心二楼"
SLOT_MINUTES = 30
SLOT_CAPACITY = 2
# 09:00–12:00 and 13:30–17:00, half-hour slots (lunch break 12:00–13:30).
SLOT_PERIODS = ((datetime.time(9, 0), datetime.time(12, 0)), (datetime.time(13, 30), datetime.time(17, 0)))

SG = "《社会团体登记管理条例》"
PNE = "《民办非企业单位登记管理暂行条例》"


# 验资报告告知承诺制: the commitment replaces the report and a bank deposit
# voucher, uploaded as its own material kind, proves the funds
# (migration 0003 brings existing catalogues to this text).
FUNDS_COMMITMENT_DESCRIPTION = (
    "由窗口按您的申请生成,当场签字,承诺资金真实、足额到位,代替验资报告。承诺不实的,依法撤销登记。"
    "有银行存款凭证的,请一并上传(材料项目选“银行存款凭证”),作为资金到位的证明。"
)


@dataclass(frozen=True)
class Req:
    code: str
    name: str
    description: str
    copies: str = "原件 1 份"
    template: str = ""
    conditions: dict[str, Any] = field(default_factory=dict)
    commitment_replaceable: bool = False
    legal_basis: str = ""


@dataclass(frozen=True)
class Svc:
    code: str
    name: str
    kind: str
    org_type: str
    legal_basis: str
    statutory_days: int
    promised_days: int
    description: str
    requirements: tuple[Req, ...]
    online: bool = True
    no_visit: bool = False


def _supervisor(basis: str) -> Req:
    return Req(
        "supervisor-approval",
        "业务主管单位的批准文件",
        "业务主管单位出具的审查同意文件原件。行业协会商会类、科技类、公益慈善类、城乡社区服务类组织直接登记,不需要提交。",
        template="supervisor-opinion",
        conditions={"needs_supervisor": True},
        legal_basis=basis,
    )


def _funds(basis: str, minimum: str) -> tuple[Req, ...]:
    return (
        Req(
            "capital-report",
            "验资报告",
            f"会计师事务所出具的验资报告,证明{minimum}。可以签署告知承诺书或提交银行存款凭证代替。",
            conditions={"funds_proof": ["capital_report"]},
            commitment_replaceable=True,
            legal_basis=basis,
        ),
        Req(
            "bank-voucher",
            "银行存款凭证",
            f"银行出具的资金存款凭证,证明{minimum},代替验资报告。",
            copies="原件 1 份(核对后留存复印件)",
            conditions={"funds_proof": ["bank_voucher"]},
            legal_basis=f"{basis};告知承诺制改革措施",
        ),
        Req(
            "funds-commitment",
            "资金到位告知承诺书",
            FUNDS_COMMITMENT_DESCRIPTION,
            copies="原件 1 份(窗口生成)",
            conditions={"funds_proof": ["commitment"]},
            legal_basis=f"{basis};告知承诺制改革措施",
        ),
    )


def _premises(basis: str) -> tuple[Req, ...]:
    return (
        Req(
            "premises-title",
            "住所(场所)产权证明",
            "住所的不动产权证书(房产证)复印件;租用或无偿使用的,提供房屋产权人的产权证明复印件。",
            copies="复印件 1 份(核对原件)",
            template="premises-note",
            legal_basis=basis,
        ),
        Req(
            "premises-use",
            "租赁协议或无偿使用证明",
            "租用的,提供租期一年以上的租赁协议;无偿使用的,提供房屋产权人出具的无偿使用证明(签字或盖章)。",
            template="premises-note",
            conditions={"premises": ["leased", "free_use"]},
            legal_basis=basis,
        ),
    )


SOCIAL_GROUP_ESTABLISH = Svc(
    code="social-group-establish",
    name="社会团体成立登记",
    kind="establish",
    org_type="social_group",
    legal_basis=f"{SG}第十条、第十一条、第十二条;《中华人民共和国行政许可法》第三十二条",
    statutory_days=ESTABLISH_STATUTORY_WORKING_DAYS,
    promised_days=ESTABLISH_PROMISED_DAYS,
    description=(
        "成立社会团体(协会、学会、联合会、研究会、促进会等)。法定期限为自收到全部有效文件之日起 60 日"
        f"({SG}第十二条),本机关按 {ESTABLISH_STATUTORY_WORKING_DAYS} 个工作日掌握,承诺材料齐全的 "
        f"{ESTABLISH_PROMISED_DAYS} 个工作日内办结。"
    ),
    requirements=(
        Req(
            "application",
            "社会团体成立登记申请书",
            "由发起人填写并签字,单位发起人加盖公章。不会填写的,窗口工作人员可以帮您填(帮办)。",
            template="social-group-application",
            legal_basis=f"{SG}第十一条第(一)项",
        ),
        _supervisor(f"{SG}第三条、第十一条第(二)项"),
        *_funds(f"{SG}第十一条第(三)项", "活动资金不少于 3 万元(地方性社会团体,第十条)"),
        *_premises(f"{SG}第十一条第(三)项"),
        Req(
            "founders-leaders",
            "发起人和拟任负责人的基本情况、身份证明",
            "发起人名单及身份证复印件(单位发起人提供营业执照或登记证书复印件);拟任会长、副会长、秘书长的基本情况表和身份证复印件。",
            copies="各 1 份",
            legal_basis=f"{SG}第十一条第(四)项",
        ),
        Req(
            "legal-representative",
            "法定代表人登记表",
            "拟任法定代表人填写并签字,附身份证复印件和近期一寸免冠照片。",
            template="legal-rep-form",
            legal_basis=f"{SG}第十一条第(四)项",
        ),
        Req(
            "charter",
            "章程草案",
            "经发起人(会员)讨论通过的章程草案,可参照章程示范文本填写。",
            template="model-charter-social-group",
            legal_basis=f"{SG}第十一条第(五)项",
        ),
    ),
)

PNE_ESTABLISH = Svc(
    code="pne-establish",
    name="民办非企业单位(法人)成立登记",
    kind="establish",
    org_type="pne",
    legal_basis=f"{PNE}第八条、第九条、第十一条、第十二条;《中华人民共和国行政许可法》第三十二条",
    statutory_days=ESTABLISH_STATUTORY_WORKING_DAYS,
    promised_days=ESTABLISH_PROMISED_DAYS,
    description=(
        "举办民办非企业单位(社会服务机构),如培训学校、养老院、艺术团、医疗机构。"
        "法定期限为自收到全部有效文件之日起 60 日"
        f"({PNE}第十一条),本机关按 {ESTABLISH_STATUTORY_WORKING_DAYS} 个工作日掌握,承诺材料齐全的 "
        f"{ESTABLISH_PROMISED_DAYS} 个工作日内办结。"
    ),
    requirements=(
        Req(
            "application",
            "民办非企业单位成立登记申请书",
            "由举办者填写并签字(单位举办者加盖公章)。不会填写的,窗口工作人员可以帮您填(帮办)。",
            template="pne-application",
            legal_basis=f"{PNE}第九条第(一)项",
        ),
        _supervisor(f"{PNE}第八条第(一)项、第九条第(二)项"),
        *_premises(f"{PNE}第九条第(三)项"),
        *_funds(f"{PNE}第九条第(四)项", "开办资金与业务活动相适应且不少于本机关规定的数额"),
        Req(
            "leaders",
            "拟任负责人的基本情况、身份证明",
            "拟任理事长(院长、校长等)和理事、监事的基本情况表及身份证复印件。",
            copies="各 1 份",
            legal_basis=f"{PNE}第九条第(五)项",
        ),
        Req(
            "legal-representative",
            "法定代表人登记表",
            "拟任法定代表人填写并签字,附身份证复印件和近期一寸免冠照片。",
            template="legal-rep-form",
            conditions={"pne_form": ["legal"]},
            legal_basis=f"{PNE}第九条第(五)项、第十二条",
        ),
        Req(
            "partnership-agreement",
            "合伙协议",
            "全体合伙人签字的合伙协议,写明出资和责任承担方式,附各合伙人身份证复印件。",
            conditions={"pne_form": ["partnership"]},
            legal_basis=f"{PNE}第十二条",
        ),
        Req(
            "charter",
            "章程草案",
            "举办者拟定的章程草案,可参照章程示范文本填写。",
            template="model-charter-pne",
            legal_basis=f"{PNE}第九条第(六)项、第十条",
        ),
    ),
)

RENEWAL = Svc(
    code="renewal",
    name="登记证书换证",
    kind="renewal",
    org_type="",
    legal_basis="《中华人民共和国行政许可法》第四十二条、第五十条;登记证书有效期由本机关确定",
    statutory_days=LICENSING_LAW_DEFAULT_DAYS,
    promised_days=3,
    description=(
        "登记证书有效期届满前换发新证。不见面审批:网上申请,无需提交材料,"
        "通过 EMS 政务专递寄来旧证,新证免费寄回。请在有效期届满 30 日前申请(《行政许可法》第五十条)。"
    ),
    no_visit=True,
    requirements=(
        Req(
            "old-certificate",
            "原登记证书(正本、副本)",
            "用 EMS 政务专递寄至本机关,网上申请时填写邮件单号即可,无需到场,无需其他材料。",
            copies="原件(邮寄)",
            legal_basis="《中华人民共和国行政许可法》第五十条",
        ),
    ),
)

CHANGE = Svc(
    code="change",
    name="变更登记",
    kind="change",
    org_type="",
    legal_basis=f"{SG}第十八条;{PNE}第十五条;《中华人民共和国行政许可法》第四十二条",
    statutory_days=LICENSING_LAW_DEFAULT_DAYS,
    promised_days=5,
    description=(
        "名称、住所、业务范围、法定代表人、开办(活动)资金、业务主管单位等登记事项变更。"
        "请自业务主管单位审查同意之日起 30 日内申请。网上申请暂未开通,请到窗口办理。"
    ),
    online=False,
    requirements=(
        Req(
            "change-application",
            "变更登记申请书",
            "法定代表人签字并加盖本组织印章,写明变更事项和理由。",
            legal_basis=f"{SG}第十八条;{PNE}第十五条",
        ),
        _supervisor(f"{SG}第十八条;{PNE}第十五条"),
        Req(
            "resolution",
            "会员(代表)大会或理事会决议",
            "决定变更事项的会议决议,附到会人员签名。",
            legal_basis="本组织章程",
        ),
        Req(
            "change-evidence",
            "变更事项的证明材料",
            "如新住所的产权证明和使用证明、新法定代表人的登记表和身份证复印件、资金变更的验资报告等。",
            copies="各 1 份",
        ),
        Req("certificate", "登记证书正本、副本", "办理后换发新证。", copies="原件"),
    ),
)

DEREGISTER = Svc(
    code="deregister",
    name="注销登记",
    kind="deregister",
    org_type="",
    legal_basis=f"{SG}第十九条至第二十二条;{PNE}第十六条至第十九条;《中华人民共和国行政许可法》第四十二条",
    statutory_days=LICENSING_LAW_DEFAULT_DAYS,
    promised_days=5,
    description=(
        "社会组织解散、分立、合并或终止,完成清算后办理注销登记。"
        "请自清算结束之日起 15 日内申请。网上申请暂未开通,请到窗口办理。"
    ),
    online=False,
    requirements=(
        Req(
            "deregister-application",
            "注销登记申请书",
            "法定代表人签字并加盖本组织印章。",
            legal_basis=f"{SG}第二十一条;{PNE}第十八条",
        ),
        _supervisor(f"{SG}第十九条、第二十一条;{PNE}第十八条"),
        Req(
            "liquidation-report",
            "清算报告书",
            "清算组织出具的清算报告,写明财产处置和债权债务清理情况。",
            legal_basis=f"{SG}第二十条、第二十一条;{PNE}第十七条、第十八条",
        ),
        Req(
            "certificate-seals",
            "登记证书正副本、印章和财务凭证",
            "准予注销后由登记机关收缴。",
            copies="原件",
            legal_basis=f"{SG}第二十二条;{PNE}第十九条",
        ),
    ),
)

SERVICES: tuple[Svc, ...] = (SOCIAL_GROUP_ESTABLISH, PNE_ESTABLISH, RENEWAL, CHANGE, DEREGISTER)


def slot_times() -> list[tuple[datetime.time, datetime.time]]:
    times = []
    for start, end in SLOT_PERIODS:
        current = datetime.datetime.combine(datetime.date(2000, 1, 1), start)
        stop = datetime.datetime.combine(datetime.date(2000, 1, 1), end)
        while current < stop:
            following = current + datetime.timedelta(minutes=SLOT_MINUTES)
            times.append((current.time(), following.time()))
            current = following
    return times


@dataclass
class SeedResult:
    authority_created: bool = False
    services_created: list[str] = field(default_factory=list)
    requirements_created: int = 0
    window_created: bool = False
    slots_created: int = 0


def _models(apps: Any) -> dict[str, Any]:
    if apps is None:
        from .. import models

        return {
            name: getattr(models, name)
            for name in ("Authority", "Service", "MaterialRequirement", "Window", "SlotTemplate")
        }
    return {
        name: apps.get_model("registration", name)
        for name in ("Authority", "Service", "MaterialRequirement", "Window", "SlotTemplate")
    }


def seed_catalogue(*, apps: Any = None) -> SeedResult:
    """Create what is missing of the catalogue; leave existing rows alone.
    `apps` is the migration's app registry (historical models); None uses the
    current models."""
    m = _models(apps)
    result = SeedResult()
    with transaction.atomic():
        if not m["Authority"].objects.exists():
            m["Authority"].objects.create(
                name=AUTHORITY_NAME,
                division_code=AUTHORITY_DIVISION_CODE,
                certificate_validity_years=5,
                address=AUTHORITY_ADDRESS,
                phone=AUTHORITY_PHONE,
            )
            result.authority_created = True
        for order, svc in enumerate(SERVICES, start=1):
            service, created = m["Service"].objects.get_or_create(
                code=svc.code,
                defaults={
                    "name": svc.name,
                    "kind": svc.kind,
                    "org_type": svc.org_type,
                    "legal_basis": svc.legal_basis,
                    "statutory_days": svc.statutory_days,
                    "promised_days": svc.promised_days,
                    "online": svc.online,
                    "no_visit": svc.no_visit,
                    "description": svc.description,
                    "sort_order": order * 10,
                },
            )
            if created:
                result.services_created.append(svc.code)
            for req_order, req in enumerate(svc.requirements, start=1):
                validate_conditions(req.conditions)
                _requirement, req_created = m["MaterialRequirement"].objects.get_or_create(
                    service=service,
                    code=req.code,
                    defaults={
                        "name": req.name,
                        "description": req.description,
                        "copies": req.copies,
                        "template": req.template,
                        "conditions": req.conditions,
                        "commitment_replaceable": req.commitment_replaceable,
                        "legal_basis": req.legal_basis,
                        "sort_order": req_order * 10,
                    },
                )
                result.requirements_created += int(req_created)
        window, result.window_created = m["Window"].objects.get_or_create(
            name=WINDOW_NAME, defaults={"location": WINDOW_LOCATION, "active": True}
        )
        for start, end in slot_times():
            _slot, slot_created = m["SlotTemplate"].objects.get_or_create(
                window=window, start_time=start, defaults={"end_time": end, "capacity": SLOT_CAPACITY}
            )
            result.slots_created += int(slot_created)
    return result


def unseed_catalogue(*, apps: Any = None) -> None:
    """Delete the seeded rows (the reverse of the data migration). Fails with
    ProtectedError once appointments or applications refer to them, which is
    what a reverse migration over real data should do."""
    m = _models(apps)
    with transaction.atomic():
        m["Window"].objects.filter(name=WINDOW_NAME).delete()  # slot templates cascade
        m["Service"].objects.filter(code__in=[s.code for s in SERVICES]).delete()  # requirements cascade
        m["Authority"].objects.filter(name=AUTHORITY_NAME).delete()


def migration_forward(apps: Any, schema_editor: Any) -> None:
    seed_catalogue(apps=apps)


def migration_reverse(apps: Any, schema_editor: Any) -> None:
    unseed_catalogue(apps=apps)
