"""Train the text router.

manage.py route_train --csv FILE --text-column COL --label-column COL --out MODEL.joblib [--cv 5]
    trains on a labelled CSV read in place and writes one model file;
manage.py route_train [--force]
    trains from the office's own closed matters (the category staff
    finally chose) and registers a new model version (used from then on).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.routing import csvio
from grassroots.routing.errors import RoutingError
from grassroots.routing.services import router_train_file, router_train_from_history


class Command(BaseCommand):
    help = "训练事项分类推荐模型(从 CSV 文件,或从本街道已办结事项)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", help="带表头的 UTF-8 CSV 训练文件(原地读取,不复制)")
        parser.add_argument("--text-column", help="文本列名")
        parser.add_argument("--label-column", help="类别列名")
        parser.add_argument("--out", help="模型文件输出路径(.joblib)")
        parser.add_argument("--cv", type=int, default=0, help="交叉验证折数(0 = 不做;CSV 模式默认不做)")
        parser.add_argument("--force", action="store_true", help="从事项训练时:即使新更正不足也重新训练")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            if options["csv"]:
                for name in ("text_column", "label_column", "out"):
                    if not options[name]:
                        raise CommandError(f"使用 --csv 时必须提供 --{name.replace('_', '-')}。")
                header, rows = csvio.read_table(options["csv"])
                csvio.require_columns(header, [options["text_column"], options["label_column"]], options["csv"])
                texts = [r.get(options["text_column"], "") for r in rows]
                labels = [r.get(options["label_column"], "") for r in rows]
                meta = router_train_file(texts=texts, labels=labels, out=options["out"], cv=options["cv"])
                self.stdout.write(
                    f"已训练:{meta['rows']} 条,{len(meta['labels'])} 类,"
                    f"用时 {time.perf_counter() - started:.1f} 秒,模型写入 {options['out']}"
                )
                if meta.get("cv_macro_f1") is not None:
                    self.stdout.write(f"{meta['cv_folds']} 折交叉验证 macro-F1:{meta['cv_macro_f1']:.4f}")
                return
            version = router_train_from_history(force=options["force"], cv=options["cv"] or 5)
        except RoutingError as exc:
            raise CommandError(exc.message) from exc
        if version is None:
            self.stdout.write("新更正不足,未重新训练(可用 --force 强制训练)。")
            return
        self.stdout.write(
            f"已训练模型版本 {version.label}:{version.rows} 条,{version.class_count} 类,"
            f"交叉验证 macro-F1 {version.cv_display},用时 {time.perf_counter() - started:.1f} 秒"
        )
