"""Production-safe settings. Every value that differs between installations
comes from an environment variable; `.env.example` lists them all and
`grassroots/core/tests/test_env_example.py` keeps that list complete."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from grassroots.core.clientip import parse_trusted_proxies as _parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set (see .env.example).")

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "grassroots.core",
    "grassroots.accounts",
    "grassroots.regions",
    "grassroots.exports",
    "grassroots.matters",
    "grassroots.registration",
    "grassroots.mediation",
    "grassroots.deliberation",
    "grassroots.evaluation",
    "grassroots.publicity",
    "grassroots.addresses",
    "grassroots.safety",
    "grassroots.relocation",
    "grassroots.party",
    "grassroots.livelihood",
    "grassroots.economy",
    "grassroots.indicators",
    "grassroots.dashboards",
    "grassroots.bigscreen",
    "grassroots.channels",
    "grassroots.routing",
    "grassroots.field",
]

MIDDLEWARE = [
    # First: every later layer and every view sees a HEAD request as the GET it stands for.
    "grassroots.core.middleware.HeadAsGetMiddleware",
    # The client address and request id that audit rows carry, also when a
    # service writes them without the request (ADR 0026, 0027).
    "grassroots.core.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # A query string with NUL is a 400 here, not a DataError in some filter.
    "grassroots.core.middleware.NulQueryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "grassroots.accounts.middleware.SessionTimeoutMiddleware",
    "grassroots.accounts.middleware.LoginRequiredMiddleware",
    # After login-required: a session without its second factor reaches only
    # the verify and enrolment pages (ADR 0058).
    "grassroots.accounts.twofactor.middleware.TwoFactorMiddleware",
    # Then the password policy: an expired or initial password reaches only its change page (ADR 0059).
    "grassroots.accounts.policy.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grassroots" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.accounts.context_processors.navigation",
            ],
            "builtins": ["grassroots.core.templatetags.masking"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'grassroots.sqlite3'}") or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids
    # "database is locked" upgrades in write transactions.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Passwords, lockout and sessions (security baseline) -------------------
# Password policy (ADR 0059): length, classes, Django's and a Chinese common
# list, no reuse of the last PASSWORD_HISTORY_COUNT, a change every
# PASSWORD_MAX_AGE_DAYS (0: never), dormant accounts disabled after
# ACCOUNT_DORMANT_DAYS without a login.
PASSWORD_MIN_LENGTH = env_int("GRASSROOTS_PASSWORD_MIN_LENGTH", 10)
PASSWORD_HISTORY_COUNT = env_int("GRASSROOTS_PASSWORD_HISTORY_COUNT", 5)
PASSWORD_MAX_AGE_DAYS = env_int("GRASSROOTS_PASSWORD_MAX_AGE_DAYS", 90)
ACCOUNT_DORMANT_DAYS = env_int("GRASSROOTS_ACCOUNT_DORMANT_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "grassroots.accounts.policy.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "grassroots.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {
        "NAME": "grassroots.accounts.policy.passwords.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    },
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours: 30 minutes
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# One client address for axes, rate limits, throttles and the audit log (ADR 0026).
AXES_CLIENT_IP_CALLABLE = "grassroots.core.clientip.client_ip"
RATELIMIT_IP_META_KEY = "grassroots.core.clientip.ratelimit_ip"

SESSION_IDLE_SECONDS = env_int("GRASSROOTS_SESSION_IDLE_SECONDS", 30 * 60)
# Two factors (ADR 0058). Enforcement is not an environment variable: only the
# test settings turn it off, for the tests that are not about it, and
# `check --deploy` fails if it is off.
TWO_FACTOR_ENFORCED = True
# The three administrators and subdistrict staff always; more roles may be added.
TWO_FACTOR_REQUIRED_ROLES = sorted(
    {"system_admin", "security_admin", "audit_admin", "subdistrict_staff"}
    | set(env_list("GRASSROOTS_TWO_FACTOR_EXTRA_ROLES"))
)
TWO_FACTOR_OPTIONAL = env_bool("GRASSROOTS_TWO_FACTOR_OPTIONAL", True)
OTP_TOTP_ISSUER = "基层治理平台"
API_TOKEN_MAX_DAYS = env_int("GRASSROOTS_API_TOKEN_MAX_DAYS", 365)
SESSION_ABSOLUTE_SECONDS = env_int("GRASSROOTS_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Transport and headers --------------------------------------------------
HTTPS = env_bool("GRASSROOTS_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("GRASSROOTS_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("GRASSROOTS_BEHIND_PROXY") else None
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs,
# comma-separated). Empty: the socket peer is the client and the header is
# ignored (ADR 0026). Parsed here so that a typo stops the start.
TRUSTED_PROXIES = env_list("GRASSROOTS_TRUSTED_PROXIES")
_parse_trusted_proxies(TRUSTED_PROXIES)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading binds the domain and every subdomain to HTTPS in browsers for
# good: the installation's decision, not a default (GRASSROOTS_HSTS_PRELOAD=1).
SECURE_HSTS_PRELOAD = HTTPS and env_bool("GRASSROOTS_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "grassroots" / "locale"]

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")) or "")
STATICFILES_DIRS = [BASE_DIR / "grassroots" / "static"]
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Personal data ----------------------------------------------------------
# 32 hex characters (16 bytes) each. The field key encrypts (SM4-GCM); the
# index key keys the HMAC-SM3 blind index. Keep them apart and out of the database.
FIELD_ENCRYPTION_KEY = env("GRASSROOTS_FIELD_KEY")
BLIND_INDEX_KEY = env("GRASSROOTS_INDEX_KEY")
if not FIELD_ENCRYPTION_KEY or not BLIND_INDEX_KEY:
    raise ImproperlyConfigured("GRASSROOTS_FIELD_KEY and GRASSROOTS_INDEX_KEY must be set (see .env.example).")
AUDIT_RETENTION_DAYS = max(180, env_int("GRASSROOTS_AUDIT_RETENTION_DAYS", 180))
# Signed audit heads (ADR 0027): the HMAC-SM3 key (hex, at least 32
# characters; required outside DEBUG, checked by grassroots.E020/E021) and the
# append-only file outside the database the heads are written to.
AUDIT_HEAD_KEY = env("GRASSROOTS_AUDIT_HEAD_KEY", "") or ""
# Encrypted backups (ADR 0057): SM4 key for `manage.py backup`/`restore`, 32 hex
# characters, different from the two personal-data keys; kept apart from the backups.
BACKUP_KEY = env("GRASSROOTS_BACKUP_KEY", "") or ""
AUDIT_HEAD_FILE = Path(env("GRASSROOTS_AUDIT_HEAD_FILE", str(BASE_DIR / "var" / "audit-heads.jsonl")) or "")

# --- Field app (ADR 0054) ---------------------------------------------------------
# Hours a phone may keep the worker's snapshot before it must sync again, and the
# limits on the photos an outbox item carries (decoded bytes, longest edge, count).
FIELD_CACHE_HOURS = int(env("GRASSROOTS_FIELD_CACHE_HOURS", "72") or "72")
FIELD_PHOTO_MAX_BYTES = int(env("GRASSROOTS_FIELD_PHOTO_MAX_BYTES", "400000") or "400000")
FIELD_PHOTO_MAX_EDGE = int(env("GRASSROOTS_FIELD_PHOTO_MAX_EDGE", "1600") or "1600")
FIELD_PHOTOS_PER_ITEM = int(env("GRASSROOTS_FIELD_PHOTOS_PER_ITEM", "3") or "3")
# Settled sync items keep only photo metadata after this many days (data minimisation).
FIELD_ITEM_BODY_DAYS = int(env("GRASSROOTS_FIELD_ITEM_BODY_DAYS", "30") or "30")

# --- Category routing (ADR 0050) --------------------------------------------------
# Versioned model files of the router trained from the office's closed matters.
ROUTING_MODEL_DIR = Path(env("GRASSROOTS_ROUTING_MODEL_DIR", str(BASE_DIR / "var" / "routing")) or "")
# Below this calibrated confidence a suggestion is shown as uncertain, never preselected.
ROUTING_LOW_CONFIDENCE = float(env("GRASSROOTS_ROUTING_LOW_CONFIDENCE", "0.5") or "0.5")
# The weekly job retrains when this many suggestions were corrected since the last model.
ROUTING_RETRAIN_MIN_CORRECTIONS = int(env("GRASSROOTS_ROUTING_RETRAIN_MIN_CORRECTIONS", "20") or "20")
# Reveals of full personal data (ADR 0019): per-user limits ("5/m,30/h") and
# the burst that alerts the security administrators ("10/10m": 10 attempts in
# 10 minutes). Checked here so that a typo stops the start, not a reveal.
REVEAL_RATES = env("GRASSROOTS_REVEAL_RATES", "5/m,30/h") or ""
REVEAL_BURST = env("GRASSROOTS_REVEAL_BURST", "10/10m") or ""
_RATE = r"[1-9]\d*/(?:[1-9]\d*)?[smhd]"
if not re.fullmatch(rf"{_RATE}(?:\s*,\s*{_RATE})*", REVEAL_RATES) or not re.fullmatch(_RATE, REVEAL_BURST):
    raise ImproperlyConfigured("GRASSROOTS_REVEAL_RATES / GRASSROOTS_REVEAL_BURST: use e.g. 5/m,30/h and 10/10m.")
# Exports (ADR 0060, GB/T 35273 §7.1): an unmasked export, or one of more rows
# than this, waits for a security administrator's approval; an approved file
# can be downloaded for this many hours.
EXPORT_APPROVAL_ROW_LIMIT = env_int("GRASSROOTS_EXPORT_APPROVAL_ROW_LIMIT", 500)
EXPORT_FILE_HOURS = env_int("GRASSROOTS_EXPORT_FILE_HOURS", 24)
if EXPORT_APPROVAL_ROW_LIMIT < 1 or EXPORT_FILE_HOURS < 1:
    raise ImproperlyConfigured("GRASSROOTS_EXPORT_APPROVAL_ROW_LIMIT / GRASSROOTS_EXPORT_FILE_HOURS: positive numbers.")
# The address residents reach the platform at, printed on every QR code and
# notice (grassroots.core.links). No default: a production install that
# forgets it fails `manage.py check` (grassroots.E010) instead of printing
# the demo's http://127.0.0.1:8000/ on paper. dev.py and test.py fill it.
PUBLIC_BASE_URL = env("GRASSROOTS_PUBLIC_BASE_URL", "") or ""

# The command centre's big screen: seconds between refreshes (ADR 0049).
BIGSCREEN_REFRESH_SECONDS = int(env("GRASSROOTS_BIGSCREEN_REFRESH_SECONDS", "30") or "30")

# --- Notifications ----------------------------------------------------------
SMS_BACKEND = env("GRASSROOTS_SMS_BACKEND", "grassroots.core.notifications.backends.LogTableSmsBackend")
# Real gateways (ADR 0052), used when SMS_BACKEND is
# grassroots.core.notifications.sms.gateway.GatewaySmsBackend: the fallback
# order, each provider's credentials and signature, and the approved template
# of each message kind per provider (JSON: {"matters.progress": {"aliyun":
# "SMS_123", "tencent": "456"}, ...}).
SMS_GATEWAYS = env_list("GRASSROOTS_SMS_GATEWAYS", "aliyun,tencent")
SMS_ALIYUN_ACCESS_KEY_ID = env("GRASSROOTS_SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("GRASSROOTS_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_SIGN_NAME = env("GRASSROOTS_SMS_ALIYUN_SIGN_NAME", "")
SMS_ALIYUN_ENDPOINT = env("GRASSROOTS_SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
SMS_ALIYUN_PROTOCOL = env("GRASSROOTS_SMS_ALIYUN_PROTOCOL", "https")
SMS_TENCENT_SECRET_ID = env("GRASSROOTS_SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = env("GRASSROOTS_SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_SDK_APP_ID = env("GRASSROOTS_SMS_TENCENT_SDK_APP_ID", "")
SMS_TENCENT_SIGN_NAME = env("GRASSROOTS_SMS_TENCENT_SIGN_NAME", "")
SMS_TENCENT_REGION = env("GRASSROOTS_SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = env("GRASSROOTS_SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
SMS_TENCENT_PROTOCOL = env("GRASSROOTS_SMS_TENCENT_PROTOCOL", "https")
# How long a SendSms call waits for the gateway's answer; without one the
# outcome is unknown and the row waits for the receipt (ADR 0056).
SMS_GATEWAY_TIMEOUT_MS = int(env("GRASSROOTS_SMS_GATEWAY_TIMEOUT_MS", "10000") or "10000")
try:
    SMS_TEMPLATES: dict[str, dict[str, str]] = json.loads(env("GRASSROOTS_SMS_TEMPLATES", "") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured("GRASSROOTS_SMS_TEMPLATES must be a JSON object (see .env.example).") from exc
if not isinstance(SMS_TEMPLATES, dict) or not all(isinstance(v, dict) for v in SMS_TEMPLATES.values()):
    raise ImproperlyConfigured("GRASSROOTS_SMS_TEMPLATES: {kind: {provider: template id}}.")
# The secret path segment of the receipt callbacks (/sms/receipts/<provider>/<token>);
# empty switches the callbacks off. Optionally only these peers may push.
SMS_RECEIPT_TOKEN = env("GRASSROOTS_SMS_RECEIPT_TOKEN", "")
SMS_RECEIPT_ALLOWED_IPS = env_list("GRASSROOTS_SMS_RECEIPT_ALLOWED_IPS", "")
# Limits taken before any gateway (0 switches one off).
SMS_LIMIT_PER_NUMBER_PER_DAY = env_int("GRASSROOTS_SMS_LIMIT_PER_NUMBER_PER_DAY", 20)
SMS_LIMIT_PER_DAY = env_int("GRASSROOTS_SMS_LIMIT_PER_DAY", 5000)
# --- WeChat official account and WeCom group robots (ADR 0051) --------------
# Off by default: no official account, group posts recorded in demo mode.
WECHAT_MP_BACKEND = env("GRASSROOTS_WECHAT_MP_BACKEND", "grassroots.channels.backends.DisabledMpBackend")
WECHAT_MP_APP_ID = env("WECHAT_MP_APP_ID", "") or ""
WECHAT_MP_APP_SECRET = env("WECHAT_MP_APP_SECRET", "") or ""
# The callback's token and, for the encrypted "safe mode", the 43-character EncodingAESKey.
WECHAT_MP_TOKEN = env("WECHAT_MP_TOKEN", "") or ""
WECHAT_MP_AES_KEY = env("WECHAT_MP_AES_KEY", "") or ""
# The subscription-notice template and its three fields: matter, tracking code, progress.
WECHAT_MP_TEMPLATE_ID = env("WECHAT_MP_TEMPLATE_ID", "") or ""
WECHAT_MP_TEMPLATE_FIELDS = env_list("WECHAT_MP_TEMPLATE_FIELDS", "thing1,character_string2,thing3")
WECHAT_API_BASE_URL = env("WECHAT_API_BASE_URL", "https://api.weixin.qq.com/cgi-bin/") or ""
WECHAT_CALLBACK_MAX_SKEW = env_int("WECHAT_CALLBACK_MAX_SKEW", 300)
WECOM_ROBOT_BACKEND = env("GRASSROOTS_WECOM_ROBOT_BACKEND", "grassroots.channels.backends.LogRobotBackend")
WECOM_API_BASE_URL = env("WECOM_API_BASE_URL", "https://qyapi.weixin.qq.com/") or ""
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "grassroots@localhost")

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Group posts, articles and subscription messages whose retry fell through (ADR 0051).
    "channels-requeue-stalled": {
        "task": "grassroots.channels.tasks.requeue_stalled_channel_messages",
        "schedule": 300.0,
    },
    # Re-queue outbox rows a dead worker or an unreachable broker left behind.
    "notifications-retry-unsent": {
        "task": "grassroots.core.notifications.tasks.retry_unsent_notifications",
        "schedule": 300.0,
    },
    # Disable accounts with no login for ACCOUNT_DORMANT_DAYS (ADR 0059).
    "accounts-disable-dormant": {
        "task": "grassroots.accounts.tasks.disable_dormant_accounts",
        "schedule": crontab(hour=2, minute=30),
    },
    # Settled field-app sync items drop their copy of the typed text (ADR 0054).
    "field-prune-sync-items": {
        "task": "field.prune_sync_items",
        "schedule": crontab(hour=3, minute=15),
    },
    # Approved exports past EXPORT_FILE_HOURS and undecided requests expire (ADR 0060).
    "exports-expire-due": {
        "task": "exports.expire_due",
        "schedule": 900.0,
    },
    # Escalate overdue matters one level up the tree (idempotent per day).
    "matters-escalate-overdue": {
        "task": "grassroots.matters.tasks.escalate_overdue_matters",
        "schedule": crontab(hour=7, minute=0),
    },
    # Yesterday's late and 3x-late counts per node for the dashboards' trends (ADR 0047).
    "matters-snapshot-figures": {
        "task": "grassroots.matters.tasks.snapshot_matter_figures",
        "schedule": crontab(hour=0, minute=5),
    },
    # Escalate hazards past their rectification deadline (each once).
    "safety-escalate-overdue": {
        "task": "grassroots.safety.tasks.escalate_overdue_hazards",
        "schedule": crontab(hour=7, minute=10),
    },
    # The month's birthday list to each grid worker (once per worker and month).
    "livelihood-birthday-lists": {
        "task": "grassroots.livelihood.tasks.remind_birthday_lists",
        "schedule": crontab(day_of_month=1, hour=7, minute=30),
    },
    # Day-before SMS reminders of window appointments (each booking once).
    "registration-appointments-remind": {
        "task": "grassroots.registration.tasks.remind_appointments",
        "schedule": crontab(hour=16, minute=0),
    },
    # Certificate expiry reminders 60 and 30 days ahead (each once).
    "registration-certificates-remind": {
        "task": "grassroots.registration.tasks.remind_certificates",
        "schedule": crontab(hour=9, minute=0),
    },
    # Commitments (告知承诺) whose verification is due: remind window staff.
    "registration-commitments-follow-up": {
        "task": "grassroots.registration.tasks_applications.follow_up_commitments",
        "schedule": crontab(hour=8, minute=30),
    },
    # Propose the two key villages of the week's joint meeting (办事), Mondays.
    "deliberation-weekly-proposal": {
        "task": "deliberation.weekly_selection_propose",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
    },
    # Create each village's appraisal session (评事) for the month just ended.
    "evaluation-create-monthly-sessions": {
        "task": "grassroots.evaluation.tasks.create_monthly_appraisal_sessions",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    # Retrain the category router when enough corrections came in (ADR 0050), Sundays.
    "routing-retrain": {
        "task": "grassroots.routing.tasks.retrain_router",
        "schedule": crontab(hour=3, minute=0, day_of_week="sun"),
    },
    # Compute each subdistrict's party 红黄榜 for the month just ended (a draft to review).
    "party-compute-monthly-boards": {
        "task": "grassroots.party.tasks.compute_monthly_boards",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
    },
    # Publications (晒事) whose period is over become "公示期满".
    "publicity-end-due": {
        "task": "grassroots.publicity.tasks.end_due_publications",
        "schedule": crontab(hour=0, minute=10),
    },
    # Revoke display tokens of the big screen past their expiry (ADR 0049).
    "bigscreen-expire-tokens": {
        "task": "grassroots.bigscreen.tasks.expire_screen_tokens",
        "schedule": crontab(hour=0, minute=20),
    },
    # Sign the audit chain's head into the head file and the log (ADR 0027):
    # deleting newer rows than the last signed head is then detected.
    "core-audit-sign-head": {
        "task": "grassroots.core.tasks.sign_audit_head",
        "schedule": crontab(minute="*/15"),
    },
    # Mediation cases due soon or overdue: remind the lead mediator and legal adviser.
    "mediation-deadline-reminders": {
        "task": "grassroots.mediation.tasks.mediation_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}

# Mediation period of the one-stop centre, in calendar days from acceptance (ADR 0012).
MEDIATION_PERIOD_DAYS = env_int("GRASSROOTS_MEDIATION_PERIOD_DAYS", 30)
MEDIATION_DUE_SOON_DAYS = env_int("GRASSROOTS_MEDIATION_DUE_SOON_DAYS", 5)

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous calls 401, not 403.
        "grassroots.accounts.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "grassroots.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "grassroots.core.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "基层治理与政务服务平台 API",
    "DESCRIPTION": "Grassroots 平台接口。错误以 RFC 7807 (application/problem+json) 返回,信息为简体中文。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Core's `<id:…>` path converter (ADR 0029): digits within the bigint range.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
    # Distinct component names for enums that share field names across apps.
    "ENUM_NAME_OVERRIDES": {
        "MatterStateEnum": "grassroots.matters.states.State",
        "MatterChannelEnum": "grassroots.matters.models.Channel",
        "MatterStaffChannelEnum": "grassroots.matters.api.serializers.STAFF_CHANNEL_CHOICES",
        "MatterUrgencyEnum": "grassroots.matters.models.Urgency",
        "MatterEventKindEnum": "grassroots.matters.models.EventKind",
        "MatterUnitKindEnum": "grassroots.matters.models.UnitKind",
        "PublicationKindEnum": "grassroots.publicity.models.Kind",
        "AddressKindEnum": "grassroots.addresses.models.Kind",
        "AddressStateEnum": "grassroots.addresses.states.State",
        "PremisesStateEnum": "grassroots.safety.states.State",
        "PremisesKindEnum": "grassroots.safety.models.PremisesKind",
        "PremisesRiskLevelEnum": "grassroots.safety.models.RiskLevel",
        "PartyBranchKindEnum": "grassroots.party.models.BranchKind",
        "PartyPairKindEnum": "grassroots.party.models.PairKind",
        "PartyVisitKindEnum": "grassroots.party.models.VisitKind",
        "PartyMemberStatusEnum": "grassroots.party.models.MemberStatus",
        "PartyPostEnum": "grassroots.party.models.Post",
        "PartyAudienceEnum": "grassroots.party.models.Audience",
        "PartyStandingEnum": "grassroots.party.models.Standing",
        "PartyBoardStateEnum": "grassroots.party.states.BoardState",
        "CareFlagKindEnum": "grassroots.livelihood.models.FlagKind",
        "CareListKindEnum": "grassroots.livelihood.models.ListKind",
        "CareVisitKindEnum": "grassroots.livelihood.models.VisitKind",
        "CareFlagStateEnum": "grassroots.livelihood.states.FlagState",
        "ActivityKindEnum": "grassroots.livelihood.models.ActivityKind",
        "EconomyIncomeSourceEnum": "grassroots.economy.models.Source",
        "DistributionPlanStateEnum": "grassroots.economy.states.State",
        "KeyProjectLevelEnum": "grassroots.economy.models.ProjectLevel",
        "KeyProjectStageEnum": "grassroots.economy.models.ProjectStage",
        "LandPlotStageEnum": "grassroots.economy.models.PlotStage",
        "TenantStateEnum": "grassroots.economy.states.TenantState",
        "IndicatorLedgerStateEnum": "grassroots.indicators.states.State",
        "IndicatorUnitEnum": "grassroots.indicators.models.Unit",
        "IndicatorScopeEnum": "grassroots.indicators.models.Scope",
        "IndicatorKindEnum": "grassroots.indicators.models.Kind",
        "ChannelsTargetEnum": "grassroots.channels.models.Target",
        "ChannelsPostStatusEnum": "grassroots.channels.states.State",
        "RelocationProjectKindEnum": "grassroots.relocation.models.ProjectKind",
        "RelocationBatchKindEnum": "grassroots.relocation.models.BatchKind",
        # Mediation's keeps the name it had before safety's risk levels came.
        "RiskLevelEnum": "grassroots.mediation.choices.RiskLevel",
        "HazardLevelEnum": "grassroots.safety.models.HazardLevel",
        "HazardStateEnum": "grassroots.safety.states.HazardState",
        "InspectionResultEnum": "grassroots.safety.models.Result",
        # The audit log's keeps the name it had before inspections had results.
        "ResultEnum": "grassroots.core.models.AuditEntry.Result",
        # The tree's levels keep the name they had before hazards had levels.
        "LevelEnum": "grassroots.regions.models.Level",
        "PublicationMatterKindEnum": [("plan", "理事方案"), ("result", "理事结果")],
        "PublicationChannelEnum": "grassroots.publicity.models.Channel",
        "PublicationStateEnum": "grassroots.publicity.models.State",
        "ReopenRequestStatusEnum": "grassroots.matters.models.ReopenRequest.Status",
        "VillageKindEnum": "grassroots.regions.models.VillageKind",
        "MediationStateEnum": "grassroots.mediation.states.State",
        "MediationSourceEnum": "grassroots.mediation.models.Source",
        "MediationReferralEnum": "grassroots.mediation.models.Referral",
        "MediationOutcomeEnum": "grassroots.mediation.models.Outcome",
        "MediationPartyKindEnum": "grassroots.mediation.models.PartyKind",
        "MediationEventKindEnum": "grassroots.mediation.models.EventKind",
        "MediationSessionStatusEnum": "grassroots.mediation.models.SessionStatus",
        "RegistrationStateEnum": "grassroots.registration.states.State",
        "OrgTypeEnum": "grassroots.registration.models.OrgType",
        "PneFormEnum": "grassroots.registration.models.PneForm",
        "ServiceKindEnum": "grassroots.registration.models.ServiceKind",
        "MaterialStatusEnum": "grassroots.registration.models.MaterialStatus",
        "CertificateStatusEnum": "grassroots.registration.models.Certificate.Status",
        "OrganisationStatusEnum": "grassroots.registration.models.Organisation.Status",
        "AppointmentStatusEnum": "grassroots.registration.models.Appointment.Status",
        "EvaluationSessionStateEnum": "grassroots.evaluation.states.State",
        "DeliberationMeetingKindEnum": "grassroots.deliberation.models.Kind",
        "DeliberationConveneKindEnum": "grassroots.deliberation.api.serializers.CONVENE_KIND_CHOICES",
        "DeliberationMeetingStateEnum": "grassroots.deliberation.states.State",
        "DeliberationProposersEnum": "grassroots.deliberation.rules.Proposers",
        "DeliberationThresholdEnum": "grassroots.deliberation.rules.Threshold",
        "DeliberationVoteMethodEnum": "grassroots.deliberation.rules.VoteMethod",
        "DeliberationAgendaSourceEnum": "grassroots.deliberation.models.AgendaItem.Source",
        "DeliberationProposalStatusEnum": "grassroots.deliberation.models.TopicProposal.Status",
        "DeliberationWeeklyStatusEnum": "grassroots.deliberation.models.WeeklySelection.Status",
        "DeliberationVoteChoiceEnum": "grassroots.deliberation.models.Choice",
        "EvaluationItemKindEnum": "grassroots.evaluation.models.ItemKind",
    },
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # Signed audit heads go to the log whatever LOG_LEVEL says (ADR 0027).
        "grassroots.audit.heads": {"level": "INFO"},
    },
}

# Lockout counts failures per account name (5 in 30 minutes). Not per IP: a
# subdistrict office shares one NAT address, and locking it would lock the
# whole office out; the login view rate-limits per IP instead (ADR 0004).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# `check --deploy` passes with production settings (issue 20): HSTS preload is
# opt-in (above), and behind nginx the proxy redirects HTTP to HTTPS
# (docs/operations.md), so Django need not.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if SECURE_PROXY_SSL_HEADER:
    SILENCED_SYSTEM_CHECKS.append("security.W008")
