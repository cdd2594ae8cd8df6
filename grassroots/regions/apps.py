from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "grassroots.regions"
    label = "regions"
    verbose_name = "辖区与居民"

    def ready(self) -> None:
        from grassroots.exports.registry import register_export

        from .exporting import RESIDENTS_EXPORT

        register_export(RESIDENTS_EXPORT)
