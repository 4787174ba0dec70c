from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "talentpark.recruitment"
    label = "recruitment"
    verbose_name = "招聘"

    def ready(self) -> None:
        from talentpark.recruitment import (  # noqa: F401  (scopes and grants, related lists, search, menus)
            access,
            pages,
            search_documents,
            shell,
        )
