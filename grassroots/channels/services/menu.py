"""The official account's menu: entries opening the public report form, the
tracking page and the notices (view buttons to the public site's address)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from grassroots.core import links

from ..backends import get_mp_backend


def account_menu() -> dict[str, Any]:
    return {
        "button": [
            {"type": "view", "name": "我要说事", "url": links.public_url(reverse("matters-public:report"))},
            {"type": "view", "name": "进度查询", "url": links.public_url(reverse("matters-public:track"))},
            {"type": "view", "name": "公示公开", "url": links.public_url(reverse("notices:index"))},
        ]
    }


def menu_create() -> dict[str, Any]:
    """Answers WeChat's answer ({"errcode": 0, "errmsg": "ok"}); ProviderError when refused."""
    return get_mp_backend().create_menu(menu=account_menu())
