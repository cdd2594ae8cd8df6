"""Applications and what hangs off them: the event timeline, materials and
their verdicts, return notices (补正), commitments (告知承诺) and clock stops."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import WorkflowEvent

from ..states import CommitmentState, MaterialStatus, State
from .appointments import Appointment
from .catalogue import MaterialRequirement, OrgType, PneForm, Service
from .organisations import Organisation


class Application(models.Model):
    number = models.CharField(_("受理编号"), max_length=24, unique=True, null=True, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    answers = models.JSONField(_("一次性告知问答"), default=dict, blank=True)
    # The proposed organisation (establishment) or the existing one (renewal, change, deregistration).
    org_name = models.CharField(_("组织名称"), max_length=100)
    org_type = models.CharField(_("组织类型"), max_length=20, choices=OrgType.choices)
    pne_form = models.CharField(_("民非形式"), max_length=20, choices=PneForm.choices, blank=True)
    field = models.CharField(_("业务领域"), max_length=50, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    supervising_unit = models.CharField(_("业务主管单位"), max_length=100, blank=True)
    funds = models.DecimalField(_("开办资金(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    business_scope = models.TextField(_("业务范围"), blank=True)
    legal_representative = models.CharField(_("拟任法定代表人"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    applicant_name = models.CharField(_("申请人/经办人"), max_length=50)
    applicant_phone = EncryptedTextField(_("联系电话"))
    applicant_phone_index = BlindIndexField(source="applicant_phone", purpose="registration.application.phone")
    applicant_id_number = EncryptedTextField(_("身份证号"), blank=True)
    # 帮办: staff acting for the applicant; an agent needs an authorisation letter.
    assisted = models.BooleanField(_("窗口帮办"), default=False)
    agent_name = models.CharField(_("代理人"), max_length=50, blank=True)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    review_due = models.DateField(_("初审期限(第32条,5个工作日)"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    statutory_due = models.DateField(_("法定期限"), null=True, blank=True)
    promised_due = models.DateField(_("承诺期限"), null=True, blank=True)
    due_provisional = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    # Renewal by mail (不见面审批): EMS numbers of the old certificate coming in and the new one going out.
    inbound_tracking = models.CharField(_("寄来旧证的 EMS 单号"), max_length=30, blank=True)
    old_certificate_received_at = models.DateTimeField(null=True, blank=True)
    outbound_tracking = models.CharField(_("寄出新证的 EMS 单号"), max_length=30, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("登记申请")
        verbose_name_plural = _("登记申请")

    def __str__(self) -> str:
        return f"{self.number or self.tracking_code} {self.org_name}"


class ApplicationEvent(WorkflowEvent):
    """Append-only timeline: every action with its actor and on whose behalf."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor_label = models.CharField(max_length=50, blank=True)
    on_behalf_of = models.CharField(_("代谁办理"), max_length=50, blank=True)
    public = models.BooleanField(default=True)

    append_only_message = "办理记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


def material_path(instance: ApplicationMaterial, filename: str) -> str:
    return f"registration/{instance.application_id}/{instance.sha256}"


class ApplicationMaterial(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        MaterialRequirement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Not a requirement: the agent's authorisation letter, a bank deposit voucher …
    extra_kind = models.CharField(max_length=30, blank=True)
    file = models.FileField(upload_to=material_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=MaterialStatus.choices, default=MaterialStatus.PENDING)
    review_reason = models.CharField(_("审查意见"), max_length=200, blank=True)
    superseded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement__sort_order", "id"]
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")

    def __str__(self) -> str:
        return self.original_name


class ReturnNotice(models.Model):
    """补正告知: every missing or wrong item with its reason, in one notice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="return_notices")
    number = models.CharField(max_length=30, unique=True)
    items = models.JSONField(default=list, help_text="[{requirement, name, problem, reason}]")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    within_statutory_period = models.BooleanField(default=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("补正告知书")
        verbose_name_plural = _("补正告知书")

    def __str__(self) -> str:
        return self.number


class Commitment(models.Model):
    """告知承诺: a signed commitment replaces the capital-verification report;
    it is verified later and revoked if found false."""

    Status = CommitmentState  # the table is in states.py

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="commitment")
    replaces = models.ManyToManyField(MaterialRequirement, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING_SIGNATURE)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_copy = models.ForeignKey(
        ApplicationMaterial, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_due = models.DateField(_("核查期限"), null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("告知承诺书")
        verbose_name_plural = _("告知承诺书")

    def __str__(self) -> str:
        return f"{self.application} {self.get_status_display()}"


class ClockStop(models.Model):
    """Suspension (中止, Art. 45: hearing, expert review …) or extension
    (延期, Art. 42: +10 working days with reason)."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("听证")
        EXPERT = "expert", _("专家评审")
        INSPECTION = "inspection", _("检验检测、实地核查")
        EXTENSION = "extension", _("延期")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clock_stops")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(_("理由"), max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("计时中止/延期")
        verbose_name_plural = _("计时中止/延期")

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_kind_display()}"
