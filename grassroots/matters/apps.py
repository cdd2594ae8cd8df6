from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "grassroots.matters"
    label = "matters"
    verbose_name = "说事与办事"

    def ready(self) -> None:
        from grassroots.core.home import register_home_panel
        from grassroots.core.publishing import register_objection_intake, register_source

        from .home import HOME_PANEL
        from .publishing import MATTER_SOURCE, OBJECTION_INTAKE

        register_source(MATTER_SOURCE)
        register_objection_intake(OBJECTION_INTAKE)
        register_home_panel(HOME_PANEL)
