"""The providers behind pluggable backends, switched on by settings with the
installation's own credentials (ADR 0051). Off by default: the official
account backend is `DisabledMpBackend` (nothing is sent, the push page says
so) and the group-robot backend is `LogRobotBackend` (the post is recorded as
sent in demo mode), so the demo runs without any credential.

The real backends speak the providers' protocols: `WechatpyMpBackend` goes
through wechatpy's client (access token cached, refreshed and the call
retried once on 40001/42001/40014), `HttpRobotBackend` posts to WeCom's
`cgi-bin/webhook/send?key=`. Both base URLs are settings, so the tests run
them against a local server speaking the same protocol. A backend raises
`ProviderError` (with the provider's errcode) when the call was refused."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage

from grassroots.core.notifications.credentials import channel_credentials

TIMEOUT_SECONDS = 10


class ProviderError(Exception):
    """The provider refused the call (errcode != 0) or could not be reached."""

    def __init__(self, errcode: int | None, message: str) -> None:
        super().__init__(f"{errcode}: {message}" if errcode is not None else message)
        self.errcode = errcode
        self.message = message


@runtime_checkable
class MpBackend(Protocol):
    """The official account's outgoing calls (a structural interface: the
    backends below and a test's own need not inherit from it)."""

    enabled: bool

    def upload_image(self, *, png: bytes) -> str:
        """A permanent image (the article's cover): its media_id."""
        ...

    def add_draft(self, *, article: dict[str, Any]) -> str:
        """draft/add with one article: the draft's media_id."""
        ...

    def submit_publish(self, *, media_id: str) -> str:
        """freepublish/submit: the publish_id (the result comes later as a
        PUBLISHJOBFINISH event to the callback)."""
        ...

    def send_subscribe(self, *, openid: str, template_id: str, page: str, data: dict[str, str]) -> dict[str, Any]: ...

    def create_menu(self, *, menu: dict[str, Any]) -> dict[str, Any]: ...


class DisabledMpBackend:
    """No official account configured: every call is refused, so nothing is
    recorded as published that was not."""

    enabled = False

    def _refuse(self) -> Any:
        raise ProviderError(None, "本平台未启用微信公众号(未配置公众号凭据)。")

    def upload_image(self, **kwargs: Any) -> str:
        self._refuse()
        return ""

    def add_draft(self, **kwargs: Any) -> str:
        self._refuse()
        return ""

    def submit_publish(self, **kwargs: Any) -> str:
        self._refuse()
        return ""

    def send_subscribe(self, **kwargs: Any) -> dict[str, Any]:
        return self._refuse()

    def create_menu(self, **kwargs: Any) -> dict[str, Any]:
        return self._refuse()


# One token cache per process, shared by every client built from the settings.
_TOKEN_STORAGE = MemoryStorage()


def forget_tokens() -> None:
    """Drop the cached access tokens (credentials rotated; tests)."""
    _TOKEN_STORAGE._data.clear()


class _Client(WeChatClient):
    """wechatpy's client with a configurable base URL (wechatpy hard-codes
    the token URL)."""

    def __init__(self, *, base_url: str, appid: str, secret: str) -> None:
        self.API_BASE_URL = base_url
        super().__init__(appid, secret, session=_TOKEN_STORAGE, timeout=TIMEOUT_SECONDS)

    def fetch_access_token(self) -> Any:
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class WechatpyMpBackend:
    enabled = True

    def __init__(self) -> None:
        # Stored on 渠道配置 first, else the settings (ADR 0053).
        stored = channel_credentials("wechat_mp")
        self.client = _Client(
            base_url=str(settings.WECHAT_API_BASE_URL),
            appid=stored["WECHAT_MP_APP_ID"],
            secret=stored["WECHAT_MP_APP_SECRET"],
        )

    def _call(self, endpoint: str, **kwargs: Any) -> dict[str, Any]:
        try:
            result = self.client.post(endpoint, **kwargs)
        except WeChatClientException as exc:
            raise ProviderError(exc.errcode, str(exc.errmsg)) from exc
        except requests.RequestException as exc:
            raise ProviderError(None, f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(result, dict):
            raise ProviderError(None, "微信接口返回的内容不是 JSON。")
        return result

    def upload_image(self, *, png: bytes) -> str:
        answer = self._call(
            "material/add_material", params={"type": "image"}, files={"media": ("cover.png", png, "image/png")}
        )
        return str(answer["media_id"])

    def add_draft(self, *, article: dict[str, Any]) -> str:
        return str(self._call("draft/add", data={"articles": [article]})["media_id"])

    def submit_publish(self, *, media_id: str) -> str:
        return str(self._call("freepublish/submit", data={"media_id": media_id})["publish_id"])

    def send_subscribe(self, *, openid: str, template_id: str, page: str, data: dict[str, str]) -> dict[str, Any]:
        # The official account's subscription notice (订阅通知): message/subscribe/bizsend.
        payload = {
            "touser": openid,
            "template_id": template_id,
            "page": page,
            "data": {key: {"value": value} for key, value in data.items()},
        }
        return self._call("message/subscribe/bizsend", data=payload)

    def create_menu(self, *, menu: dict[str, Any]) -> dict[str, Any]:
        return self._call("menu/create", data=menu)


@runtime_checkable
class RobotBackend(Protocol):
    """A WeCom group robot: `post` sends one message body to the robot with
    `key`; `live` is False when nothing really leaves the server."""

    live: bool

    def post(self, *, key: str, payload: dict[str, Any]) -> dict[str, Any]: ...


class LogRobotBackend:
    """The demo default: nothing leaves the server; the post is recorded with
    a note that it was not really sent."""

    live = False

    def post(self, *, key: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"errcode": 0, "errmsg": "demo: not sent"}


class HttpRobotBackend:
    live = True

    def post(self, *, key: str, payload: dict[str, Any]) -> dict[str, Any]:
        url = str(settings.WECOM_API_BASE_URL).rstrip("/") + "/cgi-bin/webhook/send"
        try:
            response = requests.post(url, params={"key": key}, json=payload, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            answer = response.json()
        except requests.RequestException as exc:
            # The key is in the URL: never let it into the recorded error.
            raise ProviderError(None, f"{type(exc).__name__}: {str(exc).replace(key, '****')}") from exc
        except ValueError as exc:
            raise ProviderError(None, "企业微信返回的内容不是 JSON。") from exc
        errcode = int(answer.get("errcode", -1))
        if errcode != 0:
            raise ProviderError(errcode, str(answer.get("errmsg", "")))
        return dict(answer)


def get_mp_backend() -> MpBackend:
    backend = import_string(str(settings.WECHAT_MP_BACKEND))()
    if not isinstance(backend, MpBackend):
        raise TypeError(f"{settings.WECHAT_MP_BACKEND} is not an MpBackend")
    return backend


def get_robot_backend() -> RobotBackend:
    backend = import_string(str(settings.WECOM_ROBOT_BACKEND))()
    if not isinstance(backend, RobotBackend):
        raise TypeError(f"{settings.WECOM_ROBOT_BACKEND} is not a RobotBackend")
    return backend
