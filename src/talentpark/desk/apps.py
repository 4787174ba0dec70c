from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "talentpark.desk"
    label = "desk"
    verbose_name = "一窗受理"

    def ready(self) -> None:
        # access (grants, scopes), categories (the dictionary's extra data), services (notice
        # kinds, threshold announcers), clocks (parameters), shell (navigation, homes), timeline
        # (its source), schedule (the SLA scan as a kind of scheduled job)
        from talentpark.desk import access, categories, clocks, pages, schedule, services, shell, timeline  # noqa: F401

        schedule.register()
