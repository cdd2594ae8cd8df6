"""Every environment variable the code reads is documented in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PATTERNS = [
    re.compile(r"""env(?:_bool|_int|_list)?\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""os\.environ(?:\.get|\.setdefault)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']"""),
]
# Set by the process manager or test harness, not by an operator.
NOT_CONFIGURATION = {"DJANGO_ALLOW_ASYNC_UNSAFE", "CHROMIUM_PATH", "GRASSROOTS_TEST_REAL_BROKER"}


def variables_read_by_code() -> set[str]:
    found: set[str] = set()
    for path in [*ROOT.glob("config/**/*.py"), *ROOT.glob("grassroots/**/*.py")]:
        if "tests" in path.parts or "testing" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            found.update(pattern.findall(text))
    return found - NOT_CONFIGURATION


def documented() -> set[str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0].strip() for line in lines if "=" in line and not line.lstrip().startswith("#")}


def test_env_example_is_complete():
    read = variables_read_by_code()
    assert "DJANGO_SECRET_KEY" in read  # the scan itself works
    missing = read - documented()
    assert not missing, f".env.example 缺少:{sorted(missing)}"
