from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "grassroots.economy"
    label = "economy"
    verbose_name = "集体经济"
