"""Roles and what each may do. Capabilities are checked in code (services,
views and API permissions) together with jurisdiction scoping; both layers
must pass. The three administrators are kept apart (三权分立): the system
administrator manages accounts and configuration, the security administrator
reveals personal data on request and reviews lockouts, the audit administrator
reads and verifies the audit log. None of them can do the other two's work,
and none can make themselves or anyone else one of the three: those roles are
granted by one security administrator and approved by another (ADR 0025).
Revealing is the security administrator's alone (ADR 0009, 0019): no working
role holds REVEAL_PERSONAL_DATA; a mediation team reveals only its own
case's parties (mediation.permissions.can_reveal)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员")
    VILLAGE_STAFF = "village_staff", _("村/社区工作人员")
    SUBDISTRICT_STAFF = "subdistrict_staff", _("街道工作人员")
    MEDIATOR = "mediator", _("调解员")
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    WINDOW_STAFF = "window_staff", _("窗口工作人员")
    RELOCATION_WORKER = "relocation_worker", _("征迁工作人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class Capability(models.TextChoices):
    VIEW_TREE = "view_tree", _("浏览辖区")
    VIEW_RESIDENTS = "view_residents", _("查看居民(脱敏)")
    REVEAL_PERSONAL_DATA = "reveal_personal_data", _("查看完整身份证号和手机号")
    EXPORT_DATA = "export_data", _("导出数据")
    APPROVE_EXPORTS = "approve_exports", _("审批不脱敏或超过行数上限的数据导出")
    MANAGE_USERS = "manage_users", _("管理账号")
    MANAGE_CALENDAR = "manage_calendar", _("维护节假日")
    VIEW_AUDIT = "view_audit", _("查看审计日志")
    VIEW_MATTERS = "view_matters", _("查看事项")
    RECORD_MATTERS = "record_matters", _("代群众登记事项(微信群、热线、来访)")
    RECORD_VISITS = "record_visits", _("入户走访登记")
    HANDLE_MATTERS = "handle_matters", _("受理、交办、办结、关闭事项")
    PUBLISH = "publish", _("公示理事方案和结果")
    JOINT_MEETING = "joint_meeting", _("列入街道联席会议")
    MEDIATE = "mediate", _("办理矛盾纠纷调解案件")
    MANAGE_MEDIATION = "manage_mediation", _("调解中心登记、分案与统计")
    LEGAL_CONSULT = "legal_consult", _("登记法律咨询")
    REFER_DISPUTES = "refer_disputes", _("转介矛盾纠纷至调解中心")
    CONVENE_MEETINGS = "convene_meetings", _("召集议事会议、记录表决")
    RUN_APPRAISALS = "run_appraisals", _("组织月度评议")
    WINDOW_WORK = "window_work", _("社会组织登记窗口业务")
    WINDOW_DECIDE = "window_decide", _("社会组织登记审批决定")
    GRANT_ADMIN_ROLES = "grant_admin_roles", _("申请和审批管理员角色的授予与撤销")
    VIEW_ADDRESSES = "view_addresses", _("查看标准地址")
    COLLECT_ADDRESSES = "collect_addresses", _("现场核采本网格的标准地址")
    VERIFY_ADDRESSES = "verify_addresses", _("核验本村/社区的标准地址")
    MANAGE_ADDRESSES = "manage_addresses", _("开展地址核采、审定、导入导出标准地址")
    VIEW_SAFETY = "view_safety", _("查看安全检查场所")
    INSPECT_SAFETY = "inspect_safety", _("登记和修改本辖区的安全检查场所")
    MANAGE_SAFETY = "manage_safety", _("关停或恢复安全检查场所")
    MANAGE_CHECKLISTS = "manage_checklists", _("发布安全检查表新版本")
    VIEW_RELOCATION = "view_relocation", _("查看征迁项目、征迁户和签约进度")
    WORK_RELOCATION = "work_relocation", _("推进本辖区征迁户的环节,转交征迁纠纷")
    MANAGE_RELOCATION = (
        "manage_relocation",
        _("维护征迁项目和批次、调整包户工作人员、导入征迁户和环节进度,下载征迁日报"),
    )
    WORK_ASSIGNED_RELOCATION = "work_assigned_relocation", _("推进分配给本人的征迁户的环节,登记金额和备注,转交征迁纠纷")
    VIEW_PARTY = "view_party", _("查看党组织、党员(脱敏)、结对帮扶、专题培训和红黄榜")
    MANAGE_PARTY = "manage_party", _("管理本辖区党组织、党员、结对帮扶和专题培训,计算和发布红黄榜")
    VIEW_CARE = "view_care", _("查看关爱名单(脱敏)")
    RECORD_CARE = "record_care", _("登记关爱走访和健康巡诊")
    MANAGE_CARE = "manage_care", _("维护关爱对象标记")
    MANAGE_PROJECTS = "manage_projects", _("登记民生实事项目、节点和照片")
    VIEW_ECONOMY = "view_economy", _("查看集体经济台账")
    RECORD_INCOME = "record_income", _("登记本辖区村/社区的集体收入")
    MANAGE_ECONOMY = "manage_economy", _("街道经管站:维护平台公司、股权和收益分配方案")
    VIEW_INDICATORS = "view_indicators", _("查看经济指标月报")
    ENTER_INDICATORS = "enter_indicators", _("填报、导入和更正经济指标(经管站)")
    REVIEW_INDICATORS = "review_indicators", _("审核和锁定经济指标月报")
    VIEW_DASHBOARD = "view_dashboard", _("查看本辖区的数据看板")
    MANAGE_INDICATORS = "manage_indicators", _("新增和修改经济指标定义(经管站)")
    VIEW_BIGSCREEN = "view_bigscreen", _("查看指挥中心大屏")
    MANAGE_SCREENS = "manage_screens", _("发放和停用大屏令牌")
    VIEW_SMS_OUTBOX = "view_sms_outbox", _("查看短信发送记录(脱敏)和短信模板配置")
    MANAGE_ROBOTS = "manage_robots", _("登记本辖区居民微信群的企业微信群机器人")
    VIEW_ROUTING = "view_routing", _("查看分类推荐准确率和模型版本")
    MANAGE_CHANNELS = "manage_channels", _("配置短信和微信渠道的密钥、发送测试短信、查看发送统计")
    MANAGE_DORMANT = "manage_dormant", _("查看和重新启用因长期未登录而停用的账号")
    MANAGE_TWO_FACTOR = "manage_two_factor", _("查看各账号的双因素认证状态并重置,查看和吊销全部 API 令牌")
    USE_FIELD_APP = "use_field_app", _("使用网格员离线工作应用(下载本辖区数据、同步现场记录)")


_MATTER_WORK = {
    Capability.VIEW_MATTERS,
    Capability.RECORD_MATTERS,
    Capability.HANDLE_MATTERS,
    Capability.PUBLISH,
    Capability.CONVENE_MEETINGS,
    Capability.RUN_APPRAISALS,
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: frozenset(
        {
            Capability.VIEW_TREE,
            Capability.VIEW_RESIDENTS,
            Capability.VIEW_MATTERS,
            Capability.RECORD_MATTERS,
            Capability.RECORD_VISITS,
            # Those who meet a dispute first refer it; the centre accepts or returns it.
            Capability.REFER_DISPUTES,
            # Standard addresses: the grid worker collects those of their grid on site.
            Capability.VIEW_ADDRESSES,
            Capability.COLLECT_ADDRESSES,
            # Safety inspections: the grid worker registers the premises of their grid.
            Capability.VIEW_SAFETY,
            Capability.INSPECT_SAFETY,
            # Livelihood: the grid worker visits the people on the care lists of their grid.
            Capability.VIEW_CARE,
            Capability.RECORD_CARE,
            # Dashboards: the grid's own figures, on the phone.
            Capability.VIEW_DASHBOARD,
            # The offline field app (ADR 0054): the grid's data on the phone, synced records.
            Capability.USE_FIELD_APP,
        }
    ),
    Role.VILLAGE_STAFF: frozenset(
        {
            Capability.VIEW_TREE,
            Capability.VIEW_RESIDENTS,
            Capability.EXPORT_DATA,
            Capability.JOINT_MEETING,
            Capability.REFER_DISPUTES,
            *_MATTER_WORK,
            # Standard addresses: village staff verify what grid workers collected.
            Capability.VIEW_ADDRESSES,
            Capability.VERIFY_ADDRESSES,
            # Safety inspections: village staff register premises and close them.
            Capability.VIEW_SAFETY,
            Capability.INSPECT_SAFETY,
            Capability.MANAGE_SAFETY,
            # Relocation: village staff are the workers who take units through the stages (包户).
            Capability.VIEW_RELOCATION,
            Capability.WORK_RELOCATION,
            # Party building: the village's branch work (membership is sensitive: its own capability).
            Capability.VIEW_PARTY,
            Capability.MANAGE_PARTY,
            # Livelihood: village staff visit, and keep the flags (living alone, disabled, low income).
            Capability.VIEW_CARE,
            Capability.RECORD_CARE,
            Capability.MANAGE_CARE,
            Capability.MANAGE_PROJECTS,
            # Collective economy: village staff record their village's income.
            Capability.VIEW_ECONOMY,
            Capability.RECORD_INCOME,
            # Economic indicators: a village enters its own figures where it reports them.
            Capability.VIEW_INDICATORS,
            Capability.ENTER_INDICATORS,
            # Dashboards: the village's figures and its grids compared.
            Capability.VIEW_DASHBOARD,
            # WeChat channels: the village registers its resident groups' robots (ADR 0051).
            Capability.MANAGE_ROBOTS,
        }
    ),
    Role.SUBDISTRICT_STAFF: frozenset(
        {
            Capability.VIEW_TREE,
            Capability.VIEW_RESIDENTS,
            Capability.EXPORT_DATA,
            Capability.JOINT_MEETING,
            Capability.MANAGE_MEDIATION,
            Capability.MEDIATE,
            *_MATTER_WORK,
            # Standard addresses: the subdistrict opens campaigns and signs verified addresses off.
            Capability.VIEW_ADDRESSES,
            Capability.MANAGE_ADDRESSES,
            # Safety inspections: the subdistrict's safety office.
            Capability.VIEW_SAFETY,
            Capability.INSPECT_SAFETY,
            Capability.MANAGE_SAFETY,
            Capability.MANAGE_CHECKLISTS,
            # Relocation: the subdistrict's relocation office (征迁指挥部).
            Capability.VIEW_RELOCATION,
            Capability.WORK_RELOCATION,
            Capability.MANAGE_RELOCATION,
            # Party building: the subdistrict's party office sets the 红黄榜 rule.
            Capability.VIEW_PARTY,
            Capability.MANAGE_PARTY,
            # Livelihood: the subdistrict's civil-affairs office.
            Capability.VIEW_CARE,
            Capability.RECORD_CARE,
            Capability.MANAGE_CARE,
            Capability.MANAGE_PROJECTS,
            # Collective economy: the subdistrict's economic-management station (经管站).
            Capability.VIEW_ECONOMY,
            Capability.RECORD_INCOME,
            Capability.MANAGE_ECONOMY,
            # Economic indicators: the economic-management station (经管站) enters,
            # a second person reviews and locks the month.
            Capability.VIEW_INDICATORS,
            Capability.ENTER_INDICATORS,
            Capability.REVIEW_INDICATORS,
            # Dashboards: the subdistrict's trends and its villages compared.
            Capability.VIEW_DASHBOARD,
            Capability.MANAGE_INDICATORS,
            # The command centre's big screen and its display tokens (ADR 0049).
            Capability.VIEW_BIGSCREEN,
            Capability.MANAGE_SCREENS,
            Capability.MANAGE_ROBOTS,
            # Category routing: the subdistrict watches how good the suggestions are.
            Capability.VIEW_ROUTING,
        }
    ),
    Role.MEDIATOR: frozenset({Capability.VIEW_TREE, Capability.MEDIATE, Capability.MANAGE_MEDIATION}),
    Role.LEGAL_ADVISER: frozenset({Capability.VIEW_TREE, Capability.MEDIATE, Capability.LEGAL_CONSULT}),
    # The 征迁工作人员 (包户): sees the projects of their subtree and takes the
    # units assigned to them through the stages; edits no project or batch and
    # reassigns nothing (ADR 0046).
    Role.RELOCATION_WORKER: frozenset({Capability.VIEW_RELOCATION, Capability.WORK_ASSIGNED_RELOCATION}),
    # The window's dashboard shows its registration throughput only.
    Role.WINDOW_STAFF: frozenset(
        {Capability.WINDOW_WORK, Capability.WINDOW_DECIDE, Capability.EXPORT_DATA, Capability.VIEW_DASHBOARD}
    ),
    Role.SYSTEM_ADMIN: frozenset(
        {
            Capability.VIEW_TREE,
            Capability.MANAGE_USERS,
            Capability.MANAGE_CALENDAR,
            # The system administrator configures the gateways and checks they deliver.
            Capability.VIEW_SMS_OUTBOX,
        }
    ),
    Role.SECURITY_ADMIN: frozenset(
        {
            Capability.VIEW_TREE,
            Capability.VIEW_RESIDENTS,
            Capability.REVEAL_PERSONAL_DATA,
            # Two-person: one security administrator asks, a different one approves (ADR 0025).
            Capability.GRANT_ADMIN_ROLES,
            # Outbound personal data (masked numbers) and delivery failures.
            Capability.VIEW_SMS_OUTBOX,
            # Channel secrets are security configuration (渠道配置, ADR 0053).
            Capability.MANAGE_CHANNELS,
            # Dormant accounts the daily job disabled: listed and re-enabled with a reason (ADR 0059).
            Capability.MANAGE_DORMANT,
            # A lost phone: the second factor is reset here, with a reason (ADR 0058).
            Capability.MANAGE_TWO_FACTOR,
            # Bulk and unmasked exports wait for a security administrator (ADR 0060).
            Capability.APPROVE_EXPORTS,
        }
    ),
    Role.AUDIT_ADMIN: frozenset({Capability.VIEW_AUDIT}),
}


# The three administrators (三权分立). The system administrator manages only the
# other roles' accounts; these roles are granted and revoked by two security
# administrators (ADR 0025).
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
WORKING_ROLES: tuple[str, ...] = tuple(role for role in Role if role not in ADMIN_ROLES)


def is_admin_role(role: str) -> bool:
    return role in ADMIN_ROLES


def role_has(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
