from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (login/logout/axes audit hooks)
        from .twofactor import checks  # noqa: F401  (check --deploy: the second factor is enforced)
