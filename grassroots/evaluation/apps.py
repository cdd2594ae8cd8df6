from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "grassroots.evaluation"
    label = "evaluation"
    verbose_name = "评事"

    def ready(self) -> None:
        from grassroots.core.publishing import register_source

        from .publishing import SESSION_SOURCE

        register_source(SESSION_SOURCE)
