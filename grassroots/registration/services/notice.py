"""One-time notice (一次性告知): the applicant answers a few questions and gets
the complete list of materials for their situation, on a page and as a PDF.

《行政许可法》第三十二条 obliges the authority to notify everything that is
missing at once; the surest way to honour it is to tell the applicant
everything that is needed before they come. The list is computed from the
service's `MaterialRequirement` rows and their `conditions`:

* ``{}`` (empty) — the material is always required;
* every key must hold (AND); a key names a field of `NoticeAnswers`;
* a list value means "the answer is one of these", e.g.
  ``{"funds_proof": ["capital_report"]}``; a scalar means "equals", e.g.
  ``{"needs_supervisor": true}``.

An unknown key (an administrator's typo) does not hide a material: the
requirement is listed, because telling an applicant about one document too
many costs a question at the window, while leaving one out costs a second
visit — exactly what the one-time notice exists to prevent. `validate_conditions`
catches such typos when the catalogue is written (seed, admin).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from grassroots.core.documents import qr_svg, render_pdf
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.links import public_base_url, public_url

from ..models import Authority, MaterialRequirement, OrgType, PneForm, Service, ServiceKind

logger = logging.getLogger(__name__)

FUNDS_PROOF_CHOICES = ("capital_report", "commitment", "bank_voucher")
PREMISES_CHOICES = ("owned", "leased", "free_use")

# Keys a requirement's `conditions` may use: the fields of NoticeAnswers.
CONDITION_KEYS = frozenset({"org_type", "pne_form", "needs_supervisor", "funds_proof", "has_premises", "premises"})


@dataclass(frozen=True)
class NoticeAnswers:
    """The applicant's situation. Defaults describe the most demanding case
    (a supervising unit, a capital-verification report), so that a caller
    that knows nothing still gets the complete statutory list."""

    org_type: str = ""
    pne_form: str = ""
    # False for the four kinds that register directly (行业协会商会类、科技类、
    # 公益慈善类、城乡社区服务类): no supervising unit's approval is needed.
    needs_supervisor: bool = True
    funds_proof: str = "capital_report"
    has_premises: bool = True
    premises: str = "owned"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NoticeAnswers:
        """From `to_dict` output (e.g. `Application.answers`); unknown keys are ignored."""
        known = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        return cls(**known)


# --- Questions -------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    explanation: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    help: str
    choices: tuple[Choice, ...]

    def label_of(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)


Q_PNE_FORM = Question(
    key="pne_form",
    label="准备以哪种形式举办?",
    help="民办非企业单位按承担民事责任的方式分为法人、合伙、个体三种,登记证书不同(《民办非企业单位登记管理暂行条例》第十二条)。大多数机构选“法人”。",
    choices=(
        Choice(PneForm.LEGAL, "法人", "以机构的全部财产承担责任,需要确定一名法定代表人。"),
        Choice(PneForm.PARTNERSHIP, "合伙", "两人以上合伙举办,合伙人共同承担责任,需要合伙协议。"),
        Choice(PneForm.INDIVIDUAL, "个体", "一个人举办,由举办人个人承担责任。"),
    ),
)
Q_DIRECT = Question(
    key="direct",
    label="是否属于可直接登记的四类组织?",
    help="行业协会商会类、科技类、公益慈善类、城乡社区服务类社会组织可以直接登记,不需要先找业务主管单位审查同意。拿不准的,请选“不是”或电话咨询。",
    choices=(
        Choice("yes", "是,属于这四类之一", "直接登记,不用提交业务主管单位的批准文件。"),
        Choice("no", "不是,或拿不准", "需要先请业务主管单位(如教育、卫生、文化、体育等主管部门)审查同意。"),
    ),
)
Q_FUNDS = Question(
    key="funds_proof",
    label="资金用什么证明?",
    help="成立时要证明资金真实到位。除了会计师事务所的验资报告,现在也可以当场签一份告知承诺书,或者交银行存款凭证。",
    choices=(
        Choice("capital_report", "验资报告", "由会计师事务所出具。"),
        Choice(
            "commitment", "签署告知承诺书", "在窗口当场签字承诺资金真实到位,不用再交验资报告;承诺不实将被撤销登记。"
        ),
        Choice("bank_voucher", "银行存款凭证", "银行出具的资金存款凭证,代替验资报告。"),
    ),
)
Q_PREMISES = Question(
    key="premises",
    label="办公场所(住所)是什么情况?",
    help="成立登记要有固定的住所或必要的场所。",
    choices=(
        Choice("owned", "自有房屋", "交房产证(不动产权证书)复印件。"),
        Choice("leased", "租用的房屋", "交租赁协议和房东的房产证复印件。"),
        Choice("free_use", "别人无偿提供", "交无偿使用证明和房屋产权人的房产证复印件。"),
        Choice("none", "还没有落实", "需要先落实场所再申请登记。"),
    ),
)


def questions_for(service: Service) -> list[Question]:
    """The questions that change the material list of `service`."""
    if service.kind == ServiceKind.ESTABLISH:
        questions = [Q_PNE_FORM] if service.org_type == OrgType.PNE else []
        return [*questions, Q_DIRECT, Q_FUNDS, Q_PREMISES]
    if service.kind in {ServiceKind.CHANGE, ServiceKind.DEREGISTER}:
        return [Q_DIRECT]
    return []  # renewal: nothing to decide


class NoticeAnswersInvalid(DomainError):
    """Some answers are missing or not among the choices; `errors` maps each
    question key to a Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("notice_answers_invalid", "请回答下面标红的问题后再查看材料清单。", field=next(iter(errors)))
        self.errors = errors


