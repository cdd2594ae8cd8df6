from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "grassroots.party"
    label = "party"
    verbose_name = "党建"

    def ready(self) -> None:
        from grassroots.core.home import register_home_panel

        from .activities import register_activity_provider
        from .activity_sources import livelihood_attendance
        from .home import HOME_PANEL

        register_home_panel(HOME_PANEL)
        # Attendance at livelihood's activities counts in the 红黄榜's activities term.
        register_activity_provider("livelihood", livelihood_attendance)
