"""Predict categories for every row of a CSV file.

    manage.py route_predict --model MODEL.joblib --text-columns subject,body --out PRED.csv IN.csv

Reads a UTF-8 CSV with a header, joins the named text columns with a space,
and writes PRED.csv with the input's columns plus `predicted` and
`confidence`. Raw, unsegmented text is what the model expects.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.routing import csvio
from grassroots.routing.errors import RoutingError
from grassroots.routing.services import router_load_file

BATCH = 500


class Command(BaseCommand):
    help = "用训练好的模型为 CSV 文件中的每一行推荐类别。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="带表头的 UTF-8 CSV 输入文件")
        parser.add_argument("--model", required=True, help="route_train 写出的模型文件")
        parser.add_argument("--text-columns", required=True, help="文本列名,多个用逗号分隔,按顺序以空格拼接")
        parser.add_argument("--out", required=True, help="输出 CSV 路径")

    def handle(self, *args: Any, **options: Any) -> None:
        columns = [c.strip() for c in options["text_columns"].split(",") if c.strip()]
        if not columns:
            raise CommandError("请用 --text-columns 指定至少一个文本列。")
        try:
            header, rows = csvio.read_table(options["input"])
            csvio.require_columns(header, columns, options["input"])
            router = router_load_file(options["model"])
            texts = [" ".join(r.get(c, "") or "" for c in columns) for r in rows]
            for start in range(0, len(rows), BATCH):
                ranked = router.predict(texts[start : start + BATCH])
                for row, best in zip(rows[start : start + BATCH], ranked, strict=True):
                    row["predicted"] = best.label
                    row["confidence"] = f"{best.confidence:.4f}"
            out_header = header + [c for c in ("predicted", "confidence") if c not in header]
            csvio.write_table(options["out"], out_header, rows)
        except RoutingError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已预测 {len(rows)} 行,结果写入 {options['out']}")
