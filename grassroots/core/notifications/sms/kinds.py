"""Message kinds. A gateway sends only approved templates: each kind names
one template per provider (settings `SMS_TEMPLATES`) and the parameters that
fill it, built by the sending app from its typed data. Domain apps declare
their kinds with `sms_kind(...)`; core knows none of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grassroots.core.errors import DomainError
from grassroots.core.links import public_url

_REGISTRY: dict[str, SmsKind] = {}

# Alibaba Cloud and Tencent Cloud both cap a template variable; a longer value
# is cut here rather than refused by the gateway.
PARAM_MAX_CHARS = 35


@dataclass(frozen=True)
class SmsKind:
    code: str
    label: str
    params: tuple[str, ...]


def sms_kind(code: str, label: str, params: tuple[str, ...]) -> SmsKind:
    """Declare (once, at import) a kind of text message and its parameters."""
    kind = SmsKind(code=code, label=label, params=params)
    known = _REGISTRY.get(code)
    if known is not None and known != kind:
        raise ValueError(f"SMS kind {code!r} is declared twice with different parameters")
    _REGISTRY[code] = kind
    return kind


def registered_kinds() -> list[SmsKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.code)


def kind_label(code: str) -> str:
    kind = _REGISTRY.get(code)
    return kind.label if kind is not None else code


LINK_PARAM = "link"


def build_params(kind: SmsKind, params: Mapping[str, str], *, link: str = "") -> list[list[str]]:
    """The row's ordered [[name, value], ...]. Exactly the kind's parameters,
    each a non-empty string, or a DomainError (a programming error in the
    sender, caught by its tests). A kind that declares `link` gets the
    message's absolute link there (not cut: a cut link is no link)."""
    params = dict(params)
    if LINK_PARAM in kind.params and LINK_PARAM not in params:
        if not link:
            raise DomainError("sms_link_required", f"短信“{kind.label}”需要链接。", field="link")
        params[LINK_PARAM] = public_url(link) if link.startswith("/") else link
    if set(params) != set(kind.params):
        raise DomainError("sms_params_mismatch", f"短信“{kind.label}”的模板参数不完整或多余。", field="params")
    pairs = []
    for name in kind.params:
        value = str(params[name]).strip()
        if not value:
            raise DomainError("sms_param_empty", f"短信“{kind.label}”的模板参数“{name}”不能为空。", field="params")
        if len(value) > PARAM_MAX_CHARS and name != LINK_PARAM:
            value = value[: PARAM_MAX_CHARS - 1] + "…"
        pairs.append([name, value])
    return pairs
