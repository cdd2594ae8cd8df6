"""Test settings: fast hashing, eager Celery unless a test asks otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key")
os.environ.setdefault("GRASSROOTS_FIELD_KEY", "0123456789abcdef0123456789abcdef")
os.environ.setdefault("GRASSROOTS_INDEX_KEY", "fedcba9876543210fedcba9876543210")
os.environ.setdefault("GRASSROOTS_AUDIT_HEAD_KEY", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")
os.environ.setdefault("GRASSROOTS_BACKUP_KEY", "3c4d5e6f708192a3b4c5d6e7f8091a2b")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("GRASSROOTS_HTTPS", "0")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("GRASSROOTS_PUBLIC_BASE_URL", "http://127.0.0.1:8000/")
if os.environ.get("GRASSROOTS_TEST_REAL_BROKER") != "1":
    # Eager Celery in the test process. The real-worker test starts its worker
    # subprocess with GRASSROOTS_TEST_REAL_BROKER=1 so that it keeps its broker.
    os.environ.pop("CELERY_BROKER_URL", None)

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a real Celery worker process can share it.
    # Per process, so that concurrent runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
# Model versions trained by tests go to a per-process folder (tests override it with tmp_path).
ROUTING_MODEL_DIR = BASE_DIR / "var" / f"test-routing-{os.getpid()}"
# The second factor is enforced by the tests about it (grassroots/accounts/tests/
# test_twofactor*.py switch it on); the rest log in with force_login.
TWO_FACTOR_ENFORCED = False
