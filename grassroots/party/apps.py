from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "grassroots.party"
    label = "party"
    verbose_name = "党建"

    def ready(self) -> None:
        from grassroots.core.home import register_home_panel

        from .home import HOME_PANEL

        register_home_panel(HOME_PANEL)
