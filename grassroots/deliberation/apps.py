from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "grassroots.deliberation"
    label = "deliberation"
    verbose_name = "议事"
