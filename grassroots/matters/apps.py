from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "grassroots.matters"
    label = "matters"
    verbose_name = "说事与办事"
