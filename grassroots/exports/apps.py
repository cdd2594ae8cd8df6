from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "grassroots.exports"
    label = "exports"
    verbose_name = "导出审批"

    def ready(self) -> None:
        from grassroots.core.documents import install_export_guard

        from .gate import page_guard

        install_export_guard(page_guard)
