from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "grassroots.indicators"
    label = "indicators"
    verbose_name = "经济指标"
