from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "grassroots.evaluation"
    label = "evaluation"
    verbose_name = "评事"
