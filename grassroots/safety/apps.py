from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "grassroots.safety"
    label = "safety"
    verbose_name = "安全检查"
