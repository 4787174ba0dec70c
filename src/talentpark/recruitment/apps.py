from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "talentpark.recruitment"
    label = "recruitment"
    verbose_name = "招聘"

    def ready(self) -> None:
        from talentpark.recruitment import access, search_documents  # noqa: F401  (registers scopes, search kinds)
