from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "talentpark.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from talentpark.core import access, shell, zone_versions  # noqa: F401  (the kernel's grants and menus)

        zone_versions.connect()
