from django.apps import AppConfig


class RelocationConfig(AppConfig):
    name = "grassroots.relocation"
    label = "relocation"
    verbose_name = "房屋征迁"
