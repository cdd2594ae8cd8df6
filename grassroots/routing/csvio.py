"""Reading and writing the CSV files of `route_train` and `route_predict`
(the command-line evaluation interface of issue 17). UTF-8 with a header;
a BOM is accepted. Errors are `RoutingError`s with a Chinese message."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from .errors import RoutingError

# Messages of 12345 hotlines can be long; the csv module's default field
# limit (128 KiB) is enough, but say so explicitly rather than rely on it.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_table(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    p = Path(path)
    if not p.is_file():
        raise RoutingError("csv_missing", f"找不到 CSV 文件:{p}")
    try:
        with p.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            rows = [{k: (v if isinstance(v, str) else "") for k, v in row.items() if k is not None} for row in reader]
    except UnicodeDecodeError as exc:
        raise RoutingError("csv_encoding", f"CSV 文件不是 UTF-8 编码:{p}") from exc
    except csv.Error as exc:
        raise RoutingError("csv_invalid", f"CSV 文件格式有误:{p}({exc})") from exc
    if not header:
        raise RoutingError("csv_empty", f"CSV 文件没有表头:{p}")
    return header, rows


def require_columns(header: list[str], columns: list[str], path: str | Path) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise RoutingError(
            "csv_columns",
            f"CSV 文件 {path} 缺少列:{'、'.join(missing)}(现有列:{'、'.join(header)})",
        )


def write_table(path: str | Path, header: list[str], rows: list[dict[str, str]]) -> None:
    p = Path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
