from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "talentpark.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from talentpark.core import zone_versions

        zone_versions.connect()
