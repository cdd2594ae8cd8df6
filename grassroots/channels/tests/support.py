"""Shared setup of the channel tests: robots and posts (also used by the
access world), and local servers that speak the providers' protocols:
api.weixin.qq.com (token, material/add_material, draft/add,
freepublish/submit, message/subscribe/bizsend, menu/create with their JSON
shapes and error codes) and WeCom's group robot webhook
(cgi-bin/webhook/send?key=). They answer what the real services document,
so the code under test runs unchanged against them."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

from grassroots.publicity.models import Publication
from grassroots.regions.models import Node

from ..models import ChannelPost, Status, Target, WecomRobot

KEY_A = "3f1e8d2a-7c4b-4e55-9a10-6b2c8d9e0f1a"
KEY_B = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def robot_at(node: Node, *, created_by: Any, name: str = "西张村邻里群", key: str = KEY_A) -> WecomRobot:
    return WecomRobot.objects.create(node=node, name=name, webhook_key=key, key_tail=key[-4:], created_by=created_by)


def failed_post(publication: Publication, robot: WecomRobot, *, created_by: Any) -> ChannelPost:
    return ChannelPost.objects.create(
        publication=publication,
        target=Target.WECOM,
        robot=robot,
        status=Status.FAILED,
        attempts=5,
        last_error="45009: api freq out of limit",
        created_by=created_by,
    )


def _json(data: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


@dataclass
class WechatApi:
    """api.weixin.qq.com for one official account (appid/secret)."""

    appid: str = "wx1234567890abcdef"
    secret: str = "s3cr3t-of-the-account"
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    # endpoint → queue of (errcode, errmsg) answered before the real answer.
    failures: dict[str, deque[tuple[int, str]]] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    publish_ids: itertools.count = field(default_factory=lambda: itertools.count(2247483647))

    def fail(self, endpoint: str, errcode: int, errmsg: str, times: int = 1) -> None:
        self.failures.setdefault(endpoint, deque()).extend([(errcode, errmsg)] * times)

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()

    def install(self, httpserver: Any) -> str:
        httpserver.expect_request("/cgi-bin/token", method="GET").respond_with_handler(self.token)
        for endpoint in (
            "material/add_material",
            "draft/add",
            "freepublish/submit",
            "message/subscribe/bizsend",
            "menu/create",
        ):
            httpserver.expect_request(f"/cgi-bin/{endpoint}", method="POST").respond_with_handler(
                lambda request, endpoint=endpoint: self.api(endpoint, request)
            )
        return httpserver.url_for("/cgi-bin/")

    def token(self, request: Request) -> Response:
        args = request.args
        if args.get("grant_type") != "client_credential":
            return _json({"errcode": 40002, "errmsg": "invalid grant_type"})
        if args.get("appid") != self.appid:
            return _json({"errcode": 40013, "errmsg": "invalid appid"})
        if args.get("secret") != self.secret:
            return _json({"errcode": 40125, "errmsg": "invalid appsecret"})
        self.tokens_issued += 1
        token = f"ACCESS_TOKEN_{self.tokens_issued}"
        self.valid_tokens.add(token)
        return _json({"access_token": token, "expires_in": 7200})

    def api(self, endpoint: str, request: Request) -> Response:
        if request.args.get("access_token") not in self.valid_tokens:
            self.calls.append((endpoint, "40001"))
            return _json({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"})
        queued = self.failures.get(endpoint)
        if queued:
            errcode, errmsg = queued.popleft()
            self.calls.append((endpoint, errcode))
            return _json({"errcode": errcode, "errmsg": errmsg})
        if endpoint == "material/add_material":
            media = request.files.get("media")
            if request.args.get("type") != "image" or media is None:
                return _json({"errcode": 40004, "errmsg": "invalid media type"})
            data = media.read()
            if not data.startswith(b"\x89PNG"):
                return _json({"errcode": 40005, "errmsg": "invalid file type"})
            media_id = f"IMG_{len(self.images) + 1}"
            self.images[media_id] = data
            self.calls.append((endpoint, media_id))
            return _json({"media_id": media_id, "url": f"http://mmbiz.qpic.cn/{media_id}"})
        try:
            body = json.loads(request.get_data(as_text=True))
        except ValueError:
            return _json({"errcode": 47001, "errmsg": "data format error"})
        self.calls.append((endpoint, body))
        if endpoint == "draft/add":
            articles = body.get("articles")
            if not isinstance(articles, list) or not articles:
                return _json({"errcode": 47001, "errmsg": "data format error"})
            for article in articles:
                if not article.get("title") or not article.get("content"):
                    return _json({"errcode": 45004, "errmsg": "description size out of limit"})
                if article.get("thumb_media_id") not in self.images:
                    return _json({"errcode": 40007, "errmsg": "invalid media_id"})
                if len(article["title"]) > 64:
                    return _json({"errcode": 45003, "errmsg": "title size out of limit"})
            media_id = f"DRAFT_{len(self.drafts) + 1}"
            self.drafts[media_id] = body
            return _json({"media_id": media_id})
        if endpoint == "freepublish/submit":
            if body.get("media_id") not in self.drafts:
                return _json({"errcode": 40007, "errmsg": "invalid media_id"})
            return _json({"errcode": 0, "errmsg": "ok", "publish_id": str(next(self.publish_ids))})
        if endpoint == "message/subscribe/bizsend":
            if not body.get("touser") or not body.get("template_id") or not isinstance(body.get("data"), dict):
                return _json({"errcode": 47003, "errmsg": "argument invalid!"})
            return _json({"errcode": 0, "errmsg": "ok"})
        # menu/create: at most 3 buttons, each a name and a view url or sub_button.
        buttons = body.get("button")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            return _json({"errcode": 40016, "errmsg": "invalid button size"})
        for button in buttons:
            if len(button.get("name", "").encode()) > 16:
                return _json({"errcode": 40018, "errmsg": "invalid button name size"})
            if button.get("type") == "view" and not str(button.get("url", "")).startswith(("http://", "https://")):
                return _json({"errcode": 40055, "errmsg": "invalid button url domain"})
        return _json({"errcode": 0, "errmsg": "ok"})


@dataclass
class WecomRobots:
    """qyapi.weixin.qq.com's group robot webhook for the given keys."""

    keys: set[str] = field(default_factory=lambda: {KEY_A, KEY_B})
    received: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # key → queue of errcodes (or HTTP statuses as negative numbers) answered first.
    failures: dict[str, deque[int]] = field(default_factory=dict)

    def fail(self, key: str, *codes: int, msgtype: str = "") -> None:
        """The next calls with `key` (of `msgtype`, when given) answer
        these errcodes (negative: that HTTP status) instead."""
        self.failures.setdefault(f"{key}:{msgtype}" if msgtype else key, deque()).extend(codes)

    def install(self, httpserver: Any) -> str:
        httpserver.expect_request("/cgi-bin/webhook/send", method="POST").respond_with_handler(self.send)
        return httpserver.url_for("/")

    def send(self, request: Request) -> Response:
        key = request.args.get("key", "")
        if key not in self.keys:
            return _json({"errcode": 93000, "errmsg": "invalid webhook url"})
        try:
            body = json.loads(request.get_data(as_text=True))
        except ValueError:
            return _json({"errcode": 40008, "errmsg": "invalid message type"})
        kind = body.get("msgtype")
        queued = self.failures.get(key) or self.failures.get(f"{key}:{kind}")
        if queued:
            code = queued.popleft()
            if code < 0:
                return Response("bad gateway", status=-code)
            return _json({"errcode": code, "errmsg": "api freq out of limit" if code == 45009 else "error"})
        if kind == "markdown":
            content = body.get("markdown", {}).get("content", "")
            if not content or len(content.encode()) > 4096:
                return _json({"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        elif kind == "image":
            image = body.get("image", {})
            try:
                data = base64.b64decode(image.get("base64", ""), validate=True)
            except ValueError:
                return _json({"errcode": 40009, "errmsg": "invalid image size"})
            if hashlib.md5(data).hexdigest() != image.get("md5"):  # noqa: S324 - WeCom's checksum
                return _json({"errcode": 301019, "errmsg": "media md5 not match"})
        elif kind != "text":
            return _json({"errcode": 40008, "errmsg": "invalid message type"})
        self.received.setdefault(key, []).append(body)
        return _json({"errcode": 0, "errmsg": "ok"})
