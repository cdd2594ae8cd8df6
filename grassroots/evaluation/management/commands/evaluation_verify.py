"""manage.py evaluation_verify <session> [--head HASH] [--json board.json]:
recompute an appraisal session's ballot chain and tally from the database
(and compare with a head hash read out at the meeting). Exit 1 on failure."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.services.ballots import board_build, session_verify


class Command(BaseCommand):
    help = "核验月度评议的选票哈希链和计票结果。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session", type=int, help="评议编号")
        parser.add_argument("--head", default=None, help="会上宣读、打印的链头哈希")

    def handle(self, *args: Any, **options: Any) -> None:
        session = AppraisalSession.objects.select_related("village").filter(pk=options["session"]).first()
        if session is None:
            raise CommandError("评议不存在。")
        result = session_verify(session=session, anchor_head=options["head"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"核验失败:{session}")
        data = board_build(session=session)
        self.stdout.write(f"{session}:{result.ballots} 张选票,链头哈希 {result.head_hash}")
        for item in data["items"]:
            counts = data["tally"].get(item["id"])
            shown = "票数不足,不公布" if counts is None else " ".join(f"{k}={v}" for k, v in counts.items())
            self.stdout.write(f"  {item['label']}:{shown}")
        self.stdout.write(self.style.SUCCESS("核验通过。"))
