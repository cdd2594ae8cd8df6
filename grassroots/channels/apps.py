from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "grassroots.channels"
    label = "channels"
    verbose_name = "微信渠道"

    def ready(self) -> None:
        from grassroots.matters.services.notify import register_reporter_channel

        from .services.notices import reporter_channel

        register_reporter_channel(reporter_channel)
