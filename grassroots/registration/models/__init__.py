"""Social-organisation registration (社会组织登记) at an approval window:
service catalogue with material rules, appointments, applications filed by
applicants or by staff on their behalf (帮办), preliminary review and return
(补正), notification and commitment (告知承诺), decisions with working-day
clocks, organisations, certificates and renewal by mail.
The window serves one registration authority, so rows are not tree-scoped;
capability WINDOW_WORK governs access (ADR 0011).

One module per part, all re-exported here (migrations name
`models.material_path`)."""

from .applications import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    ClockStop,
    Commitment,
    MaterialStatus,
    ReturnNotice,
    material_path,
)
from .appointments import Appointment, SlotTemplate, Window
from .catalogue import USCC_TYPE, Authority, MaterialRequirement, OrgType, PneForm, Service, ServiceKind
from .certificates import Certificate, CertificateReminder, RenewalVerification
from .organisations import Organisation

__all__ = [
    "USCC_TYPE",
    "Application",
    "ApplicationEvent",
    "ApplicationMaterial",
    "Appointment",
    "Authority",
    "Certificate",
    "CertificateReminder",
    "ClockStop",
    "Commitment",
    "MaterialRequirement",
    "MaterialStatus",
    "OrgType",
    "Organisation",
    "PneForm",
    "RenewalVerification",
    "ReturnNotice",
    "Service",
    "ServiceKind",
    "SlotTemplate",
    "Window",
    "material_path",
]
