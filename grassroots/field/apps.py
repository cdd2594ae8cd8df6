from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "grassroots.field"
    label = "field"
    verbose_name = "网格员离线工作"
