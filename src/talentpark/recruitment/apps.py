from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "talentpark.recruitment"
    label = "recruitment"
    verbose_name = "招聘"

    def ready(self) -> None:
        # access (scopes and grants), kernel (zone versions), pages (related lists), search, shell (menus, homes), services
        # (notice kinds), timeline (her applications on 一码归集), schedule (closing dates)
        from talentpark.recruitment import (  # noqa: F401
            access,
            kernel,
            pages,
            schedule,
            search_documents,
            services,
            shell,
            timeline,
        )

        schedule.register()
