from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "grassroots.routing"
    label = "routing"
    verbose_name = "分类推荐"

    def ready(self) -> None:
        # matters shows advice on its accept and intake forms and reports the
        # final choice through a registry it owns; routing sits above matters
        # and registers into it (ADR 0050).
        from grassroots.matters.services.advice import register_advisor

        from .advisor import ADVISOR

        register_advisor(ADVISOR)
