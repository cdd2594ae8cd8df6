"""The assessor's map (docs/security/mlps3.md) names only tests that exist,
and every row that claims an item is met names at least one: an assessor
follows each reference."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MAP = ROOT / "docs" / "security" / "mlps3.md"
REFERENCE = re.compile(r"`(grassroots/[\w/]+\.py)::(test_\w+)`")


def _rows() -> list[str]:
    return [
        line
        for line in MAP.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and not line.startswith("| item") and not line.startswith("|---")
    ]


def test_every_row_names_a_test():
    rows = _rows()
    assert len(rows) >= 20
    for row in rows:
        assert REFERENCE.search(row) or "未满足" in row, f"no test named in: {row[:80]}"


def test_every_named_test_exists():
    names = {match.groups() for row in _rows() for match in REFERENCE.finditer(row)}
    assert len(names) >= 30
    for path, test in sorted(names):
        source = ROOT / path
        assert source.is_file(), f"{path} does not exist"
        assert re.search(rf"^\s*(async )?def {test}\(", source.read_text(encoding="utf-8"), re.M), f"{path}::{test}"
