"""``manage.py link_households``: link households without a standard address
to the one their text matches (services/linking.py) and list those that
could not be linked, for a person to decide."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.core.actors import SYSTEM

from ...services.linking import households_link


class Command(BaseCommand):
    help = "把尚未关联标准地址的住户按地址文字关联到标准地址,并列出未能关联的住户。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = households_link(actor=SYSTEM)
        self.stdout.write(self.style.SUCCESS(f"已关联 {report.linked} 户;未能关联 {len(report.unlinked)} 户。"))
        for household in report.unlinked:
            self.stdout.write(f"{household.pk}\t{household.address}")
