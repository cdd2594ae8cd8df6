"""The staff detail page of an application and its actions. Each action posts
one form (through htmx, or as a plain form without JavaScript), calls one
service and re-renders the panel; only the actions the state and the user's
capabilities allow are shown. A `DomainError` becomes an error on the form
and nothing changes; a stale page (someone else moved the case on) says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.actions import PanelAction, PanelPage
from grassroots.core.errors import DomainError
from grassroots.core.workdays import CalendarNotCovered

from .. import permissions
from ..errors import StaleState
from ..forms import applications as f
from ..models import Application, Commitment
from ..selectors.applications import Checklist, application_checklist, application_get
from ..services import applications as services
from ..services import commitments
from ..services.clock import ApplicationClock, application_clock
from ..services.workflow import EVENT_LABELS, STATE_LABELS, format_tracking_code

Handler = Callable[[HttpRequest, Application, forms.Form], Any]


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    done: str
    button: str = "btn-primary"
    icon: str = "bi-check2"
    hint: str = ""

    @property
    def panel(self) -> PanelAction:
        return PanelAction.from_spec(
            self,
            multipart=True,
            intro=PANEL_INTROS.get(self.name, ""),
            body=PANEL_BODIES.get(self.name, ""),
            elsewhere=self.name == "review",  # the checklist is its form
        )


PANEL_INTROS = {"commitment-sign": "registration/applications/_action_sign.html"}
PANEL_BODIES = {
    "submit": "registration/applications/_action_submit.html",
    "resubmit": "registration/applications/_action_submit.html",
}


def _form_for(
    name: str, application: Application, checklist: Checklist, data: Any = None, files: Any = None
) -> forms.Form:
    prefix = name.replace("-", "_")
    if name == "upload":
        return f.UploadForm(data, files, checklist=checklist, prefix=prefix)
    if name == "review":
        return f.ReviewForm(data, checklist=checklist, prefix=prefix)
    if name == "suspend":
        return f.SuspendForm(data, prefix=prefix)
    if name == "resume":
        return f.ResumeForm(data, prefix=prefix)
    if name == "extend":
        return f.ExtendForm(data, prefix=prefix)
    if name == "approve":
        return f.OptionalReasonForm(data, prefix=prefix)
    if name == "refuse":
        return f.ReasonForm(data, prefix=prefix)
    if name == "withdraw":
        return f.WithdrawForm(data, prefix=prefix)
    if name == "commitment-sign":
        return f.SignForm(data, files, prefix=prefix)
    if name == "commitment-verify":
        return f.VerifyForm(data, prefix=prefix)
    if name in ("submit", "resubmit"):
        return f.SubmitForm(data, prefix=prefix, missing=[item.name for item in checklist.problems])
    return f.ConfirmForm(data, prefix=prefix)


def _upload(request: HttpRequest, application: Application, form: forms.Form) -> Any:
    assert isinstance(form, f.UploadForm)
    requirement, extra_kind = form.destination()
    return services.material_upload(
        application=application,
        requirement=requirement,
        extra_kind=extra_kind,
        file=form.cleaned_data["file"],
        actor=current_user(request),
    )


def _review(request: HttpRequest, application: Application, form: forms.Form) -> Any:
    assert isinstance(form, f.ReviewForm)
    return services.application_review(actor=current_user(request), application=application, verdicts=form.verdicts())


def _commitment(application: Application) -> Commitment:
    commitment = Commitment.objects.filter(application=application).first()
    if commitment is None:
        raise DomainError("commitment_missing", "请先生成告知承诺书。")
    return commitment


HANDLERS: dict[str, Handler] = {
    "upload": _upload,
    "commitment-create": lambda r, a, fm: commitments.commitment_create(actor=current_user(r), application=a),
    "commitment-sign": lambda r, a, fm: commitments.commitment_sign(
        actor=current_user(r), commitment=_commitment(a), signed_copy_file=fm.cleaned_data["signed_copy"]
    ),
    "submit": lambda r, a, fm: services.application_submit(
        application=a, actor=current_user(r), confirm_incomplete=fm.cleaned_data.get("confirm_incomplete", False)
    ),
    "resubmit": lambda r, a, fm: services.application_resubmit(
        application=a, actor=current_user(r), confirm_incomplete=fm.cleaned_data.get("confirm_incomplete", False)
    ),
    "review": _review,
    "return": lambda r, a, fm: services.application_return(actor=current_user(r), application=a),
    "accept": lambda r, a, fm: services.application_accept(actor=current_user(r), application=a),
    "suspend": lambda r, a, fm: services.clock_suspend(
        actor=current_user(r),
        application=a,
        kind=fm.cleaned_data["kind"],
        reason=fm.cleaned_data["reason"],
        started_on=fm.cleaned_data.get("started_on"),
    ),
    "resume": lambda r, a, fm: services.clock_resume(
        actor=current_user(r), application=a, ended_on=fm.cleaned_data.get("ended_on")
    ),
    "extend": lambda r, a, fm: services.clock_extend(
        actor=current_user(r), application=a, reason=fm.cleaned_data["reason"]
    ),
    "approve": lambda r, a, fm: services.application_approve(
        actor=current_user(r), application=a, reason=fm.cleaned_data.get("reason", "")
    ),
    "refuse": lambda r, a, fm: services.application_refuse(
        actor=current_user(r), application=a, reason=fm.cleaned_data["reason"]
    ),
    "commitment-verify": lambda r, a, fm: commitments.commitment_verify(
        actor=current_user(r),
        commitment=_commitment(a),
        truthful=fm.cleaned_data["truthful"],
        note=fm.cleaned_data.get("note", ""),
    ),
    "withdraw": lambda r, a, fm: services.application_withdraw(
        application=a, actor=current_user(r), reason=fm.cleaned_data.get("reason", "")
    ),
}

SPECS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in [
        ActionSpec(
            "upload",
            "上传材料",
            "材料已上传。",
            "btn-outline-primary",
            "bi-upload",
            "代申请人上传,新文件替换同一项的旧文件。",
        ),
        ActionSpec(
            "commitment-create",
            "生成告知承诺书",
            "告知承诺书已生成,请打印后由申请人签字。",
            "btn-outline-primary",
            "bi-file-earmark-text",
            "以签字的承诺书代替验资报告(告知承诺制)。",
        ),
        ActionSpec("commitment-sign", "上传签字的承诺书", "已上传签字的告知承诺书。", "btn-outline-primary", "bi-pen"),
        ActionSpec("submit", "提交申请", "已提交,初审期限5个工作日。", "btn-primary", "bi-send"),
        ActionSpec("resubmit", "补正后重新提交", "已重新提交,初审期限重新计算。", "btn-primary", "bi-send"),
        ActionSpec("review", "初审:逐项审查材料", "审查结论已记录。", "btn-primary", "bi-list-check"),
        ActionSpec(
            "return",
            "退回补正(一次性告知)",
            "已退回补正,补正告知书已生成并短信告知申请人。",
            "btn-warning",
            "bi-arrow-return-left",
            "所有“缺少”“不符合要求”的材料及理由将列入同一份补正告知书(《行政许可法》第三十二条)。",
        ),
        ActionSpec("accept", "受理", "已受理,受理编号和办理期限已生成。", "btn-success", "bi-check2-circle"),
        ActionSpec(
            "suspend",
            "中止计时",
            "已中止计时。",
            "btn-outline-secondary",
            "bi-pause-circle",
            "听证、专家评审等所需时间不计入期限(第四十五条)。",
        ),
        ActionSpec("resume", "恢复计时", "已恢复计时,期限已顺延。", "btn-outline-primary", "bi-play-circle"),
        ActionSpec(
            "extend",
            "延长期限",
            "已延长10个工作日并告知申请人。",
            "btn-outline-warning",
            "bi-calendar-plus",
            "经负责人批准可延长一次,10个工作日(第四十二条)。",
        ),
        ActionSpec(
            "approve", "准予登记", "已准予登记。", "btn-success", "bi-award", "成立登记和换证将当场制发登记证书。"
        ),
        ActionSpec("refuse", "不予登记", "已作出不予登记决定并告知申请人。", "btn-outline-danger", "bi-x-circle"),
        ActionSpec("commitment-verify", "记录承诺核查结果", "核查结果已记录。", "btn-outline-primary", "bi-search"),
        ActionSpec("withdraw", "撤回申请", "申请已撤回。", "btn-outline-danger", "bi-trash"),
    ]
}


def _clock(application: Application) -> tuple[ApplicationClock | None, str]:
    try:
        return application_clock(application), ""
    except CalendarNotCovered as exc:
        return None, exc.message


def detail_context(
    request: HttpRequest,
    application: Application,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    user = current_user(request)
    application = application_get(application.pk)
    checklist = application_checklist(application)
    names = [name for name in permissions.staff_actions(user, application) if name != "edit"]
    clock, clock_error = _clock(application)
    return {
        "application": application,
        "tracking_code": format_tracking_code(application.tracking_code),
        "checklist": checklist,
        "commitment": checklist.commitment,
        "clock": clock,
        "clock_error": clock_error,
        "timeline": [
            (
                event,
                EVENT_LABELS.get(event.action, event.action),
                STATE_LABELS.get(event.from_state, ""),
                STATE_LABELS.get(event.to_state, ""),
            )
            for event in application.events.all()
        ],
        "return_notices": list(application.return_notices.all()),
        "clock_stops": list(application.clock_stops.all()),
        "panel": PAGE.panel(
            application,
            names=names,
            declare=lambda name: SPECS[name].panel,
            form_for=lambda name: _form_for(name, application, checklist),
            url_for=lambda name: reverse("registration:app-action", args=[application.pk, name]),
            failed=failed,
            form=form,
            open=failed,
        ),
        "action_names": names,
        "can_edit": "edit" in permissions.staff_actions(user, application),
        "notice": notice,
        "error": error,
        "today": timezone.localdate(),
    }


PAGE = PanelPage(
    "registration/applications/_panel.html",
    "registration/applications/detail.html",
    "registration:app-detail",
    detail_context,
    StaleState,
    target="#app-panel",
    field_template="registration/applications/_field.html",
    empty="当前状态没有可办理的操作。",
    submit_testid="do",
    button_class="w-100",
    seen_state_always=True,
)


@require_POST
@capability_required(Capability.WINDOW_WORK)
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    spec = SPECS.get(name)
    if spec is None:
        raise Http404
    application = application_get(pk)
    checklist = application_checklist(application)
    form = _form_for(name, application, checklist, request.POST, request.FILES)
    if not permissions.staff_can(request.user, application, name):
        form.is_valid()
        if not permissions.STAFF_ACTIONS.get(name) or not permissions.state_allows(application, name):
            message = f"申请当前为“{application.get_state_display()}”,不能{spec.label}。"
            return PAGE.respond(request, application, status=409, error=message)
        return PAGE.respond(request, application, status=403, error="您的角色没有此项权限。")
    return PAGE.run(request, application, name, form, lambda: HANDLERS[name](request, application, form), spec.done)
