"""Verify the audit hash chain and the signed heads (ADR 0005, 0027). Exit
status 0 when intact, 1 when broken or cut off, so that cron or monitoring
can alert on it. ``--sign`` signs a new head after a successful check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grassroots.core.audit import Action, VerifyResult, audit_verify
from grassroots.core.audit_heads import AuditHeadError, audit_head_sign, audit_heads_check
from grassroots.core.models import AuditEntry


class Command(BaseCommand):
    help = "核验审计日志哈希链是否完整,并核对签名链头(日志末尾是否被截断)。完整时退出码为 0,被篡改或截断时为 1。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start-id", type=int, default=None, help="从该编号的记录开始核验。")
        parser.add_argument(
            "--anchor", default=None, help="此前记录下的链头哈希;若它已不在链中,说明日志末尾被截断或改写。"
        )
        parser.add_argument(
            "--head-file",
            default=None,
            help="签名链头文件(默认为 GRASSROOTS_AUDIT_HEAD_FILE),例如从其他服务器取回的副本。",
        )
        parser.add_argument(
            "--head",
            action="append",
            default=[],
            help="从日志中复制的一行签名链头(JSON),可重复;与链头文件一并核对。",
        )
        parser.add_argument("--sign", action="store_true", help="核验通过后签发一个新的链头。")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify(start_id=options["start_id"], anchor_hash=options["anchor"])
        if not result.ok:
            raise CommandError("\n".join(self._broken_lines(result)), returncode=1)
        self.stdout.write(self.style.SUCCESS(result.reason))
        self.stdout.write(f"当前链头哈希:{result.head_hash}")

        head_file = Path(options["head_file"]) if options["head_file"] else None
        heads = audit_heads_check(path=head_file, extra_lines=options["head"], start_id=options["start_id"])
        if not heads.ok:
            raise CommandError(f"审计日志末尾被截断或签名链头不可信!\n{heads.reason}", returncode=1)
        if heads.newest is None:
            self.stderr.write(self.style.WARNING(heads.reason))
        else:
            self.stdout.write(self.style.SUCCESS(heads.reason))

        if options["sign"]:
            try:
                head = audit_head_sign(path=head_file)
            except AuditHeadError as exc:
                raise CommandError(str(exc), returncode=1) from exc
            self.stdout.write(f"已签发新的链头:第 {head.last_id} 条,共 {head.count} 条记录。")
            self.stdout.write(head.line())

    @staticmethod
    def _broken_lines(result: VerifyResult) -> list[str]:
        lines = ["审计日志哈希链已损坏!", result.reason, f"已核验通过 {result.checked} 条记录。"]
        if result.first_broken_id is not None:
            entry = AuditEntry.objects.filter(pk=result.first_broken_id).first()
            if entry is not None:
                when = timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
                lines.append(
                    f"首个异常记录:编号 {entry.pk},时间 {when},操作 {Action.label(entry.action)}({entry.action})"
                )
        lines.append(f"最后一条完好记录的哈希:{result.head_hash}")
        return lines
