from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "grassroots.registration"
    label = "registration"
    verbose_name = "社会组织登记"
