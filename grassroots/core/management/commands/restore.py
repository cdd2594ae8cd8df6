"""`manage.py restore FILE [--check]`: restore a backup onto an empty
installation (migrated, no accounts, no audit log), or only verify it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.backup.archive import BackupError
from grassroots.core.backup.service import restore_backup


class Command(BaseCommand):
    help = "把备份恢复到一个空的安装上(已执行 migrate、尚无账号和审计日志);--check 只核验备份,不写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="manage.py backup 生成的备份文件。")
        parser.add_argument("--check", action="store_true", help="只解密并核对行数和文件哈希,不写入任何数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到备份文件:{path}")
        try:
            with path.open("rb") as source:
                summary = restore_backup(source, check_only=options["check"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        verb = "核验通过" if options["check"] else "恢复完成"
        self.stdout.write(self.style.SUCCESS(f"{verb}:备份时间 {summary.created_at}"))
        self.stdout.write(
            f"{len(summary.rows)} 张表共 {summary.row_total} 行,其中审计日志 {summary.audit_entries} 条;"
            f"上传文件 {len(summary.files)} 个,哈希值一致。"
        )
        if summary.audit_ok:
            self.stdout.write(self.style.SUCCESS(f"审计日志:{summary.audit_reason}"))
