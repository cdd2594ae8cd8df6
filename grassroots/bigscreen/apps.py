from django.apps import AppConfig


class BigscreenConfig(AppConfig):
    name = "grassroots.bigscreen"
    label = "bigscreen"
    verbose_name = "指挥中心大屏"
