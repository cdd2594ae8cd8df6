"""The registration service's text messages as gateway template kinds (ADR
0052): each names the approved template's parameters, filled from typed data.
The example template text is what an installation submits for approval."""

from __future__ import annotations

from grassroots.core.notifications.services import sms_kind

# ${organisation}换证申请验证码${code},${minutes}分钟内有效。如非本单位申请,请勿告知他人。
RENEWAL_CODE = sms_kind("registration.renewal_code", "换证验证码", ("organisation", "code", "minutes"))
# ${organisation}的登记证书将于${date}到期(还有${days}天),请在有效期届满30日前申请换证:${link}
CERTIFICATE_REMINDER = sms_kind(
    "registration.certificate_reminder", "登记证书到期提醒", ("organisation", "date", "days", "link")
)
# 您已预约${date} ${time}到${window}办理“${service}”,预约号${code}。如需取消:${link}
APPOINTMENT_BOOKED = sms_kind(
    "registration.appointment_booked", "登记窗口预约确认", ("date", "time", "window", "service", "code", "link")
)
# 您${date} ${time}的预约(预约号${code})已取消。
APPOINTMENT_CANCELLED = sms_kind("registration.appointment_cancelled", "登记窗口预约取消", ("date", "time", "code"))
# 提醒:您预约了${date} ${time}到${window}办理“${service}”,预约号${code},请带齐材料和身份证按时到达。
APPOINTMENT_REMINDER = sms_kind(
    "registration.appointment_reminder", "登记窗口预约提醒", ("date", "time", "window", "service", "code")
)
# ${organisation}的社会组织登记申请有新进展,请点击查看:${link}
APPLICATION_PROGRESS = sms_kind("registration.application_progress", "登记申请进展", ("organisation", "link"))
