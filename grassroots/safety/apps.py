from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "grassroots.safety"
    label = "safety"
    verbose_name = "安全检查"

    def ready(self) -> None:
        from grassroots.core.linked import register_linked_work

        from .matter_links import LINKED_WORK

        register_linked_work(LINKED_WORK)
