from django.apps import AppConfig


class LivelihoodConfig(AppConfig):
    name = "grassroots.livelihood"
    label = "livelihood"
    verbose_name = "民生关爱"

    def ready(self) -> None:
        from grassroots.core.publishing import register_source

        from .publishing import PROJECT_SOURCE

        register_source(PROJECT_SOURCE)
