from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "grassroots.publicity"
    label = "publicity"
    verbose_name = "晒事"
