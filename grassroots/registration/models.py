"""Social-organisation registration (社会组织登记) at an approval window:
service catalogue with material rules, appointments, applications filed by
applicants or by staff on their behalf (帮办), preliminary review and return
(补正), notification and commitment (告知承诺), decisions with working-day
clocks, organisations, certificates and renewal by mail.
The window serves one registration authority, so rows are not tree-scoped;
capability WINDOW_WORK governs access (ADR 0011)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import WorkflowEvent

from .states import CommitmentState, State, VerificationState


class Authority(models.Model):
    """The registration authority this installation serves (one row)."""

    name = models.CharField(_("登记管理机关"), max_length=100)
    division_code = models.CharField(
        _("登记管理机关行政区划码"), max_length=6, help_text=_("统一社会信用代码第 3–8 位。")
    )
    certificate_validity_years = models.PositiveSmallIntegerField(_("证书有效期(年)"), default=5)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("登记管理机关")
        verbose_name_plural = _("登记管理机关")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(division_code__regex=r"^[0-9]{6}$"), name="authority_division_code_6_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(certificate_validity_years__gte=1), name="authority_validity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrgType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("社会团体")
    PNE = "pne", _("民办非企业单位(社会服务机构)")
    FOUNDATION = "foundation", _("基金会")


# GB 32100-2015 organisation-type digits for registration authority 5 (civil affairs).
USCC_TYPE = {OrgType.SOCIAL_GROUP: "1", OrgType.PNE: "2", OrgType.FOUNDATION: "3"}


class PneForm(models.TextChoices):
    LEGAL = "legal", _("法人")
    PARTNERSHIP = "partnership", _("合伙")
    INDIVIDUAL = "individual", _("个体")


class ServiceKind(models.TextChoices):
    ESTABLISH = "establish", _("成立登记")
    RENEWAL = "renewal", _("换证")
    CHANGE = "change", _("变更登记")
    DEREGISTER = "deregister", _("注销登记")


class Service(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=ServiceKind.choices)
    org_type = models.CharField(_("组织类型"), max_length=20, choices=OrgType.choices, blank=True)
    legal_basis = models.TextField(_("设定依据"))
    statutory_days = models.PositiveSmallIntegerField(_("法定时限(工作日)"))
    promised_days = models.PositiveSmallIntegerField(_("承诺时限(工作日,0 为当场办结)"))
    online = models.BooleanField(_("可网上申请"), default=True)
    no_visit = models.BooleanField(_("不见面审批"), default=False)
    description = models.TextField(_("办事指南"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("登记事项")
        verbose_name_plural = _("登记事项")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")), name="service_promise_within_statute"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MaterialRequirement(models.Model):
    """One material of a service. `conditions` select when it applies, keys
    from the one-time-notice questionnaire, e.g. ``{"needs_supervisor": true}``,
    ``{"pne_form": ["legal"]}``, ``{"funds_proof": ["capital_report"]}``;
    empty means always."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("材料名称"), max_length=100)
    description = models.TextField(_("要求说明"), blank=True)
    copies = models.CharField(_("份数/形式"), max_length=50, blank=True)
    template = models.CharField(
        _("模板文件"), max_length=100, blank=True, help_text=_("static/registration/templates/ 下的文件名。")
    )
    conditions = models.JSONField(_("适用条件"), default=dict, blank=True)
    commitment_replaceable = models.BooleanField(_("可以告知承诺替代"), default=False)
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "sort_order", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="requirement_unique_code")]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    name = models.CharField(_("窗口"), max_length=50)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")

    def __str__(self) -> str:
        return self.name


class SlotTemplate(models.Model):
    """A bookable slot on every working day (from the calendar service)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="slot_templates")
    start_time = models.TimeField(_("开始"))
    end_time = models.TimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("可预约人数"), default=2)

    class Meta:
        ordering = ["window", "start_time"]
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="slot_time_order"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="slot_capacity_positive"),
            models.UniqueConstraint(fields=["window", "start_time"], name="slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已到场")
        NO_SHOW = "no_show", _("未到场")

    slot = models.ForeignKey(SlotTemplate, on_delete=models.PROTECT, related_name="appointments")
    date = models.DateField(_("日期"), db_index=True)
    # seat makes capacity a database fact: (slot, date, seat) is unique and seat < capacity.
    seat = models.PositiveSmallIntegerField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedTextField(_("手机号"))
    phone_index = BlindIndexField(source="phone", purpose="registration.appointment.phone")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    code = models.CharField(_("预约号"), max_length=12, unique=True)
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "slot__start_time", "seat"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            # A cancelled booking frees its seat.
            models.UniqueConstraint(
                fields=["slot", "date", "seat"], condition=~models.Q(status="cancelled"), name="appointment_unique_seat"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot} {self.name}"


class Organisation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        DEREGISTERED = "deregistered", _("已注销")
        REVOKED = "revoked", _("已撤销登记")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    org_type = models.CharField(_("类型"), max_length=20, choices=OrgType.choices)
    pne_form = models.CharField(_("民非形式"), max_length=20, choices=PneForm.choices, blank=True)
    field = models.CharField(_("业务领域"), max_length=50, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    # Phones on file (留存电话): a renewal by mail is verified by a code sent to
    # one of them (ADR 0028), never to a number the requester types.
    legal_representative_phone = EncryptedTextField(_("法定代表人手机号"), blank=True)
    contact_phone = EncryptedTextField(_("联系人手机号"), blank=True)
    address = models.CharField(_("住所"), max_length=200)
    supervising_unit = models.CharField(_("业务主管单位"), max_length=100, blank=True)
    funds = models.DecimalField(_("开办资金(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    business_scope = models.TextField(_("业务范围"), blank=True)
    registered_on = models.DateField(_("登记日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-registered_on", "name"]
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")

    def __str__(self) -> str:
        return self.name


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


class MaterialStatus(models.TextChoices):
    PENDING = "pending", _("待审查")
    OK = "ok", _("符合")
    MISSING = "missing", _("缺少")
    WRONG = "wrong", _("不符合要求")
    REPLACED = "replaced", _("以告知承诺替代")


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


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REPLACED = "replaced", _("已换发")
        REVOKED = "revoked", _("已撤销")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="certificates")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    issued_on = models.DateField(_("发证日期"))
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    verify_token = models.CharField(max_length=32, unique=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("登记证书")
        verbose_name_plural = _("登记证书")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")), name="certificate_validity_order"
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(status="valid"), name="certificate_one_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateReminder(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.certificate} -{self.days_before}"


class RenewalVerification(models.Model):
    """A renewal by mail waiting for its SMS code (ADR 0028). The request's
    details wait here; the application is created only when the code sent to
    a phone on file is entered. Pending rows block nothing: the eligibility
    check looks at applications only."""

    class Recipient(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
        CONTACT = "contact", _("联系人")

    Status = VerificationState  # the table is in states.py

    token = models.CharField(max_length=43, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="renewal_verifications")
    recipient = models.CharField(_("验证码接收人"), max_length=30, choices=Recipient.choices)
    code_hash = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    sends = models.PositiveSmallIntegerField(_("发送次数"), default=1)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    applicant_name = models.CharField(_("经办人"), max_length=50)
    applicant_phone = EncryptedTextField(_("经办人手机号"))
    inbound_tracking = models.CharField(_("寄来旧证的 EMS 单号"), max_length=30)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="renewal_verification"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("换证短信验证")
        verbose_name_plural = _("换证短信验证")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="verified", application__isnull=False)
                | (~models.Q(status="verified") & models.Q(application__isnull=True)),
                name="renewal_verification_application_iff_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.get_status_display()}"
