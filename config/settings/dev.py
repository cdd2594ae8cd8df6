"""Local development and the demo: fills the secrets with fixed, public
values so that `./run demo` works without configuration. Never use in production."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-insecure-secret-key-do-not-use-in-production")
os.environ.setdefault("GRASSROOTS_FIELD_KEY", "00112233445566778899aabbccddeeff")
os.environ.setdefault("GRASSROOTS_INDEX_KEY", "ffeeddccbbaa99887766554433221100")
os.environ.setdefault("GRASSROOTS_AUDIT_HEAD_KEY", "a0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9f")
os.environ.setdefault("GRASSROOTS_BACKUP_KEY", "8899aabbccddeeff0011223344556677")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("GRASSROOTS_HTTPS", "0")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo serves here (./run demo exports the address it serves on).
os.environ.setdefault("GRASSROOTS_PUBLIC_BASE_URL", "http://127.0.0.1:8000/")

from .base import *  # noqa: F403

# The demo runs Celery tasks in-process; one INFO line per delivered
# notification would drown the console.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
