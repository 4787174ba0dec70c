from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "talentpark.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from talentpark.core import access, health, scheduling, shell, zone_versions  # noqa: F401  (grants, checks, menus)
        from talentpark.core.scheduling import service

        access._register_kernel_scopes()
        zone_versions.connect()
        scheduling.register_job(
            "core.prune_task_results",
            service.prune_task_results,
            label=gettext_noop("清理后台任务记录"),
            description=gettext_noop("删除过期的后台任务结果、定时任务执行记录和心跳"),
        )
