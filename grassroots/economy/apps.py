from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "grassroots.economy"
    label = "economy"
    verbose_name = "集体经济"

    def ready(self) -> None:
        from grassroots.evaluation.services.handlers import register_matter_handlers
        from grassroots.matters.services.joint_topics import register_topic_source

        from .appraisal import plan_handlers
        from .joint_topics import TOPIC_SOURCE

        register_matter_handlers(plan_handlers)
        register_topic_source(TOPIC_SOURCE)
