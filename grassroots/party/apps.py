from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "grassroots.party"
    label = "party"
    verbose_name = "党建"
