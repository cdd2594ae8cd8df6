from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import (
            checks,  # noqa: F401  (registers system checks)
            text,
        )
        from .converters import IdConverter

        # Before any URLconf is imported: every urls.py writes `<id:pk>`.
        register_converter(IdConverter, "id")
        # Every form and serializer text field refuses NUL and bidi controls
        # and drops zero-width characters (ADR 0029).
        text.install()
