"""Verify the audit hash chain. Exit status 0 when intact, 1 when broken, so
that cron or monitoring can alert on it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grassroots.core.audit import Action, audit_verify
from grassroots.core.models import AuditEntry


class Command(BaseCommand):
    help = "核验审计日志哈希链是否完整(完整时退出码为 0,被篡改时为 1)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start-id", type=int, default=None, help="从该编号的记录开始核验。")
        parser.add_argument(
            "--anchor", default=None, help="此前记录下的链头哈希;若它已不在链中,说明日志末尾被截断或改写。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify(start_id=options["start_id"], anchor_hash=options["anchor"])
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.reason))
            self.stdout.write(f"当前链头哈希:{result.head_hash}")
            return

        lines = ["审计日志哈希链已损坏!", result.reason, f"已核验通过 {result.checked} 条记录。"]
        if result.first_broken_id is not None:
            entry = AuditEntry.objects.filter(pk=result.first_broken_id).first()
            if entry is not None:
                when = timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
                lines.append(
                    f"首个异常记录:编号 {entry.pk},时间 {when},操作 {Action.label(entry.action)}({entry.action})"
                )
        lines.append(f"最后一条完好记录的哈希:{result.head_hash}")
        raise CommandError("\n".join(lines), returncode=1)
