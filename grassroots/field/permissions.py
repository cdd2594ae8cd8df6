"""Who may use the field app: the capability USE_FIELD_APP (grid workers,
ADR 0054). Each item is also checked by the owning app's service with its own
capability and the worker's subtree."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import HasCapability, require_capability
from grassroots.accounts.roles import Capability

CanUseFieldApp = HasCapability.of(Capability.USE_FIELD_APP)


def require_field_app(actor: Any) -> None:
    require_capability(actor, Capability.USE_FIELD_APP, "您的角色不能使用网格员离线工作应用。")
