"""`manage.py backup [--output FILE]`: an encrypted archive of the database,
the uploaded files and the key identifiers (never the keys), ADR 0057."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.backup.archive import BackupError
from grassroots.core.backup.service import create_backup, default_name


class Command(BaseCommand):
    help = "备份数据库、上传文件和密钥标识(不含密钥)到一个用 GRASSROOTS_BACKUP_KEY 加密的文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", default=None, help="备份文件路径(默认为 var/backups/grassroots-日期-时间.grbk)。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"] or Path(settings.BASE_DIR) / "var" / "backups" / default_name())
        if path.exists():
            raise CommandError(f"文件已存在,不会覆盖:{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            # Only the owner may read it, from the first byte on.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as sink:
                summary = create_backup(sink)
                sink.flush()
                os.fsync(sink.fileno())
            partial.replace(path)
        except BackupError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"备份完成:{path}({path.stat().st_size} 字节)"))
        self.stdout.write(
            f"{len(summary.rows)} 张表共 {summary.row_total} 行,其中审计日志 {summary.audit_entries} 条;"
            f"上传文件 {len(summary.files)} 个。"
        )
