from django.apps import AppConfig


class LivelihoodConfig(AppConfig):
    name = "grassroots.livelihood"
    label = "livelihood"
    verbose_name = "民生关爱"
