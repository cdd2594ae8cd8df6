from __future__ import annotations

import pytest

from ..backends import forget_tokens
from .support import WechatApi, WecomRobots

TOKEN = "grassrootsToken2026"
# A 43-character EncodingAESKey as the account's settings page generates it.
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@pytest.fixture(autouse=True)
def _fresh_tokens():
    forget_tokens()
    yield
    forget_tokens()


@pytest.fixture
def callback_settings(settings):
    settings.WECHAT_MP_TOKEN = TOKEN
    settings.WECHAT_MP_AES_KEY = ""
    settings.WECHAT_MP_APP_ID = "wx1234567890abcdef"
    settings.WECHAT_MP_TEMPLATE_ID = "TPL_progress_001"
    return settings


@pytest.fixture
def safe_mode(callback_settings):
    callback_settings.WECHAT_MP_AES_KEY = AES_KEY
    return callback_settings


@pytest.fixture
def wechat(httpserver, settings):
    """The official account's API on a local server, and the real backend."""
    api = WechatApi()
    settings.WECHAT_API_BASE_URL = api.install(httpserver)
    settings.WECHAT_MP_BACKEND = "grassroots.channels.backends.WechatpyMpBackend"
    settings.WECHAT_MP_APP_ID = api.appid
    settings.WECHAT_MP_APP_SECRET = api.secret
    settings.WECHAT_MP_TEMPLATE_ID = "TPL_progress_001"
    return api


@pytest.fixture
def wecom(httpserver, settings):
    robots = WecomRobots()
    settings.WECOM_API_BASE_URL = robots.install(httpserver)
    settings.WECOM_ROBOT_BACKEND = "grassroots.channels.backends.HttpRobotBackend"
    return robots
