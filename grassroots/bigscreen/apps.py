from django.apps import AppConfig


class BigscreenConfig(AppConfig):
    name = "grassroots.bigscreen"
    label = "bigscreen"
    verbose_name = "指挥中心大屏"

    def ready(self) -> None:
        # The monthly briefing's work figures: indicators (below) renders what is registered.
        from grassroots.indicators.services.briefing import briefing_section_register

        from .briefing import work_figures

        briefing_section_register(key="work_figures", builder=work_figures)
