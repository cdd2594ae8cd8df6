"""Forms of the application pages (staff and applicant). They only parse
input; the services validate the rules and their `DomainError`s come back
onto the form (`add_domain_error`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error
from grassroots.core.inputs import input_from
from grassroots.core.masking import mask_phone

from ..models import Application, Appointment, ClockStop, MaterialStatus, Service
from ..selectors.applications import (
    EXTRA_AUTHORISATION,
    EXTRA_BANK_VOUCHER,
    EXTRA_LABELS,
    EXTRA_OTHER,
    Checklist,
    is_commitment_requirement,
)
from ..services.applications import ApplicationInput, Verdict
from ..services.decisions import SUSPENSION_KINDS
from ..services.notice import NoticeAnswers, NoticeAnswersInvalid, answers_as_query, parse_answers, questions_for
from ..states import State


class DomainErrorMixin:
    def add_domain_error(self, exc: DomainError) -> None:
        form: Any = self
        add_domain_error(form, exc)


class ApplicationForm(DomainErrorMixin, forms.Form):
    """The application form (申请表) with the one-time-notice questions of the
    service, which decide the material list."""

    org_name = forms.CharField(label="拟成立组织名称", max_length=100)
    field = forms.CharField(
        label="业务领域", max_length=50, required=False, help_text="如:养老服务、文化艺术、体育健身。"
    )
    address = forms.CharField(label="住所", max_length=200, required=False)
    supervising_unit = forms.CharField(
        label="业务主管单位", max_length=100, required=False, help_text="直接登记的四类组织可不填。"
    )
    funds = forms.DecimalField(
        label="开办(活动)资金(元)", min_value=Decimal(0), max_digits=14, decimal_places=2, required=False
    )
    business_scope = forms.CharField(label="业务范围", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    legal_representative = forms.CharField(label="拟任法定代表人", max_length=50, required=False)
    applicant_name = forms.CharField(label="申请人(经办人)姓名", max_length=50)
    applicant_phone = forms.CharField(
        label="手机号码",
        max_length=20,
        help_text="用于接收办理进度短信。",
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    applicant_id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    agent_name = forms.CharField(
        label="代理人姓名", max_length=50, required=False, help_text="由他人代为办理时填写;代理人须先上传授权委托书。"
    )

    def __init__(self, *args: Any, service: Service, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.answers: NoticeAnswers | None = None
        self.questions = questions_for(service)
        for question in self.questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.label,
                help_text=question.help,
                choices=[(c.value, c.label) for c in question.choices],
                widget=forms.RadioSelect,
            )
        if not public:
            del self.fields["agent_name"]  # staff filling in (帮办) act for the applicant themselves
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("class", "form-control")
                field.widget.attrs.setdefault("id", f"id_{name}")

    @property
    def question_fields(self) -> list[tuple[Any, Any]]:
        return [(question, self[question.key]) for question in self.questions]

    @property
    def plain_fields(self) -> list[Any]:
        keys = {question.key for question in self.questions}
        return [self[name] for name in self.fields if name not in keys]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.questions and not any(q.key in self.errors for q in self.questions):
            try:
                self.answers = parse_answers(service=self.service, data=data)
            except NoticeAnswersInvalid as exc:
                for key, message in exc.errors.items():
                    self.add_error(key if key in self.fields else None, message)
        elif not self.questions:
            self.answers = NoticeAnswers(org_type=self.service.org_type)
        return data

    def to_input(self) -> ApplicationInput:
        data = self.cleaned_data
        answers = self.answers or NoticeAnswers(org_type=self.service.org_type)
        return input_from(
            ApplicationInput,
            data,
            org_type=self.service.org_type or "",
            pne_form=answers.pne_form,
            answers=answers.to_dict(),
        )


def initial_from_application(application: Application) -> dict[str, Any]:
    answers = NoticeAnswers.from_dict(application.answers or {})
    return {
        "org_name": application.org_name,
        "field": application.field,
        "address": application.address,
        "supervising_unit": application.supervising_unit,
        "funds": application.funds,
        "business_scope": application.business_scope,
        "legal_representative": application.legal_representative,
        "applicant_name": application.applicant_name,
        "applicant_phone": application.applicant_phone,
        "applicant_id_number": application.applicant_id_number,
        "agent_name": application.agent_name,
        **answers_as_query(answers),
    }


def initial_from_appointment(appointment: Appointment) -> dict[str, Any]:
    """帮办 from a booking: the booker is usually the applicant."""
    return {
        "applicant_name": appointment.name,
        "applicant_phone": appointment.phone,
        "legal_representative": appointment.name,
    }


def appointment_label(appointment: Appointment) -> str:
    when = f"{appointment.date:%Y-%m-%d} {appointment.slot.start_time:%H:%M}"
    return f"{when} {appointment.name} {mask_phone(appointment.phone)}"


class UploadForm(DomainErrorMixin, forms.Form):
    target = forms.ChoiceField(label="材料项目")
    file = forms.FileField(label="文件(照片或 PDF,不超过 10 MB)")
    authorisation_letter = forms.FileField(label="授权委托书(代理人首次上传时附上)", required=False)

    def __init__(self, *args: Any, checklist: Checklist, agent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (item.key, item.name)
            for item in checklist.items
            if item.requirement is not None and not is_commitment_requirement(item.requirement)
        ]
        if checklist.funds_by_commitment:
            choices.append((EXTRA_BANK_VOUCHER, f"{EXTRA_LABELS[EXTRA_BANK_VOUCHER]}(与告知承诺书一并证明资金到位)"))
        choices += [(EXTRA_AUTHORISATION, EXTRA_LABELS[EXTRA_AUTHORISATION]), (EXTRA_OTHER, EXTRA_LABELS[EXTRA_OTHER])]
        cast(forms.ChoiceField, self.fields["target"]).choices = choices
        self.requirements = {item.key: item.requirement for item in checklist.items}
        if not agent:
            del self.fields["authorisation_letter"]
        self.fields["target"].widget.attrs["class"] = "form-select"
        for name in ("file", "authorisation_letter"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"class": "form-control", "accept": "image/*,application/pdf"})

    def destination(self) -> tuple[Any, str]:
        """(requirement, extra_kind) of the chosen item."""
        target = self.cleaned_data["target"]
        if target in self.requirements:
            return self.requirements[target], ""
        return None, target


STATUS_CHOICES = [
    ("", "—"),
    (MaterialStatus.OK, "符合"),
    (MaterialStatus.MISSING, "缺少"),
    (MaterialStatus.WRONG, "不符合要求"),
]


class ReviewForm(DomainErrorMixin, forms.Form):
    """One verdict (and reason) per line of the checklist."""

    def __init__(self, *args: Any, checklist: Checklist, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: list[tuple[Any, Any, Any]] = []
        for item in checklist.all_items:
            if item.status == MaterialStatus.REPLACED:
                continue
            status = forms.ChoiceField(label=item.name, choices=STATUS_CHOICES, required=False)
            status.widget.attrs["class"] = "form-select form-select-sm"
            if item.status in (MaterialStatus.OK, MaterialStatus.MISSING, MaterialStatus.WRONG):
                status.initial = item.status
            reason = forms.CharField(label="理由", max_length=200, required=False, initial=item.reason)
            reason.widget.attrs.update(
                {"class": "form-control form-control-sm", "placeholder": "缺少或不符合时写明理由"}
            )
            self.fields[f"s_{item.key}"] = status
            self.fields[f"why_{item.key}"] = reason
            self.lines.append((item, self[f"s_{item.key}"], self[f"why_{item.key}"]))

    def verdicts(self) -> list[Verdict]:
        result = []
        for item, status_field, reason_field in self.lines:
            status = self.cleaned_data.get(status_field.name) or ""
            if not status:
                continue
            reason = self.cleaned_data.get(reason_field.name) or ""
            if item.key.startswith("r"):
                result.append(Verdict(status=status, reason=reason, requirement_id=int(item.key[1:])))
            elif item.key.startswith("m"):
                result.append(Verdict(status=status, reason=reason, material_id=int(item.key[1:])))
            else:
                result.append(Verdict(status=status, reason=reason, extra_kind=item.key))
        return result


class ConfirmForm(DomainErrorMixin, forms.Form):
    pass


class SubmitForm(DomainErrorMixin, forms.Form):
    """Submit or resubmit. With materials missing (`missing`, their names)
    the form carries the explicit confirmation the service asks for."""

    confirm_incomplete = forms.BooleanField(
        label="缺少材料,仍要提交(窗口将在初审时一次性告知需要补正的全部材料)", required=False
    )

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing = missing
        if missing:
            self.fields["confirm_incomplete"].widget.attrs.update({"class": "form-check-input", "required": True})
        else:
            del self.fields["confirm_incomplete"]

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm_incomplete"))


class ReasonForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(
        label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class OptionalReasonForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(
        label="决定说明(可不填)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class SuspendForm(DomainErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label="事由",
        choices=[(k.value, k.label) for k in ClockStop.Kind if k in SUSPENSION_KINDS],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(label="说明", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    started_on = forms.DateField(
        label="中止日期", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


class ResumeForm(DomainErrorMixin, forms.Form):
    ended_on = forms.DateField(
        label="中止期间最后一日",
        required=False,
        help_text="默认今天;该日仍不计入期限。",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )


class ExtendForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(
        label="延期理由(经负责人批准,告知申请人)",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class WithdrawForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(
        label="撤回原因(可不填)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class SignForm(DomainErrorMixin, forms.Form):
    signed_copy = forms.FileField(
        label="签字后的告知承诺书(拍照或扫描)",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "image/*,application/pdf"}),
    )


class VerifyForm(DomainErrorMixin, forms.Form):
    truthful = forms.TypedChoiceField(
        label="核查结果",
        choices=[("1", "属实"), ("0", "不实(撤销登记)")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="核查情况",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False)
    service = forms.ModelChoiceField(
        label="事项", queryset=Service.objects.none(), required=False, empty_label="全部事项"
    )
    overdue = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部"), ("review", "初审逾期"), ("decision", "办理逾期"), ("any", "任一逾期")],
    )
    assisted = forms.ChoiceField(
        label="帮办", required=False, choices=[("", "全部"), ("1", "窗口帮办"), ("0", "网上自办")]
    )
    q = forms.CharField(label="搜索", required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", "全部"), *State.choices]
        self.fields["service"].queryset = Service.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.fields["q"].widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": "名称、申请人、受理编号或查询码"}
        )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        assisted = {"1": True, "0": False}.get(data.get("assisted") or "")
        return {
            "state": data.get("state") or None,
            "service": data["service"].pk if data.get("service") else None,
            "overdue": data.get("overdue") or None,
            "assisted": assisted,
            "query": data.get("q") or "",
        }
