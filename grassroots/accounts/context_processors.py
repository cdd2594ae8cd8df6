"""Navigation by role: each entry appears only for users whose role has the
capability behind it, so nobody is shown a link that would answer 403/404."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from grassroots.core.notifications.selectors import unread_count

from .roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    capability: str | None = None


NAV_ITEMS = [
    NavItem("工作台", "accounts:home", "bi-speedometer2"),
    NavItem("数据看板", "dashboards:home", "bi-bar-chart-line", Capability.VIEW_DASHBOARD),
    NavItem("事项", "matters:queue", "bi-inboxes", Capability.VIEW_MATTERS),
    NavItem("走访", "matters-intake:visit", "bi-door-open", Capability.RECORD_VISITS),
    NavItem("说事登记", "matters-intake:relay", "bi-chat-left-text", Capability.RECORD_MATTERS),
    NavItem("网格员助手", "field:shell", "bi-phone", Capability.USE_FIELD_APP),
    NavItem("登记申请", "registration:app-list", "bi-folder-check", Capability.WINDOW_WORK),
    NavItem("预约日历", "registration:appt-calendar", "bi-calendar-check", Capability.WINDOW_WORK),
    NavItem("社会组织", "registration:cert-organisations", "bi-building", Capability.WINDOW_WORK),
    NavItem("议事", "deliberation:list", "bi-people-fill", Capability.CONVENE_MEETINGS),
    NavItem("评议", "evaluation:list", "bi-clipboard-check", Capability.RUN_APPRAISALS),
    NavItem("公示", "publicity:list", "bi-megaphone", Capability.PUBLISH),
    NavItem("微信群机器人", "channels:robots", "bi-robot", Capability.MANAGE_ROBOTS),
    NavItem("矛盾调解", "mediation:queue", "bi-people", Capability.MEDIATE),
    NavItem("法律咨询", "mediation:grids", "bi-journal-text", Capability.LEGAL_CONSULT),
    NavItem("标准地址", "addresses:list", "bi-signpost-split", Capability.VIEW_ADDRESSES),
    NavItem("安全检查", "safety:list", "bi-shield-check", Capability.VIEW_SAFETY),
    NavItem("房屋征迁", "relocation:projects", "bi-house-gear", Capability.VIEW_RELOCATION),
    NavItem("我的包户", "relocation:mine", "bi-phone", Capability.WORK_ASSIGNED_RELOCATION),
    NavItem("党建", "party:home", "bi-flag", Capability.VIEW_PARTY),
    NavItem("民生关爱", "livelihood:index", "bi-heart", Capability.VIEW_CARE),
    NavItem("集体经济", "economy:overview", "bi-cash-coin", Capability.VIEW_ECONOMY),
    NavItem("经济指标", "indicators:table", "bi-graph-up", Capability.VIEW_INDICATORS),
    NavItem("指挥大屏", "bigscreen:home", "bi-display", Capability.VIEW_BIGSCREEN),
    NavItem("分类推荐", "routing:accuracy", "bi-magic", Capability.VIEW_ROUTING),
    NavItem("辖区", "regions:tree", "bi-diagram-3", Capability.VIEW_TREE),
    NavItem("居民", "regions:residents", "bi-people", Capability.VIEW_RESIDENTS),
    NavItem("审计日志", "audit-log", "bi-shield-check", Capability.VIEW_AUDIT),
    NavItem("短信记录", "sms-outbox", "bi-chat-dots", Capability.VIEW_SMS_OUTBOX),
    NavItem("渠道配置", "channels:settings", "bi-key", Capability.MANAGE_CHANNELS),
    NavItem("系统管理", "admin:index", "bi-gear", Capability.MANAGE_USERS),
    NavItem("管理员授权", "accounts:role-grants", "bi-person-lock", Capability.GRANT_ADMIN_ROLES),
    NavItem("休眠账号", "accounts:dormant", "bi-person-slash", Capability.MANAGE_DORMANT),
    NavItem("双因素认证管理", "accounts:two-factor-accounts", "bi-phone-vibrate", Capability.MANAGE_TWO_FACTOR),
    NavItem("导出审批", "exports:pending", "bi-file-earmark-lock", Capability.APPROVE_EXPORTS),
    NavItem("我的导出", "exports:mine", "bi-download", Capability.EXPORT_DATA),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "two_factor_pending", False):
        return {"nav_items": [], "unread_notifications": 0}
    items = []
    path = request.path
    for item in NAV_ITEMS:
        if item.capability and not (user.is_superuser or user.can(item.capability)):
            continue
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
    # Only the most specific entry is active (/regions/residents/ is 居民, not 辖区).
    matches = [item for item in items if path.startswith(str(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["active"] = True
    return {"nav_items": items, "unread_notifications": unread_count(user=user)}
