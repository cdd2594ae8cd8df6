"""The benchmark's environment: a separate PostgreSQL database, production
settings (`config.settings.base`) configured through environment variables,
and the account the load generator signs in with. Shared by run.py and
seed_matters.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DB = "grassroots_bench"
HOST = "127.0.0.1"
DEFAULT_PORT = 8765
STATIC_ROOT = "/tmp/grassroots-bench-static"  # noqa: S108 - throwaway collectstatic output for the bench server
COMPLAINTS_CSV = ROOT.parent / "shared" / "data" / "complaints" / "train_segmented.csv"

# The benchmark's own throwaway keys and account; never used anywhere else.
SECRET_KEY = "bench-only-secret-key-not-for-any-deployment-0123456789"  # noqa: S105
FIELD_KEY = "00112233445566778899aabbccddeeff"
INDEX_KEY = "ffeeddccbbaa99887766554433221100"
BENCH_USER = "bench_street"
BENCH_PASSWORD = "Bench-Grass-2026"  # noqa: S105


def environment(db_name: str = DEFAULT_DB) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "GRASSROOTS_FIELD_KEY": FIELD_KEY,
            "GRASSROOTS_INDEX_KEY": INDEX_KEY,
            "DJANGO_DEBUG": "0",
            "GRASSROOTS_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": HOST,
            # Production settings refuse to start without it (grassroots.E010).
            "GRASSROOTS_PUBLIC_BASE_URL": f"http://{HOST}:{DEFAULT_PORT}/",
            "DATABASE_URL": f"{PG_SERVER}/{db_name}",
            "DATABASE_CONN_MAX_AGE": "60",
            "DJANGO_STATIC_ROOT": STATIC_ROOT,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def django_setup(db_name: str = DEFAULT_DB) -> None:
    """Configure this process like the bench server and start Django."""
    os.environ.update(environment(db_name))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
