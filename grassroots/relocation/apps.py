from django.apps import AppConfig


class RelocationConfig(AppConfig):
    name = "grassroots.relocation"
    label = "relocation"
    verbose_name = "房屋征迁"

    def ready(self) -> None:
        from grassroots.core.home import register_home_panel

        from .home import HOME_PANEL

        register_home_panel(HOME_PANEL)
