from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "grassroots.mediation"
    label = "mediation"
    verbose_name = "矛盾纠纷调解"
