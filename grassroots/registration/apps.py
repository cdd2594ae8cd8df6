from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "grassroots.registration"
    label = "registration"
    verbose_name = "社会组织登记"

    def ready(self) -> None:
        from grassroots.accounts.permissions import user_can
        from grassroots.accounts.roles import Capability
        from grassroots.core.home import HomePanel, register_home_panel

        from .selectors.home import window_home

        # The service window's day on the staff home page; window staff work without a jurisdiction.
        register_home_panel(
            HomePanel(
                name="registration-window",
                template="registration/_home_panel.html",
                shown_to=lambda user: user_can(user, Capability.WINDOW_WORK),
                context=lambda user: {"window": window_home()},
                empty={"window": None},
                order=20,
                without_jurisdiction=True,
            )
        )
