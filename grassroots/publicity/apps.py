from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "grassroots.publicity"
    label = "publicity"
    verbose_name = "晒事"

    def ready(self) -> None:
        from grassroots.core.publishing import register_publisher

        from .publisher import PUBLISHER

        register_publisher(PUBLISHER)