def parse_answers(*, service: Service, data: Mapping[str, Any]) -> NoticeAnswers:
    """Answers from a query string, a form or JSON (question key → choice
    value). Raises `NoticeAnswersInvalid` listing every bad or missing answer."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in questions_for(service):
        raw = data.get(question.key)
        value = str(raw).strip() if raw is not None else ""
        if not value:
            errors[question.key] = f"请回答:{question.label}"
        elif value not in {c.value for c in question.choices}:
            errors[question.key] = f"“{question.label}”的回答无效,请从选项中选择。"
        else:
            values[question.key] = value
    if errors:
        raise NoticeAnswersInvalid(errors)
    premises = values.get("premises", "owned")
    return NoticeAnswers(
        org_type=service.org_type,
        pne_form=values.get("pne_form", PneForm.LEGAL if service.org_type == OrgType.PNE else ""),
        needs_supervisor=values.get("direct", "no") != "yes",
        funds_proof=values.get("funds_proof", "capital_report"),
        has_premises=premises != "none",
        premises=premises if premises != "none" else "owned",
    )


def answers_as_query(answers: NoticeAnswers) -> dict[str, str]:
    """The inverse of `parse_answers`: question key → choice value."""
    return {
        "pne_form": answers.pne_form,
        "direct": "no" if answers.needs_supervisor else "yes",
        "funds_proof": answers.funds_proof,
        "premises": answers.premises if answers.has_premises else "none",
    }


def answer_summary(*, service: Service, answers: NoticeAnswers) -> list[tuple[str, str]]:
    """(question, chosen answer) pairs for the page and the PDF."""
    chosen = answers_as_query(answers)
    return [(q.label, q.label_of(chosen[q.key])) for q in questions_for(service)]


# --- Conditions ---------------------------------------------------------------


def validate_conditions(conditions: Mapping[str, Any]) -> None:
    """Raise `DomainError` if `conditions` uses an unknown key or a bad value type."""
    if not isinstance(conditions, Mapping):
        raise DomainError("conditions_invalid", "适用条件必须是 JSON 对象。", field="conditions")
    for key, expected in conditions.items():
        if key not in CONDITION_KEYS:
            raise DomainError(
                "conditions_invalid",
                f"适用条件中的“{key}”不是一次性告知的问题,可用:{'、'.join(sorted(CONDITION_KEYS))}。",
                field="conditions",
            )
        items = expected if isinstance(expected, list) else [expected]
        if not items or not all(isinstance(item, str | bool) for item in items):
            raise DomainError("conditions_invalid", f"适用条件“{key}”的取值无效。", field="conditions")


def conditions_match(conditions: Mapping[str, Any], answers: NoticeAnswers) -> bool:
    for key, expected in (conditions or {}).items():
        if key not in CONDITION_KEYS:
            logger.warning("Unknown material condition %r; listing the material to be safe.", key)
            continue
        actual = getattr(answers, key)
        if isinstance(expected, list):
            if actual not in expected:
                return False
        elif actual != expected:
            return False
    return True


def requirements_for(*, service: Service, answers: NoticeAnswers) -> list[MaterialRequirement]:
    """The materials `service` requires in the situation `answers`, in catalogue order."""
    return [r for r in service.requirements.all() if conditions_match(r.conditions, answers)]


def notice_notes(*, service: Service, answers: NoticeAnswers) -> list[str]:
    """Plain-language remarks that go with the list (page and PDF)."""
    notes: list[str] = []
    if not service.online:
        notes.append("本事项暂不能网上申请,请到窗口办理;可先预约,减少等候。")
    if service.no_visit:
        notes.append("本事项“不见面审批”:网上申请,通过 EMS 政务专递寄送旧证,新证书免费寄回,无需到场。")
    if service.kind == ServiceKind.ESTABLISH:
        if not answers.needs_supervisor:
            notes.append(
                "您选择了直接登记:请在申请书中写明属于哪一类(行业协会商会类、科技类、公益慈善类或城乡社区服务类)。"
            )
        if answers.funds_proof == "commitment":
            notes.append("告知承诺:签署承诺书后不再提交验资报告。登记机关会在登记后核查,承诺不实的将依法撤销登记。")
        if not answers.has_premises:
            notes.append("成立登记须有固定的住所或必要的场所。请先落实场所,再按本清单准备住所证明材料。")
        if service.org_type == OrgType.SOCIAL_GROUP:
            notes.append(
                "社会团体成立条件(《社会团体登记管理条例》第十条):有 50 个以上个人会员或 30 个以上单位会员"
                "(两者都有的,合计不少于 50 个);地方性社会团体有 3 万元以上活动资金。"
            )
        if service.org_type == OrgType.PNE and answers.pne_form != PneForm.LEGAL:
            notes.append("合伙、个体形式的民办非企业单位,申请书和登记证书与法人形式不同,窗口可提供相应表格。")
    notes.append("委托他人代为办理的,另需提交授权委托书和受托人身份证复印件。")
    notes.append("材料齐全的,窗口当场受理;需要补正的,一次性告知全部内容(《行政许可法》第三十二条)。")
    return notes


# --- Document templates for download ---------------------------------------------------

TEMPLATE_DIR = "registration/documents/templates/"


@dataclass(frozen=True)
class DocumentTemplate:
    key: str
    title: str
    template_name: str
    context: tuple[tuple[str, str], ...] = ()


DOCUMENT_TEMPLATES: dict[str, DocumentTemplate] = {
    t.key: t
    for t in (
        DocumentTemplate(
            "social-group-application", "社会团体成立登记申请书", TEMPLATE_DIR + "social_group_application.html"
        ),
        DocumentTemplate(
            "pne-application", "民办非企业单位(法人)成立登记申请书", TEMPLATE_DIR + "pne_application.html"
        ),
        DocumentTemplate(
            "model-charter-social-group",
            "社会团体章程示范文本",
            TEMPLATE_DIR + "model_charter.html",
            (("org_type", OrgType.SOCIAL_GROUP),),
        ),
        DocumentTemplate(
            "model-charter-pne",
            "民办非企业单位章程示范文本",
            TEMPLATE_DIR + "model_charter.html",
            (("org_type", OrgType.PNE),),
        ),
        DocumentTemplate("legal-rep-form", "法定代表人登记表", TEMPLATE_DIR + "legal_representative.html"),
        DocumentTemplate(
            "supervisor-opinion", "业务主管单位审查同意意见(样式)", TEMPLATE_DIR + "supervisor_opinion.html"
        ),
        DocumentTemplate("premises-note", "住所证明说明", TEMPLATE_DIR + "premises_note.html"),
    )
}


def authority_get() -> Authority | None:
    """The registration authority of this installation (one row, see the model)."""
    return Authority.objects.order_by("pk").first()


def document_template_pdf(*, key: str) -> tuple[str, bytes]:
    """(file name, PDF bytes) of a blank form or sample for download."""
    document = DOCUMENT_TEMPLATES.get(key)
    if document is None:
        raise NotFound("没有这个模板。")
    context: dict[str, Any] = {"title": document.title, "authority": authority_get(), **dict(document.context)}
    return f"{document.title}.pdf", render_pdf(template_name=document.template_name, context=context)


# --- The notice ------------------------------------------------------------------------------


def notice_url(*, service: Service, answers: NoticeAnswers, pdf: bool = False) -> str:
    """Path of the notice page (or its PDF) for these answers: shareable, re-computable."""
    query = {"service": service.code, **{q.key: answers_as_query(answers)[q.key] for q in questions_for(service)}}
    name = "registration-public:appt-notice-pdf" if pdf else "registration-public:appt-notice"
    return f"{reverse(name)}?{urlencode({**query, 'go': '1'} if not pdf else query)}"


def notice_context(*, service: Service, answers: NoticeAnswers) -> dict[str, Any]:
    """Everything the notice page and the PDF show."""
    requirements = requirements_for(service=service, answers=answers)
    items = []
    for requirement in requirements:
        document = DOCUMENT_TEMPLATES.get(requirement.template)
        items.append(
            {
                "requirement": requirement,
                "template_url": reverse("registration-public:appt-template", args=[document.key]) if document else "",
                "template_title": document.title if document else "",
            }
        )
    return {
        "service": service,
        "answers": answers,
        "summary": answer_summary(service=service, answers=answers),
        "items": items,
        "notes": notice_notes(service=service, answers=answers),
        "authority": authority_get(),
        "issued_on": timezone.localdate(),
        "page_url": notice_url(service=service, answers=answers),
        "pdf_url": notice_url(service=service, answers=answers, pdf=True),
    }


def notice_pdf(*, service: Service, answers: NoticeAnswers, issued_on: datetime.date | None = None) -> bytes:
    """The one-time notice (一次性告知单) as an A4 PDF, with the authority's
    address and phone and a QR code back to the same list online."""
    context = notice_context(service=service, answers=answers)
    if issued_on is not None:
        context["issued_on"] = issued_on
    context["qr"] = qr_svg(public_url(context["page_url"]), scale=2)
    context["base_url"] = public_base_url()
    return render_pdf(template_name="registration/public/notice/notice_pdf.html", context=context)
