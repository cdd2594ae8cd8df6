"""What the deliberation API modules share: problem responses for the
schema, the capability every endpoint needs, and the scoped node lookup."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.regions.models import Node

from .. import selectors

PROBLEMS = {
    400: OpenApiResponse(description="输入有误(RFC 7807)"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="不存在或不在本人辖区内"),
    409: OpenApiResponse(description="当前状态不允许此操作,或未达法定人数"),
}
PERMS = [HasCapability.of(Capability.CONVENE_MEETINGS)]


def node_in_scope(user: Any, pk: Any, *, levels: tuple[int, ...]) -> Node:
    return selectors.node_in_scope(user=user, pk=pk, levels=levels)
