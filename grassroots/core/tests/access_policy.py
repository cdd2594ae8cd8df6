"""The declared access policy of every URL pattern (ADR 0030). Each entry
names the capability layer's roles (from roles.py) and how to build its URL
from the shared world; `test_access_matrix` fails for a pattern without one.
`scoped=False` marks data that is not tree-scoped (registration, ADR 0011;
the audit log); `denied=404` a place that deliberately hides itself."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.roles import Capability as C
from grassroots.accounts.roles import Role as R
from grassroots.testing.access import ALL_ROLES, NO_ROLES, Access, kw, roles_with

GET = ("GET",)
POST = ("POST",)
BOTH = ("GET", "POST")


def staff(*caps: str, roles: frozenset[str] | None = None, **options: Any) -> Access:
    """A staff page or endpoint behind the capability layer."""
    return Access(roles=roles if roles is not None else roles_with(*caps), **options)


def public(**options: Any) -> Access:
    return Access(roles=NO_ROLES, public=True, scoped=False, **options)


def unscoped(*caps: str, **options: Any) -> Access:
    return staff(*caps, scoped=False, **options)


ANY_STAFF = ALL_ROLES
TREE = (C.VIEW_TREE,)
RESIDENTS = (C.VIEW_RESIDENTS,)
MATTERS = (C.VIEW_MATTERS,)
# The mediation centre's pages: mediators, advisers and the centre's managers.
CENTRE = (C.MEDIATE, C.MANAGE_MEDIATION)
MEETINGS = (C.CONVENE_MEETINGS,)
APPRAISALS = (C.RUN_APPRAISALS,)
WINDOW = (C.WINDOW_WORK,)

CORE: dict[str, Access] = {
    "public-home": public(),
    "healthz": public(),
    "readyz": public(),
    "favicon.ico": public(path="/favicon.ico"),
    "accounts:login": public(methods=BOTH),
    # Logging out is tried with its own client (it ends the session).
    "accounts:logout": public(methods=()),
    "accounts:home": unscoped(roles=ANY_STAFF),
    "accounts:password-change": unscoped(roles=ANY_STAFF, methods=BOTH),
    # The one-time link of a granted administrator: a bad token shows the refusal page.
    "accounts:set-password": public(kwargs=kw(uidb64="=MQ", token="=not-a-token")),
    # Administrator-role grants: security administrators only (ADR 0025); a grant
    # that is not there is 404 to them, 403 to everyone else first.
    "accounts:role-grants": unscoped(C.GRANT_ADMIN_ROLES),
    "accounts:role-grant-approve": unscoped(C.GRANT_ADMIN_ROLES, methods=POST, kwargs=kw(pk=999999)),
    "accounts:role-grant-reject": unscoped(C.GRANT_ADMIN_ROLES, methods=POST, kwargs=kw(pk=999999)),
    # Dormant accounts: the security administrator's (ADR 0059); an account not there is 404.
    "accounts:dormant": unscoped(C.MANAGE_DORMANT),
    "accounts:dormant-reactivate": unscoped(C.MANAGE_DORMANT, methods=POST, kwargs=kw(pk=999999)),
    # Two factors and API tokens (ADR 0058): one's own pages are everyone's; the
    # verify page sends a user without a device to enrolment, the recovery-code
    # page without fresh codes to the status page.
    "accounts:two-factor": unscoped(roles=ANY_STAFF),
    "accounts:two-factor-verify": unscoped(roles=ANY_STAFF, methods=BOTH, ok=None),
    "accounts:two-factor-enrol": unscoped(roles=ANY_STAFF, methods=BOTH),
    "accounts:two-factor-enrolled": unscoped(roles=ANY_STAFF, ok=None),
    "accounts:two-factor-regenerate": unscoped(roles=ANY_STAFF, methods=POST),
    "accounts:two-factor-accounts": unscoped(C.MANAGE_TWO_FACTOR),
    "accounts:two-factor-reset": unscoped(C.MANAGE_TWO_FACTOR, methods=POST, kwargs=kw(pk=999999)),
    "accounts:api-tokens": unscoped(roles=ANY_STAFF, methods=BOTH),
    "accounts:api-tokens-all": unscoped(C.MANAGE_TWO_FACTOR),
    # Another user's token is not there (404), whatever the role.
    "accounts:api-token-revoke": unscoped(roles=ANY_STAFF, methods=POST, kwargs=kw(pk=999999)),
    "notifications": unscoped(roles=ANY_STAFF),
    # Another user's notification is not there (404), whatever the role.
    "notification-read": staff(roles=ANY_STAFF, methods=POST, kwargs=kw(pk="notification")),
    "audit-log": unscoped(C.VIEW_AUDIT),
    # 短信发送记录: the system and security administrators (ADR 0052).
    "sms-outbox": unscoped(C.VIEW_SMS_OUTBOX),
    # The gateways' receipt pushes: public, authenticated by the token in the
    # path (a wrong one is refused; without a configured token there is none).
    "sms-receipt": public(methods=POST, ok=None, kwargs=kw(provider="=aliyun", token="=not-the-token")),
    "audit-verify": unscoped(C.VIEW_AUDIT, methods=POST),
    "schema": public(),
    "swagger-ui": public(),
    "api:me": unscoped(roles=ANY_STAFF),
    "api:notification-list": unscoped(roles=ANY_STAFF),
    # Each notification is one user's: the other branch's is 404 to everyone.
    "api:notification-detail": staff(roles=ANY_STAFF, ok=None, kwargs=kw(pk="notification")),
    "api:notification-read": staff(roles=ANY_STAFF, methods=POST, kwargs=kw(pk="notification")),
    "api:audit-list": unscoped(C.VIEW_AUDIT),
    "api:audit-detail": unscoped(C.VIEW_AUDIT, kwargs=kw(pk="audit")),
    "api:audit-verify": unscoped(C.VIEW_AUDIT, methods=POST),
}

# The reveal endpoints' gate is VIEW_RESIDENTS; the service then refuses every
# role but the security administrator and audits it as a denied reveal (ADR 0019).
REGIONS: dict[str, Access] = {
    # The tree page sends each user to their own node.
    "regions:tree": unscoped(*TREE, ok=302),
    "regions:node": staff(*TREE, kwargs=kw(pk="node")),
    "regions:residents": unscoped(*RESIDENTS),
    "regions:resident-export": unscoped(roles=roles_with(*RESIDENTS) & roles_with(C.EXPORT_DATA), heavy=True),
    "regions:resident": staff(*RESIDENTS, kwargs=kw(pk="resident")),
    "regions:resident-reveal": staff(*RESIDENTS, methods=POST, kwargs=kw(pk="resident")),
    "regions:resident-notify": staff(*RESIDENTS, methods=POST, ok=302, kwargs=kw(pk="resident")),
    "regions:public-villages": public(),
    "api:node-list": unscoped(*TREE),
    "api:node-detail": staff(*TREE, kwargs=kw(pk="node")),
    "api:resident-list": unscoped(*RESIDENTS),
    "api:resident-detail": staff(*RESIDENTS, kwargs=kw(pk="resident")),
    "api:resident-reveal": staff(*RESIDENTS, methods=POST, kwargs=kw(pk="resident")),
}


def _matter_action(**options: Any) -> Access:
    # The page gate is VIEW_MATTERS; which action a role may take on which
    # matter is matters.permissions.matter_can, behind it.
    options.setdefault("roles", roles_with(*MATTERS))
    return staff(methods=POST, kwargs=kw(pk="matter"), **options)


MATTER_ACTIONS = (
    "accept",
    "assign",
    "resolve",
    "close",
    "reject",
    "merge",
    "reopen",
    "publish",
    "escalate",
    "joint-meeting",
    "note",
)

MATTERS_URLS: dict[str, Access] = {
    "matters:queue": unscoped(*MATTERS),
    "matters:export": unscoped(*MATTERS, C.EXPORT_DATA, roles=roles_with(*MATTERS) & roles_with(C.EXPORT_DATA)),
    "matters:detail": staff(*MATTERS, kwargs=kw(pk="matter")),
    **{f"matters:{name}": _matter_action() for name in MATTER_ACTIONS},
    "matters:reopen-answer": staff(*MATTERS, methods=POST, kwargs=kw(pk="reopen")),
    "matters:attachment": staff(*MATTERS, kwargs=kw(pk="attachment")),
    "matters-intake:relay": unscoped(C.RECORD_MATTERS, methods=BOTH, ok=200),
    "matters-intake:hotline": unscoped(C.RECORD_MATTERS, methods=BOTH),
    "matters-intake:places": unscoped(C.RECORD_MATTERS),
    "matters-intake:addresses": unscoped(C.RECORD_MATTERS),
    "matters-intake:visit": unscoped(C.RECORD_VISITS, methods=BOTH),
    "matters-intake:visit-households": unscoped(C.RECORD_VISITS),
    "matters-intake:visits": unscoped(C.RECORD_VISITS),
    "matters-intake:visit-done": staff(C.RECORD_VISITS, kwargs=kw(pk="visit")),
    "matters-public:report": public(methods=BOTH),
    "matters-public:places": public(),
    "matters-public:done": public(kwargs=kw(code="matter.tracking_code")),
    "matters-public:track": public(),
    "matters-public:status": public(kwargs=kw(code="matter.tracking_code")),
    "matters-public:feedback": public(methods=POST, kwargs=kw(code="resolved.tracking_code")),
    "matters-public:reopen": public(methods=POST, kwargs=kw(code="resolved.tracking_code")),
    "matters-public:publicity": public(methods=POST, kwargs=kw(code="matter.tracking_code")),
    "matters-public:notify": public(methods=POST, kwargs=kw(code="matter.tracking_code")),
    "matters-public:attachment": public(kwargs=kw(code="matter.tracking_code", pk="attachment")),
    "open311:services": public(kwargs=kw(fmt="=json")),
    "open311:service": public(kwargs=kw(service_code="=test-lights", fmt="=json")),
    "open311:requests": public(methods=BOTH, kwargs=kw(fmt="=json")),
    "open311:request": public(kwargs=kw(request_id="matter.number", fmt="=json")),
    "open311:token": public(kwargs=kw(token="=abc", fmt="=json")),
    "api:matter-list": unscoped(*MATTERS),
    "api:matter-detail": staff(*MATTERS, kwargs=kw(pk="matter")),
    "api:matter-duplicates": staff(*MATTERS, kwargs=kw(pk="matter")),
    "api:matter-events": staff(*MATTERS, kwargs=kw(pk="matter")),
    "api:matter-publications": staff(*MATTERS, kwargs=kw(pk="matter")),
    # The API gates the handling transitions on HANDLE_MATTERS; notes and
    # resolving stay open to assignees (matter_can decides behind the gate).
    **{
        f"api:matter-{name}": _matter_action(roles=roles_with(C.HANDLE_MATTERS))
        for name in ("accept", "assign", "close", "escalate", "joint-meeting", "merge", "reject", "reopen")
    },
    "api:matter-notes": _matter_action(),
    "api:matter-resolve": _matter_action(),
    "api:category-list": unscoped(*MATTERS),
    "api:category-detail": unscoped(*MATTERS, kwargs=kw(pk="category")),
    "api:reopen-request-answer": staff(C.HANDLE_MATTERS, methods=POST, kwargs=kw(pk="reopen")),
}

# Registration is one authority's service, not tree-scoped (ADR 0011).
REGISTRATION: dict[str, Access] = {
    "registration:appt-calendar": unscoped(*WINDOW),
    "registration:appt-mark": unscoped(*WINDOW, methods=POST, kwargs=kw(pk=1)),
    "registration:app-list": unscoped(*WINDOW),
    "registration:app-new": unscoped(*WINDOW, methods=BOTH),
    "registration:app-detail": unscoped(*WINDOW, kwargs=kw(pk="application")),
    "registration:app-edit": unscoped(*WINDOW, methods=BOTH, kwargs=kw(pk="application")),
    "registration:app-action": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="application", name="=review")),
    "registration:app-material": unscoped(*WINDOW, kwargs=kw(pk="application", material_pk="material")),
    "registration:app-return-notice-pdf": unscoped(
        *WINDOW, heavy=True, kwargs=kw(pk="application", notice_pk="return_notice")
    ),
    # Neither document exists yet for a returned application.
    "registration:app-acceptance-pdf": unscoped(*WINDOW, ok=404, kwargs=kw(pk="application")),
    "registration:app-commitment-pdf": unscoped(*WINDOW, ok=404, kwargs=kw(pk="application")),
    "registration:cert-organisations": unscoped(*WINDOW),
    "registration:cert-organisation": unscoped(*WINDOW, kwargs=kw(pk="organisation")),
    "registration:cert-organisation-revoke": unscoped(C.WINDOW_DECIDE, methods=POST, kwargs=kw(pk="organisation")),
    "registration:cert-certificate-pdf": unscoped(*WINDOW, heavy=True, kwargs=kw(pk="certificate")),
    "registration:cert-renewals": unscoped(*WINDOW),
    "registration:cert-renewal-void": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="renewal")),
    "registration:cert-organisation-phones": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="organisation")),
    "registration:cert-renewal-received": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="renewal")),
    "registration:cert-renewal-mail-out": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="renewal")),
    "registration:cert-stats": unscoped(*WINDOW),
    "registration:cert-stats-export": unscoped(roles=roles_with(*WINDOW) & roles_with(C.EXPORT_DATA), heavy=True),
    "registration-public:home": public(),
    "registration-public:appt-notice": public(),
    "registration-public:appt-notice-pdf": public(),
    "registration-public:appt-template": public(kwargs=kw(key="=none")),
    "registration-public:appt-book": public(methods=BOTH),
    "registration-public:appt-book-done": public(),
    "registration-public:appt-cancel": public(methods=BOTH, kwargs=kw(token="=none")),
    "registration-public:app-apply": public(),
    "registration-public:app-apply-form": public(methods=BOTH, kwargs=kw(service="=pne-establish")),
    "registration-public:app-track-lookup": public(methods=BOTH),
    "registration-public:app-track": public(kwargs=kw(code="application.tracking_code")),
    "registration-public:app-public-edit": public(methods=BOTH, kwargs=kw(code="application.tracking_code")),
    "registration-public:app-public-action": public(
        methods=POST, kwargs=kw(code="application.tracking_code", name="=withdraw")
    ),
    "registration-public:app-public-material": public(
        kwargs=kw(code="application.tracking_code", material_pk="material")
    ),
    "registration-public:app-public-return-notice-pdf": public(
        kwargs=kw(code="application.tracking_code", notice_pk="return_notice")
    ),
    "registration-public:app-public-acceptance-pdf": public(kwargs=kw(code="application.tracking_code")),
    "registration-public:app-public-commitment-pdf": public(kwargs=kw(code="application.tracking_code")),
    "registration-public:cert-directory": public(),
    "registration-public:cert-directory-organisation": public(kwargs=kw(code="organisation.credit_code")),
    "registration-public:cert-verify-form": public(),
    "registration-public:cert-verify": public(kwargs=kw(code="certificate.number")),
    "registration-public:cert-renew": public(methods=BOTH),
    "registration-public:cert-renew-check": public(),
    # The code step of a renewal by mail (ADR 0028): an unknown token is a 404 page.
    "registration-public:cert-renew-verify": public(methods=BOTH, kwargs=kw(token="=unknown-token")),
    "registration-public:cert-renew-resend": public(methods=POST, kwargs=kw(token="=unknown-token")),
    "registration-public:cert-renew-done": public(kwargs=kw(code="renewal.tracking_code")),
    "registration-public:cert-applicant-pdf": public(kwargs=kw(code="application.tracking_code")),
    "api:appt-services": public(),
    "api:appt-notice": public(methods=POST),
    "api:appt-dates": public(),
    "api:appt-slots": public(),
    # GET lists the day's appointments (window staff); POST is the public booking.
    "api:appt-appointments": unscoped(*WINDOW),
    "api:appt-cancel": public(methods=POST),
    "api:appt-attended": unscoped(*WINDOW, methods=POST, kwargs=kw(pk=1)),
    "api:appt-no-show": unscoped(*WINDOW, methods=POST, kwargs=kw(pk=1)),
    "api:app-list": unscoped(*WINDOW),
    "api:app-detail": unscoped(*WINDOW, kwargs=kw(pk="application")),
    **{
        f"api:app-{name}": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="application"))
        for name in (
            "update",
            "materials",
            "submit",
            "resubmit",
            "review",
            "return",
            "accept",
            "suspend",
            "resume",
            "extend",
            "withdraw",
            "commitment",
            "commitment-sign",
            "commitment-verify",
        )
    },
    "api:app-approve": unscoped(C.WINDOW_DECIDE, methods=POST, kwargs=kw(pk="application")),
    "api:app-refuse": unscoped(C.WINDOW_DECIDE, methods=POST, kwargs=kw(pk="application")),
    "api:app-public-create": public(methods=POST),
    "api:app-public-detail": public(kwargs=kw(code="application.tracking_code")),
    **{
        f"api:app-public-{name}": public(methods=POST, kwargs=kw(code="application.tracking_code"))
        for name in ("update", "materials", "submit", "resubmit", "withdraw", "commitment", "commitment-sign")
    },
    "api:cert-organisation-list": unscoped(*WINDOW),
    "api:cert-organisation-detail": unscoped(*WINDOW, kwargs=kw(pk="organisation")),
    "api:cert-organisation-revoke": unscoped(C.WINDOW_DECIDE, methods=POST, kwargs=kw(pk="organisation")),
    "api:cert-certificate-list": unscoped(*WINDOW),
    "api:cert-certificate-detail": unscoped(*WINDOW, kwargs=kw(pk="certificate")),
    "api:cert-certificate-pdf": unscoped(*WINDOW, heavy=True, kwargs=kw(pk="certificate")),
    "api:cert-directory": public(),
    "api:cert-directory-detail": public(kwargs=kw(code="organisation.credit_code")),
    "api:cert-verify": public(kwargs=kw(code="certificate.number")),
    "api:cert-renewal-create": public(methods=POST),
    "api:cert-renewal-verify": public(methods=POST),
    "api:cert-renewal-resend": public(methods=POST),
    "api:cert-renewal-void": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="renewal")),
    "api:cert-renewal-waiting": unscoped(*WINDOW),
    "api:cert-renewal-receive": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="renewal")),
    "api:cert-renewal-mail-out": unscoped(*WINDOW, methods=POST, kwargs=kw(pk="renewal")),
    "api:cert-stats": unscoped(*WINDOW),
}

MANAGE = (C.MANAGE_MEDIATION,)

MEDIATION: dict[str, Access] = {
    "mediation:queue": unscoped(*CENTRE),
    "mediation:register": unscoped(*MANAGE, methods=BOTH),
    "mediation:case": staff(*CENTRE, kwargs=kw(pk="case")),
    # The case has no agreement (yet) and did not come from a matter: 404 to the team too.
    "mediation:agreement-pdf": staff(*CENTRE, ok=404, kwargs=kw(pk="case")),
    "mediation:case-matter-attachment": staff(*CENTRE, ok=404, kwargs=kw(pk="case", attachment_pk="attachment")),
    "mediation:case-action": staff(*CENTRE, methods=POST, kwargs=kw(pk="case", action="=notes")),
    "mediation:session-record": staff(*CENTRE, methods=POST, kwargs=kw(pk="mediation_session")),
    "mediation:session-cancel": staff(*CENTRE, methods=POST, kwargs=kw(pk="mediation_session")),
    "mediation:party-reveal": staff(*CENTRE, methods=POST, kwargs=kw(pk="party")),
    "mediation:teams": unscoped(*CENTRE),
    "mediation:stats": unscoped(*MANAGE),
    "mediation:mine": unscoped(*CENTRE),
    "mediation:grids": unscoped(C.LEGAL_CONSULT, methods=BOTH),
    "mediation:consultations": unscoped(*CENTRE),
    "mediation:transfer": staff(*MANAGE, methods=BOTH, kwargs=kw(matter_pk="handling")),
    "mediation:refer": staff(C.REFER_DISPUTES, methods=BOTH, kwargs=kw(matter_pk="handling")),
    "mediation:referrals": unscoped(*MANAGE),
    "mediation:referral": staff(*MANAGE, kwargs=kw(pk="referral")),
    "mediation:referral-accept": staff(*MANAGE, methods=POST, kwargs=kw(pk="referral")),
    "mediation:referral-return": staff(*MANAGE, methods=POST, kwargs=kw(pk="referral")),
    "api:mediation-workloads": unscoped(*CENTRE),
    "api:mediation-stats": unscoped(*MANAGE),
    "api:mediation-case-list": unscoped(*CENTRE),
    "api:mediation-case-from-matter": unscoped(*MANAGE, methods=POST),
    "api:mediation-case-detail": staff(*CENTRE, kwargs=kw(pk="case")),
    "api:mediation-case-agreement": staff(*CENTRE, ok=404, kwargs=kw(pk="case")),
    **{
        f"api:mediation-case-{name}": staff(*MANAGE, methods=POST, kwargs=kw(pk="case"))
        for name in ("accept", "close", "decline", "parties", "team")
    },
    **{
        f"api:mediation-case-{name}": staff(*CENTRE, methods=POST, kwargs=kw(pk="case"))
        for name in (
            "agree",
            "extend",
            "fail",
            "follow-up",
            "judicial-apply",
            "judicial-result",
            "notes",
            "sessions",
            "start",
        )
    },
    "api:mediation-referral-list": unscoped(*MANAGE),
    "api:mediation-referral-detail": staff(*MANAGE, kwargs=kw(pk="referral")),
    "api:mediation-referral-accept": staff(*MANAGE, methods=POST, kwargs=kw(pk="referral")),
    "api:mediation-referral-return-": staff(*MANAGE, methods=POST, kwargs=kw(pk="referral")),
    "api:mediation-session-cancel": staff(*CENTRE, methods=POST, kwargs=kw(pk="mediation_session")),
    "api:mediation-session-record": staff(*CENTRE, methods=POST, kwargs=kw(pk="mediation_session")),
    "api:mediation-party-reveal": staff(*CENTRE, methods=POST, kwargs=kw(pk="party")),
    "api:mediation-committee-list": unscoped(*CENTRE),
    "api:mediation-grid-adviser-list": unscoped(*CENTRE),
    "api:mediation-consultation-list": unscoped(*CENTRE),
}

# The weekly key-village selection and the ranking are the subdistrict's.
SUBDISTRICT = frozenset({R.SUBDISTRICT_STAFF})

DELIBERATION: dict[str, Access] = {
    "deliberation:list": unscoped(*MEETINGS),
    "deliberation:new": unscoped(*MEETINGS, methods=BOTH),
    "deliberation:meeting": staff(*MEETINGS, kwargs=kw(pk="meeting")),
    "deliberation:meeting-action": staff(*MEETINGS, methods=POST, kwargs=kw(pk="meeting", action="=open")),
    "deliberation:agenda-add": staff(*MEETINGS, methods=POST, kwargs=kw(pk="meeting")),
    "deliberation:minutes-pdf": staff(*MEETINGS, heavy=True, kwargs=kw(pk="meeting")),
    "deliberation:invite": staff(*MEETINGS, methods=POST, kwargs=kw(pk="meeting")),
    "deliberation:check-in": staff(*MEETINGS, methods=POST, kwargs=kw(pk="invitation")),
    "deliberation:uninvite": staff(*MEETINGS, methods=POST, kwargs=kw(pk="invitation")),
    "deliberation:resolution-new": staff(*MEETINGS, methods=POST, kwargs=kw(pk="agenda_item")),
    "deliberation:resolution-fix": staff(*MEETINGS, methods=POST, kwargs=kw(pk="resolution")),
    "deliberation:rules": unscoped(*MEETINGS, methods=BOTH),
    "deliberation:rule-publish": staff(*MEETINGS, methods=POST, kwargs=kw(pk="rules")),
    "deliberation:proposals": unscoped(*MEETINGS, methods=BOTH),
    "deliberation:weekly": unscoped(*MEETINGS),
    "deliberation:public-rules": public(methods=BOTH),
    "deliberation:public-decisions": public(),
    "deliberation:public-propose": public(),
    "deliberation:calendar": public(kwargs=kw(pk="village")),
    "deliberation:rep-home": public(kwargs=kw(token="=none")),
    "api:deliberation-rule-list": unscoped(*MEETINGS),
    "api:deliberation-rule-publish": staff(*MEETINGS, methods=POST, kwargs=kw(pk="rules")),
    "api:deliberation-meeting-list": unscoped(*MEETINGS),
    "api:deliberation-meeting-detail": staff(*MEETINGS, kwargs=kw(pk="meeting")),
    **{
        f"api:deliberation-meeting-{name}": staff(*MEETINGS, methods=POST, kwargs=kw(pk="meeting"))
        for name in ("adjourn", "agenda", "cancel", "close", "invite", "open", "resume")
    },
    "api:deliberation-invitation-check-in": staff(*MEETINGS, methods=POST, kwargs=kw(pk="invitation")),
    "api:deliberation-invitation-remove": staff(*MEETINGS, methods=POST, kwargs=kw(pk="invitation")),
    "api:deliberation-item-resolution": staff(*MEETINGS, methods=POST, kwargs=kw(pk="agenda_item")),
    "api:deliberation-resolution-correct": staff(*MEETINGS, methods=POST, kwargs=kw(pk="resolution")),
    "api:deliberation-proposal-list": unscoped(*MEETINGS),
    "api:deliberation-proposal-moderate": staff(*MEETINGS, methods=POST, kwargs=kw(pk="proposal")),
    "api:deliberation-weekly-list": unscoped(*MEETINGS),
    "api:deliberation-weekly-confirm": unscoped(*MEETINGS, methods=POST, kwargs=kw(pk="weekly")),
    "api:deliberation-weekly-convene": unscoped(*MEETINGS, methods=POST, kwargs=kw(pk="weekly")),
}

EVALUATION: dict[str, Access] = {
    "evaluation:list": unscoped(*APPRAISALS),
    "evaluation:new": unscoped(*APPRAISALS, methods=POST),
    "evaluation:ranking": unscoped(*APPRAISALS),
    "evaluation:ranking-rule": unscoped(roles=SUBDISTRICT, methods=POST),
    "evaluation:ranking-publish": unscoped(roles=SUBDISTRICT, methods=POST),
    "evaluation:detail": staff(*APPRAISALS, kwargs=kw(pk="appraisal")),
    **{
        f"evaluation:{name}": staff(*APPRAISALS, methods=POST, kwargs=kw(pk="appraisal"))
        for name in ("refresh", "freeze", "slips", "close", "paper")
    },
    "evaluation:item-remove": staff(*APPRAISALS, methods=POST, kwargs=kw(pk="appraisal", item_id="appraisal_item")),
    "evaluation:roster-remove": staff(*APPRAISALS, methods=POST, kwargs=kw(pk="appraisal", entry_id="roster_entry")),
    "ballot:index": public(),
    "ballot:vote": public(methods=BOTH, kwargs=kw(pk="appraisal")),
    "ballot:board": public(kwargs=kw(pk="appraisal")),
    "ballot:board-json": public(kwargs=kw(pk="appraisal")),
    "api:evaluation-vote": public(methods=POST, kwargs=kw(pk="appraisal")),
    "api:evaluation-board": public(kwargs=kw(pk="appraisal")),
    "api:evaluation-ranking": unscoped(*APPRAISALS),
    "api:evaluation-ranking-rule": unscoped(*APPRAISALS),
    "api:evaluation-ranking-publish": unscoped(roles=SUBDISTRICT, methods=POST),
    "api:evaluation-session-list": unscoped(*APPRAISALS),
    "api:evaluation-session-detail": staff(*APPRAISALS, kwargs=kw(pk="appraisal")),
    # A draft session has no results yet: 409 to those who may see them.
    "api:evaluation-session-results": staff(*APPRAISALS, ok=409, kwargs=kw(pk="appraisal")),
    **{
        f"api:evaluation-session-{name}": staff(*APPRAISALS, methods=POST, kwargs=kw(pk="appraisal"))
        for name in ("close", "freeze", "paper-tally", "slips")
    },
}

PUBLISH = (C.PUBLISH,)

PUBLICITY: dict[str, Access] = {
    "publicity:list": unscoped(*PUBLISH),
    "publicity:new-resolution": staff(*PUBLISH, methods=BOTH, kwargs=kw(meeting_id="meeting")),
    # A draft appraisal has nothing to publish: back to the session page.
    "publicity:new-appraisal": staff(*PUBLISH, methods=BOTH, ok=302, kwargs=kw(session_id="appraisal")),
    "publicity:detail": staff(*PUBLISH, kwargs=kw(pk="publication")),
    "publicity:edit": staff(*PUBLISH, methods=BOTH, kwargs=kw(pk="publication")),
    "publicity:publish": staff(*PUBLISH, methods=POST, kwargs=kw(pk="publication")),
    "publicity:withdraw": staff(*PUBLISH, methods=POST, kwargs=kw(pk="publication")),
    "notices:index": public(),
    "notices:village": public(kwargs=kw(village_id="village")),
    "notices:detail": public(kwargs=kw(pk="publication")),
    "notices:objection": public(methods=POST, kwargs=kw(pk="publication")),
    "notices-board:led": public(kwargs=kw(village_id="village")),
    "notices-board:led-compact": public(kwargs=kw(village_id="village")),
    "notices-board:led-text": public(kwargs=kw(village_id="village")),
    "notices-board:feed": public(kwargs=kw(village_id="village")),
    "notices-board:notice-pdf": public(kwargs=kw(pk="publication")),
    "api:publicity-publication-list": unscoped(*PUBLISH),
    "api:publicity-publication-detail": staff(*PUBLISH, kwargs=kw(pk="publication")),
    "api:publicity-publication-objections": staff(*PUBLISH, kwargs=kw(pk="publication")),
    "api:publicity-publication-publish": staff(*PUBLISH, methods=POST, kwargs=kw(pk="publication")),
    "api:publicity-publication-withdraw": staff(*PUBLISH, methods=POST, kwargs=kw(pk="publication")),
}

ADDR_VIEW = (C.VIEW_ADDRESSES,)
ADDR_COLLECT = (C.COLLECT_ADDRESSES,)
ADDR_VERIFY = (C.VERIFY_ADDRESSES,)
ADDR_MANAGE = (C.MANAGE_ADDRESSES,)

ADDRESSES: dict[str, Access] = {
    "addresses:list": unscoped(*ADDR_VIEW),
    # Village staff see what waits for their check, the subdistrict what waits for its sign-off.
    "addresses:queue": unscoped(*ADDR_VIEW),
    "addresses:transfer": unscoped(*ADDR_MANAGE, methods=BOTH),
    "addresses:export": unscoped(*ADDR_MANAGE, heavy=True),
    "addresses:households": unscoped(*ADDR_MANAGE),
    "addresses:households-link": unscoped(*ADDR_MANAGE, methods=POST),
    "addresses:detail": staff(*ADDR_VIEW, kwargs=kw(pk="address")),
    "addresses:photo": staff(*ADDR_VIEW, kwargs=kw(pk="address")),
    "addresses:collect": staff(*ADDR_COLLECT, methods=BOTH, kwargs=kw(pk="address")),
    "addresses:verify": staff(*ADDR_VERIFY, methods=POST, kwargs=kw(pk="address")),
    "addresses:sign-off": staff(*ADDR_MANAGE, methods=POST, kwargs=kw(pk="address")),
    "addresses:doubt": staff(*ADDR_VERIFY, *ADDR_MANAGE, methods=POST, kwargs=kw(pk="address")),
    "addresses:campaigns": unscoped(*ADDR_VIEW),
    "addresses:campaign-open": unscoped(*ADDR_MANAGE, methods=BOTH),
    "addresses:campaign": staff(*ADDR_VIEW, kwargs=kw(pk="address_campaign")),
    "addresses:campaign-close": staff(*ADDR_MANAGE, methods=POST, kwargs=kw(pk="address_campaign")),
    "addresses:batch": staff(*ADDR_COLLECT, kwargs=kw(pk="address_batch")),
    "addresses:batch-sign-off": staff(*ADDR_MANAGE, methods=POST, kwargs=kw(pk="address_batch")),
    "api:address-list": unscoped(*ADDR_VIEW),
    "api:address-detail": staff(*ADDR_VIEW, kwargs=kw(pk="address")),
    "api:address-events": staff(*ADDR_VIEW, kwargs=kw(pk="address")),
    "api:address-collect": staff(*ADDR_COLLECT, methods=POST, kwargs=kw(pk="address")),
    "api:address-verify": staff(*ADDR_VERIFY, methods=POST, kwargs=kw(pk="address")),
    "api:address-sign-off": staff(*ADDR_MANAGE, methods=POST, kwargs=kw(pk="address")),
    "api:address-doubt": staff(*ADDR_VERIFY, *ADDR_MANAGE, methods=POST, kwargs=kw(pk="address")),
    "api:address-campaign-list": unscoped(*ADDR_VIEW),
    "api:address-campaign-detail": staff(*ADDR_VIEW, kwargs=kw(pk="address_campaign")),
    "api:address-campaign-progress": staff(*ADDR_VIEW, kwargs=kw(pk="address_campaign")),
    "api:address-campaign-close": staff(*ADDR_MANAGE, methods=POST, kwargs=kw(pk="address_campaign")),
}

SAFETY_VIEW = (C.VIEW_SAFETY,)
SAFETY_INSPECT = (C.INSPECT_SAFETY,)
SAFETY_MANAGE = (C.MANAGE_SAFETY,)

SAFETY: dict[str, Access] = {
    "safety:list": unscoped(*SAFETY_VIEW),
    "safety:premises-new": unscoped(*SAFETY_INSPECT, methods=BOTH),
    "safety:premises": staff(*SAFETY_VIEW, kwargs=kw(pk="premises")),
    "safety:premises-edit": staff(*SAFETY_INSPECT, methods=BOTH, kwargs=kw(pk="premises")),
    "safety:premises-close": staff(*SAFETY_MANAGE, methods=POST, kwargs=kw(pk="premises")),
    "safety:premises-reopen": staff(*SAFETY_MANAGE, methods=POST, kwargs=kw(pk="premises")),
    "api:safety-premises-list": unscoped(*SAFETY_VIEW, methods=BOTH),
    "api:safety-premises-detail": staff(*SAFETY_VIEW, methods=("GET", "PUT"), kwargs=kw(pk="premises")),
    "api:safety-premises-events": staff(*SAFETY_VIEW, kwargs=kw(pk="premises")),
    "api:safety-premises-close": staff(*SAFETY_MANAGE, methods=POST, kwargs=kw(pk="premises")),
    "api:safety-premises-reopen": staff(*SAFETY_MANAGE, methods=POST, kwargs=kw(pk="premises")),
    "safety:inspect": staff(*SAFETY_INSPECT, methods=BOTH, kwargs=kw(pk="premises")),
    "safety:inspection": staff(*SAFETY_VIEW, kwargs=kw(pk="inspection")),
    "safety:inspection-photo": staff(*SAFETY_VIEW, kwargs=kw(pk="inspection_photo")),
    "safety:hazard-raise": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="inspection")),
    "safety:hazards": unscoped(*SAFETY_VIEW),
    "safety:hazard": staff(*SAFETY_VIEW, kwargs=kw(pk="hazard")),
    "safety:hazard-issue-notice": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "safety:hazard-rectify": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "safety:hazard-reinspect": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "safety:hazard-refer": staff(*SAFETY_MANAGE, methods=POST, kwargs=kw(pk="hazard")),
    "safety:hazard-notice": staff(*SAFETY_VIEW, heavy=True, kwargs=kw(pk="hazard")),
    "safety:hazard-evidence": staff(*SAFETY_VIEW, kwargs=kw(pk="hazard")),
    # What a rectification notice's QR code opens: public, by its unguessable code.
    "safety-public:check": public(kwargs=kw(code="hazard.public_code")),
    "safety:campaigns": unscoped(*SAFETY_VIEW),
    "safety:campaign-open": unscoped(*SAFETY_MANAGE, methods=BOTH),
    "safety:campaign": staff(*SAFETY_VIEW, kwargs=kw(pk="safety_campaign")),
    "safety:statistics": unscoped(*SAFETY_VIEW),
    "safety:statistics-export": unscoped(*SAFETY_VIEW, heavy=True),
    "api:safety-hazard-list": unscoped(*SAFETY_VIEW),
    "api:safety-inspection-list": unscoped(*SAFETY_VIEW, methods=BOTH),
    "api:safety-inspection-detail": staff(*SAFETY_VIEW, kwargs=kw(pk="inspection")),
    # Opening a campaign (POST) needs MANAGE_SAFETY: safety/tests/test_api_campaigns.py.
    "api:safety-campaign-list": unscoped(*SAFETY_VIEW),
    "api:safety-campaign-detail": staff(*SAFETY_VIEW, kwargs=kw(pk="safety_campaign")),
    "api:safety-statistics": unscoped(*SAFETY_VIEW),
    "api:safety-hazard-detail": staff(*SAFETY_VIEW, kwargs=kw(pk="hazard")),
    "api:safety-hazard-issue-notice": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "api:safety-hazard-rectify": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "api:safety-hazard-reinspect": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "api:safety-hazard-refer": staff(*SAFETY_MANAGE, methods=POST, kwargs=kw(pk="hazard")),
    # Hazards and matters linked both ways (ADR 0039): the lead starts from a
    # matter (inspecting staff who see matters), the matter from a hazard.
    "safety:lead": staff(*SAFETY_INSPECT, methods=BOTH, kwargs=kw(pk="matter")),
    "safety:hazard-open-matter": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    "api:safety-matter-hazard-lead": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="matter")),
    "api:safety-hazard-link-open-matter": staff(*SAFETY_INSPECT, methods=POST, kwargs=kw(pk="hazard")),
    # Checklists are the subdistrict's catalogue, the same for the whole tree.
    "safety:checklists": unscoped(*SAFETY_VIEW),
    "safety:checklist": unscoped(*SAFETY_VIEW, kwargs=kw(pk="checklist")),
    "safety:checklist-publish": unscoped(C.MANAGE_CHECKLISTS, methods=BOTH, kwargs=kw(pk="checklist")),
    "api:safety-checklist-list": unscoped(*SAFETY_VIEW),
    "api:safety-checklist-detail": unscoped(*SAFETY_VIEW, kwargs=kw(pk="checklist")),
    "api:safety-checklist-publish": unscoped(C.MANAGE_CHECKLISTS, methods=POST, kwargs=kw(pk="checklist")),
}

CARE_VIEW = (C.VIEW_CARE,)
CARE_RECORD = (C.RECORD_CARE,)
CARE_MANAGE = (C.MANAGE_CARE,)
PROJECTS = (C.MANAGE_PROJECTS,)
CARE_LIST = kw(pk="node", kind="=living_alone")

LIVELIHOOD: dict[str, Access] = {
    "livelihood:index": unscoped(*CARE_VIEW),
    "livelihood:coverage-export": unscoped(roles=roles_with(*CARE_VIEW) & roles_with(C.EXPORT_DATA), heavy=True),
    "livelihood:list": staff(*CARE_VIEW, kwargs=CARE_LIST),
    "livelihood:list-print": staff(*CARE_VIEW, kwargs=CARE_LIST, heavy=True),
    "livelihood:list-export": staff(
        roles=roles_with(*CARE_VIEW) & roles_with(C.EXPORT_DATA), kwargs=CARE_LIST, heavy=True
    ),
    "livelihood:visit-new": staff(*CARE_RECORD, methods=BOTH, kwargs=kw(pk="resident", kind="=living_alone")),
    "livelihood:visits": unscoped(*CARE_VIEW),
    "livelihood:visit": staff(*CARE_VIEW, kwargs=kw(pk="care_visit")),
    "livelihood:visit-matter": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="care_visit")),
    "livelihood:health-rounds": unscoped(*CARE_VIEW),
    "livelihood:health-round-new": unscoped(*CARE_RECORD, methods=BOTH),
    "livelihood:flags": unscoped(*CARE_VIEW),
    "livelihood:flag-new": unscoped(*CARE_MANAGE, methods=BOTH),
    "livelihood:flag-end": staff(*CARE_MANAGE, methods=POST, kwargs=kw(pk="care_flag")),
    "livelihood:flag-restore": staff(*CARE_MANAGE, methods=POST, kwargs=kw(pk="care_flag")),
    "api:livelihood-grid-list": unscoped(*CARE_VIEW),
    "api:livelihood-grid-care-list": staff(*CARE_VIEW, kwargs=kw(pk="node"), query="kind=birthday"),
    "api:livelihood-visit-list": unscoped(*CARE_VIEW, methods=BOTH),
    "api:livelihood-visit-detail": staff(*CARE_VIEW, kwargs=kw(pk="care_visit")),
    "api:livelihood-visit-matter": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="care_visit")),
    "api:livelihood-health-round-list": unscoped(*CARE_VIEW, methods=BOTH),
    "api:livelihood-health-round-detail": staff(*CARE_VIEW, kwargs=kw(pk="health_round")),
    "api:livelihood-flag-list": unscoped(*CARE_VIEW, methods=BOTH),
    "api:livelihood-flag-detail": staff(*CARE_VIEW, kwargs=kw(pk="care_flag")),
    "api:livelihood-flag-end": staff(*CARE_MANAGE, methods=POST, kwargs=kw(pk="care_flag")),
    "api:livelihood-flag-restore": staff(*CARE_MANAGE, methods=POST, kwargs=kw(pk="care_flag")),
    "livelihood:projects": unscoped(*CARE_VIEW),
    "livelihood:project-new": unscoped(*PROJECTS, methods=BOTH),
    "livelihood:project": staff(*CARE_VIEW, kwargs=kw(pk="project")),
    "livelihood:project-photo-add": staff(*PROJECTS, methods=POST, kwargs=kw(pk="project")),
    "livelihood:project-photo": staff(*CARE_VIEW, kwargs=kw(pk="project_photo")),
    "livelihood:milestone-reach": staff(*PROJECTS, methods=POST, kwargs=kw(pk="milestone")),
    "api:livelihood-project-list": unscoped(*CARE_VIEW, methods=BOTH),
    "api:livelihood-project-detail": staff(*CARE_VIEW, kwargs=kw(pk="project")),
    "api:livelihood-project-photos": staff(*PROJECTS, methods=POST, kwargs=kw(pk="project")),
    "api:livelihood-milestone-detail": staff(*CARE_VIEW, kwargs=kw(pk="milestone")),
    "api:livelihood-milestone-reach": staff(*PROJECTS, methods=POST, kwargs=kw(pk="milestone")),
    "livelihood:activities": unscoped(*CARE_VIEW),
    "livelihood:activity-new": unscoped(*PROJECTS, methods=BOTH),
    "livelihood:activity": staff(*CARE_VIEW, kwargs=kw(pk="activity")),
    "livelihood:activity-register": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="activity")),
    "livelihood:activity-check-in": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="activity")),
    "livelihood:activity-photo-add": staff(*PROJECTS, methods=POST, kwargs=kw(pk="activity")),
    "livelihood:activity-photo": staff(*CARE_VIEW, kwargs=kw(pk="activity_photo")),
    "livelihood:registration-attend": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="registration")),
    "api:livelihood-activity-list": unscoped(*CARE_VIEW, methods=BOTH),
    "api:livelihood-activity-detail": staff(*CARE_VIEW, kwargs=kw(pk="activity")),
    "api:livelihood-activity-register": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="activity")),
    "api:livelihood-activity-check-in": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="activity")),
    "api:livelihood-activity-photos": staff(*PROJECTS, methods=POST, kwargs=kw(pk="activity")),
    "api:livelihood-registration-detail": staff(*CARE_VIEW, kwargs=kw(pk="registration")),
    "api:livelihood-registration-attend": staff(*CARE_RECORD, methods=POST, kwargs=kw(pk="registration")),
}

REL_VIEW = (C.VIEW_RELOCATION,)
# Stages, the handover and "my units": village and subdistrict staff (any unit
# of their subtree) and the relocation worker (their own units: the service
# then refuses another's with 403, ADR 0046).
REL_WORK = (C.WORK_RELOCATION, C.WORK_ASSIGNED_RELOCATION)
REL_MANAGE = (C.MANAGE_RELOCATION,)
REL_STAGES = ("confirm", "assess", "sign", "vacate", "demolish", "compensate")

RELOCATION: dict[str, Access] = {
    "relocation:projects": unscoped(*REL_VIEW),
    "relocation:mine": unscoped(*REL_WORK),
    "relocation:project-new": unscoped(*REL_MANAGE, methods=BOTH),
    "relocation:batch-new": staff(*REL_MANAGE, methods=POST, kwargs=kw(pk="relocation_project")),
    "relocation:project": staff(*REL_VIEW, kwargs=kw(pk="relocation_project")),
    "relocation:project-edit": staff(*REL_MANAGE, methods=BOTH, kwargs=kw(pk="relocation_project")),
    "relocation:reassign": staff(*REL_MANAGE, methods=BOTH, kwargs=kw(pk="relocation_project")),
    "relocation:batch-edit": staff(*REL_MANAGE, methods=BOTH, kwargs=kw(pk="relocation_batch")),
    "relocation:units": staff(*REL_VIEW, kwargs=kw(pk="relocation_project")),
    "relocation:report-pdf": staff(*REL_MANAGE, heavy=True, kwargs=kw(pk="relocation_project")),
    "relocation:report-xlsx": staff(*REL_MANAGE, heavy=True, kwargs=kw(pk="relocation_project")),
    "relocation:import-units": staff(*REL_MANAGE, methods=BOTH, kwargs=kw(pk="relocation_project")),
    "relocation:import-stages": staff(*REL_MANAGE, methods=BOTH, kwargs=kw(pk="relocation_project")),
    "relocation:unit": staff(*REL_VIEW, kwargs=kw(pk="relocation_unit")),
    "relocation:unit-handover": staff(*REL_WORK, methods=POST, kwargs=kw(pk="relocation_unit")),
    # The gate is VIEW_RELOCATION; the service then refuses all but the unit's
    # worker and the security administrator, and audits the refusal (ADR 0019).
    "relocation:unit-reveal": staff(*REL_VIEW, methods=POST, kwargs=kw(pk="relocation_unit")),
    **{f"relocation:unit-{a}": staff(*REL_WORK, methods=POST, kwargs=kw(pk="relocation_unit")) for a in REL_STAGES},
    "api:relocation-project-list": unscoped(*REL_VIEW),
    "api:relocation-project-detail": staff(*REL_VIEW, kwargs=kw(pk="relocation_project")),
    "api:relocation-project-progress": staff(*REL_VIEW, kwargs=kw(pk="relocation_project")),
    "api:relocation-project-edit": staff(*REL_MANAGE, methods=POST, kwargs=kw(pk="relocation_project")),
    "api:relocation-project-reassign": staff(*REL_MANAGE, methods=POST, kwargs=kw(pk="relocation_project")),
    "api:relocation-batch-detail": staff(*REL_VIEW, kwargs=kw(pk="relocation_batch")),
    "api:relocation-batch-edit": staff(*REL_MANAGE, methods=POST, kwargs=kw(pk="relocation_batch")),
    "api:relocation-unit-list": unscoped(*REL_VIEW),
    "api:relocation-unit-detail": staff(*REL_VIEW, kwargs=kw(pk="relocation_unit")),
    "api:relocation-unit-handover": staff(*REL_WORK, methods=POST, kwargs=kw(pk="relocation_unit")),
    **{f"api:relocation-unit-{a}": staff(*REL_WORK, methods=POST, kwargs=kw(pk="relocation_unit")) for a in REL_STAGES},
}

PARTY_VIEW = (C.VIEW_PARTY,)
PARTY_MANAGE = (C.MANAGE_PARTY,)

# Party building (ADR 0043): membership is sensitive, behind its own
# capabilities. Pages a member uses (pairs, the 红黄榜) also let in a staff
# user who is a party member; the world's users are not members, so the
# capability decides here. The QR sign-in page is any staff user's (a
# non-member is told why); the 红黄榜 is per subdistrict (one for both sides).
PARTY: dict[str, Access] = {
    "party:home": unscoped(*PARTY_VIEW),
    "party:branch-new": unscoped(*PARTY_MANAGE, methods=BOTH),
    "party:branch": staff(*PARTY_VIEW, kwargs=kw(pk="party_branch")),
    "party:member-new": staff(*PARTY_MANAGE, methods=BOTH, kwargs=kw(pk="party_branch")),
    "party:member": staff(*PARTY_VIEW, kwargs=kw(pk="party_member")),
    "party:member-reveal": staff(*PARTY_MANAGE, methods=POST, kwargs=kw(pk="party_member")),
    "party:pairs": unscoped(*PARTY_VIEW),
    "party:pair-new": unscoped(*PARTY_MANAGE, methods=BOTH),
    "party:pair": staff(*PARTY_VIEW, kwargs=kw(pk="party_pair")),
    "party:pair-visit": staff(*PARTY_VIEW, methods=POST, kwargs=kw(pk="party_pair")),
    "party:trainings": unscoped(*PARTY_VIEW),
    "party:training-new": unscoped(*PARTY_MANAGE, methods=BOTH),
    "party:training": staff(*PARTY_VIEW, kwargs=kw(pk="party_training")),
    "party:hours": unscoped(*PARTY_VIEW),
    "party:sign-in": unscoped(roles=ANY_STAFF, methods=BOTH, kwargs=kw(token="party_training.signin_token")),
    "party:board": unscoped(*PARTY_VIEW),
    "party:board-compute": unscoped(*PARTY_MANAGE, methods=POST),
    "party:board-publish": unscoped(*PARTY_MANAGE, methods=POST, kwargs=kw(pk="party_board")),
    "party:board-withdraw": unscoped(*PARTY_MANAGE, methods=POST, kwargs=kw(pk="party_board")),
    "party:rule": unscoped(*PARTY_VIEW, methods=BOTH),
    "api:party-branch-list": unscoped(*PARTY_VIEW, methods=BOTH),
    "api:party-branch-detail": staff(*PARTY_VIEW, kwargs=kw(pk="party_branch")),
    "api:party-member-list": unscoped(*PARTY_VIEW, methods=BOTH),
    "api:party-member-detail": staff(*PARTY_VIEW, kwargs=kw(pk="party_member")),
    "api:party-member-reveal": staff(*PARTY_MANAGE, methods=POST, kwargs=kw(pk="party_member")),
    "api:party-pair-list": unscoped(*PARTY_VIEW, methods=BOTH),
    "api:party-pair-detail": staff(*PARTY_VIEW, kwargs=kw(pk="party_pair")),
    "api:party-pair-visit": staff(*PARTY_VIEW, methods=POST, kwargs=kw(pk="party_pair")),
    "api:party-training-list": unscoped(*PARTY_VIEW, methods=BOTH),
    "api:party-training-detail": staff(*PARTY_VIEW, kwargs=kw(pk="party_training")),
    "api:party-training-sign-in": unscoped(roles=ANY_STAFF, methods=POST),
    "api:party-board-list": unscoped(*PARTY_VIEW),
    "api:party-board-entries": unscoped(*PARTY_VIEW, kwargs=kw(pk="party_board")),
    "api:party-board-compute": unscoped(*PARTY_MANAGE, methods=POST),
    "api:party-board-publish": unscoped(*PARTY_MANAGE, methods=POST, kwargs=kw(pk="party_board")),
    "api:party-board-withdraw": unscoped(*PARTY_MANAGE, methods=POST, kwargs=kw(pk="party_board")),
    "api:party-board-rule": unscoped(*PARTY_VIEW, methods=BOTH),
}

ECON_VIEW = (C.VIEW_ECONOMY,)
ECON_RECORD = (C.RECORD_INCOME,)
ECON_MANAGE = (C.MANAGE_ECONOMY,)
PLAN_ACTIONS = ("recompute", "submit", "approve", "read-resolution", "return", "publish", "distribute")

ECONOMY: dict[str, Access] = {
    "economy:overview": unscoped(*ECON_VIEW),
    "economy:income": unscoped(*ECON_VIEW),
    "economy:income-new": unscoped(*ECON_RECORD, methods=BOTH),
    "economy:income-export": unscoped(roles=roles_with(*ECON_VIEW) & roles_with(C.EXPORT_DATA), heavy=True),
    "economy:company-new": unscoped(*ECON_MANAGE, methods=BOTH),
    "economy:company": staff(*ECON_VIEW, kwargs=kw(pk="economy_company")),
    "economy:company-shares": staff(*ECON_MANAGE, methods=BOTH, kwargs=kw(pk="economy_company")),
    "economy:plan-new": staff(*ECON_MANAGE, methods=BOTH, kwargs=kw(pk="economy_company")),
    "economy:plan": staff(*ECON_VIEW, kwargs=kw(pk="economy_plan")),
    **{
        f"economy:plan-{name}": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_plan")) for name in PLAN_ACTIONS
    },
    "economy:projects": unscoped(*ECON_VIEW),
    "economy:project-new": unscoped(*ECON_MANAGE, methods=BOTH),
    "economy:project": staff(*ECON_VIEW, kwargs=kw(pk="economy_project")),
    "economy:project-edit": staff(*ECON_MANAGE, methods=BOTH, kwargs=kw(pk="economy_project")),
    "economy:milestone-new": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_project")),
    "economy:milestone-reach": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_project")),
    "economy:plot-new": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_project")),
    "economy:plot-stage": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_plot")),
    "economy:tenant-new": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_project")),
    **{
        f"economy:tenant-{name}": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_tenant"))
        for name in ("sign", "settle", "withdraw")
    },
    "api:economy-tenant-list": unscoped(*ECON_VIEW),
    "api:economy-tenant-detail": staff(*ECON_VIEW, kwargs=kw(pk="economy_tenant")),
    **{
        f"api:economy-tenant-{name}": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_tenant"))
        for name in ("sign", "settle", "withdraw")
    },
    "api:economy-project-list": unscoped(*ECON_VIEW),
    "api:economy-project-detail": staff(*ECON_VIEW, kwargs=kw(pk="economy_project")),
    "api:economy-project-milestones": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_project")),
    "api:economy-project-reach": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_project")),
    "api:economy-plot-list": unscoped(*ECON_VIEW),
    "api:economy-plot-detail": staff(*ECON_VIEW, kwargs=kw(pk="economy_plot")),
    "api:economy-plot-stage": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_plot")),
    "api:economy-company-list": unscoped(*ECON_VIEW),
    "api:economy-company-detail": staff(*ECON_VIEW, kwargs=kw(pk="economy_company")),
    "api:economy-company-shares": staff(*ECON_VIEW, kwargs=kw(pk="economy_company")),
    "api:economy-company-change-shares": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_company")),
    "api:economy-income-list": unscoped(*ECON_VIEW),
    "api:economy-income-detail": staff(*ECON_VIEW, kwargs=kw(pk="economy_income")),
    "api:economy-income-by-village": unscoped(*ECON_VIEW),
    "api:economy-income-target": unscoped(*ECON_MANAGE, methods=POST),
    "api:economy-plan-list": unscoped(*ECON_VIEW),
    "api:economy-plan-detail": staff(*ECON_VIEW, kwargs=kw(pk="economy_plan")),
    "api:economy-plan-events": staff(*ECON_VIEW, kwargs=kw(pk="economy_plan")),
    **{
        f"api:economy-plan-{name}": staff(*ECON_MANAGE, methods=POST, kwargs=kw(pk="economy_plan"))
        for name in PLAN_ACTIONS
    },
}

IND_VIEW = (C.VIEW_INDICATORS,)
IND_ENTER = (C.ENTER_INDICATORS,)
IND_REVIEW = (C.REVIEW_INDICATORS,)

INDICATORS: dict[str, Access] = {
    "indicators:table": unscoped(*IND_VIEW),
    "indicators:enter": unscoped(*IND_ENTER, methods=BOTH),
    "indicators:import": unscoped(*IND_ENTER, methods=BOTH),
    "indicators:export": unscoped(*IND_VIEW, heavy=True),
    "indicators:briefing": unscoped(*IND_VIEW, heavy=True),
    "indicators:briefing-word": unscoped(*IND_VIEW, heavy=True),
    "indicators:definitions": unscoped(*IND_VIEW),
    "indicators:definition-new": unscoped(C.MANAGE_INDICATORS, methods=BOTH),
    "indicators:definition-edit": unscoped(C.MANAGE_INDICATORS, methods=BOTH, kwargs=kw(pk="indicator")),
    # Definitions are not tree-scoped; the figures shown are the user's own node's.
    "indicators:trend": unscoped(*IND_VIEW, kwargs=kw(pk="indicator")),
    "indicators:value": staff(*IND_VIEW, kwargs=kw(pk="indicator_value")),
    "indicators:ledger-review": staff(*IND_REVIEW, methods=POST, kwargs=kw(pk="indicator_ledger")),
    "indicators:ledger-return": staff(*IND_REVIEW, methods=POST, kwargs=kw(pk="indicator_ledger")),
    "indicators:ledger-lock": staff(*IND_REVIEW, methods=POST, kwargs=kw(pk="indicator_ledger")),
    "api:indicators-definition-list": unscoped(*IND_VIEW),
    # GET needs ?node= (400 without it); POST sets a value (ENTER, checked per action).
    "api:indicators-value-list": unscoped(roles=roles_with(*IND_VIEW), methods=BOTH, ok=400),
    "api:indicators-value-import": unscoped(*IND_ENTER, methods=POST),
    "api:indicators-ledger-list": unscoped(*IND_VIEW),
    "api:indicators-ledger-detail": staff(*IND_VIEW, kwargs=kw(pk="indicator_ledger")),
    "api:indicators-ledger-review": staff(*IND_REVIEW, methods=POST, kwargs=kw(pk="indicator_ledger")),
    "api:indicators-ledger-return": staff(*IND_REVIEW, methods=POST, kwargs=kw(pk="indicator_ledger")),
    "api:indicators-ledger-lock": staff(*IND_REVIEW, methods=POST, kwargs=kw(pk="indicator_ledger")),
}

# Dashboards (ADR 0048): the own node's page, a node of the subtree (404 for
# the other branch's grid), and the API twin (?node= is scoped the same way).
DASHBOARDS: dict[str, Access] = {
    "dashboards:home": unscoped(C.VIEW_DASHBOARD),
    "dashboards:node": staff(C.VIEW_DASHBOARD, kwargs=kw(pk="node")),
    "api:dashboards-list": unscoped(C.VIEW_DASHBOARD),
}

ROBOTS = (C.MANAGE_ROBOTS,)

CHANNELS: dict[str, Access] = {
    # The page lists the user's own subtree's groups; retiring one outside it is 404.
    "channels:robots": unscoped(*ROBOTS, methods=BOTH),
    # 渠道配置: the security administrator only (ADR 0053); an unknown channel is 404.
    "channels:settings": unscoped(C.MANAGE_CHANNELS),
    "channels:settings-save": unscoped(C.MANAGE_CHANNELS, methods=POST, kwargs=kw(channel="=sms.aliyun")),
    "channels:settings-test-sms": unscoped(C.MANAGE_CHANNELS, methods=POST, ok=400),
    "channels:robot-retire": staff(*ROBOTS, methods=POST, kwargs=kw(pk="wecom_robot")),
    "channels:publication": staff(C.PUBLISH, methods=BOTH, kwargs=kw(pk="publication")),
    "channels:post-retry": staff(C.PUBLISH, methods=POST, kwargs=kw(pk="channel_post")),
    # WeChat's servers call it; without a configured token it does not exist (404).
    "channels-public:wechat-callback": public(methods=BOTH),
    "api:channels-robot-list": unscoped(*ROBOTS, methods=BOTH, ok=200),
    "api:channels-robot-retire": staff(*ROBOTS, methods=POST, kwargs=kw(pk="wecom_robot")),
    "api:channels-publication-posts": staff(C.PUBLISH, kwargs=kw(pk="publication")),
    "api:channels-publication-push": staff(C.PUBLISH, methods=POST, kwargs=kw(pk="publication")),
}

# Category routing (ADR 0050): suggestions for every matter worker (the text
# posted is not tree data); the accuracy counts only the user's subtree.
ROUTING: dict[str, Access] = {
    "routing:suggest": unscoped(*MATTERS, methods=POST),
    "routing:accuracy": unscoped(C.VIEW_ROUTING),
    "api:routing-suggest-list": unscoped(*MATTERS, methods=POST),
    "api:routing-accuracy-list": unscoped(C.VIEW_ROUTING),
}

# The admin site is the system administrator's (ADR 0009): others are sent to
# its login page, counted as a refusal. Each registered model is listed, so a
# new ModelAdmin's URLs have no entry until someone decides who may use them.
SYSTEM = roles_with(C.MANAGE_USERS, C.MANAGE_CALENDAR)
ADMIN_MODELS: dict[str, frozenset[str]] = {
    "accounts_user": roles_with(C.MANAGE_USERS),
    "core_holidayyear": roles_with(C.MANAGE_CALENDAR),
    "core_holidayoverride": roles_with(C.MANAGE_CALENDAR),
    "regions_node": roles_with(C.MANAGE_USERS),
    # Registered by libraries; no role holds Django's model permissions for them.
    "auth_group": NO_ROLES,
    "axes_accessattempt": NO_ROLES,
    "axes_accesslog": NO_ROLES,
    "axes_accessfailurelog": NO_ROLES,
}


SCREEN_VIEW = (C.VIEW_BIGSCREEN,)
SCREEN_MANAGE = (C.MANAGE_SCREENS,)

BIGSCREEN: dict[str, Access] = {
    # The screen shows the user's own node; a token is managed within the issuer's subtree.
    "bigscreen:home": unscoped(*SCREEN_VIEW, methods=BOTH),
    "bigscreen:screen": unscoped(*SCREEN_VIEW),
    "bigscreen:data": unscoped(*SCREEN_VIEW),
    "bigscreen:token-revoke": staff(*SCREEN_MANAGE, methods=POST, kwargs=kw(pk="screen_token")),
    # The kiosk: the token is the credential (ADR 0049); a bad token answers 404.
    "bigscreen:kiosk": public(kwargs=kw(secret="screen_token.secret")),
    "bigscreen:kiosk-data": public(kwargs=kw(secret="screen_token.secret")),
    "api:bigscreen-figures": unscoped(*SCREEN_VIEW),
}


def admin(roles: frozenset[str], **options: Any) -> Access:
    return Access(roles=roles, scoped=False, admin=True, **options)


def _admin_model(label: str, roles: frozenset[str]) -> dict[str, Access]:
    object_kwargs = kw(object_id="=1")
    return {
        f"admin:{label}_changelist": admin(roles),
        f"admin:{label}_add": admin(roles, ok=200 if label.startswith("core_") else None),
        # Object pages: refusals only (which object exists differs per model).
        f"admin:{label}_history": admin(roles, ok=None, kwargs=object_kwargs),
        f"admin:{label}_delete": admin(roles, ok=None, kwargs=object_kwargs),
        f"admin:{label}_change": admin(roles, ok=None, kwargs=object_kwargs),
        "admin/{}/{}/<path:object_id>/".format(*label.split("_", 1)): admin(
            roles, ok=None, path="/admin/{}/{}/1/".format(*label.split("_", 1))
        ),
    }


ADMIN: dict[str, Access] = {
    "admin:index": admin(SYSTEM),
    "admin:login": public(),
    "admin:logout": public(methods=()),
    # Sends the system administrator to the site's own password page (ADR 0059).
    "admin:password_change": admin(SYSTEM, ok=302),
    "admin:password_change_done": admin(SYSTEM),
    "admin:autocomplete": admin(SYSTEM, ok=None),
    "admin:jsi18n": admin(SYSTEM),
    "admin:view_on_site": admin(SYSTEM, ok=None, kwargs=kw(content_type_id="=1", object_id="=1")),
    "admin:app_list": admin(SYSTEM, kwargs=kw(app_label="=accounts")),
    "admin:auth_user_password_change": admin(roles_with(C.MANAGE_USERS), ok=None, kwargs=kw(id="=1")),
    "admin/(?P<url>.*)$": admin(SYSTEM, ok=None, path="/admin/nowhere/"),
    **{key: rule for label, roles in ADMIN_MODELS.items() for key, rule in _admin_model(label, roles).items()},
}

# The export gate (ADR 0060): a kind needs EXPORT_DATA and its own capabilities
# (the resident register: VIEW_RESIDENTS); only APPROVE_EXPORTS decides; a
# request that is not the caller's (or no longer pending) is 404.
_RESIDENT_EXPORTERS = roles_with(*RESIDENTS) & roles_with(C.EXPORT_DATA)
_KIND = kw(kind="=regions-residents")
EXPORTS: dict[str, Access] = {
    "exports:mine": unscoped(C.EXPORT_DATA),
    "exports:pending": unscoped(C.APPROVE_EXPORTS),
    "exports:approve": unscoped(C.APPROVE_EXPORTS, methods=POST, kwargs=kw(pk=999999)),
    "exports:reject": unscoped(C.APPROVE_EXPORTS, methods=POST, kwargs=kw(pk=999999)),
    "exports:download": unscoped(C.EXPORT_DATA, ok=None, kwargs=kw(pk=999999)),
    "exports:run": unscoped(roles=_RESIDENT_EXPORTERS, kwargs=_KIND, heavy=True),
    "exports:request": unscoped(roles=_RESIDENT_EXPORTERS, methods=POST, kwargs=_KIND),
    # A page export's signed form: without a valid token it asks for nothing (400).
    "exports:request-page": unscoped(C.EXPORT_DATA, methods=POST),
    "api:export-run": unscoped(roles=_RESIDENT_EXPORTERS, kwargs=_KIND, heavy=True),
    "api:export-request-create": unscoped(roles=_RESIDENT_EXPORTERS, methods=POST, kwargs=_KIND),
    "api:export-request-list": unscoped(C.EXPORT_DATA),
    "api:export-request-detail": unscoped(C.EXPORT_DATA, ok=None, kwargs=kw(pk=999999)),
    "api:export-request-download": unscoped(C.EXPORT_DATA, ok=None, kwargs=kw(pk=999999)),
    "api:export-request-pending": unscoped(C.APPROVE_EXPORTS),
    "api:export-request-approve": unscoped(C.APPROVE_EXPORTS, methods=POST, kwargs=kw(pk=999999)),
    "api:export-request-reject": unscoped(C.APPROVE_EXPORTS, methods=POST, kwargs=kw(pk=999999)),
}

FIELD_APP = (C.USE_FIELD_APP,)
# The field app's API (ADR 0054): the caller's own sync items, not tree-scoped rows;
# the snapshot holds the caller's subtree only (its own tests pin that).
FIELD: dict[str, Access] = {
    "api:field-snapshot": unscoped(*FIELD_APP),
    "api:field-sync": unscoped(*FIELD_APP, methods=POST),
    "api:field-item-list": unscoped(*FIELD_APP),
    "api:field-item-resolve": unscoped(*FIELD_APP, methods=POST, kwargs=kw(key="=no-such-key-1")),
    # The PWA (ADR 0055): the shell for the capability; the manifest and the
    # service worker hold no personal data and browsers fetch them without cookies.
    "field:shell": unscoped(*FIELD_APP),
    "field:manifest": public(),
    "field:sw": public(),
}

POLICY: dict[str, Access] = {
    **CORE,
    **REGIONS,
    **EXPORTS,
    **MATTERS_URLS,
    **REGISTRATION,
    **MEDIATION,
    **DELIBERATION,
    **EVALUATION,
    **PUBLICITY,
    **ADDRESSES,
    **SAFETY,
    **RELOCATION,
    **PARTY,
    **LIVELIHOOD,
    **ECONOMY,
    **INDICATORS,
    **DASHBOARDS,
    **BIGSCREEN,
    **CHANNELS,
    **ROUTING,
    **FIELD,
    **ADMIN,
}
