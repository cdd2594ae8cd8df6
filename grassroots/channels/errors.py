"""Domain errors of the WeChat channels (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class ChannelError(DomainError):
    pass
