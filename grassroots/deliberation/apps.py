from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "grassroots.deliberation"
    label = "deliberation"
    verbose_name = "议事"

    def ready(self) -> None:
        from grassroots.core.publishing import register_source

        from .publishing import MEETING_SOURCE

        register_source(MEETING_SOURCE)
