"""Who may do what with exports (ADR 0060): any user with EXPORT_DATA asks
(plus the kind's own capabilities), only APPROVE_EXPORTS (the security
administrator) decides, never on their own request; only the requester
downloads. The checks themselves run in services."""

from __future__ import annotations

from grassroots.accounts.roles import Capability

REQUEST = Capability.EXPORT_DATA
DECIDE = Capability.APPROVE_EXPORTS
