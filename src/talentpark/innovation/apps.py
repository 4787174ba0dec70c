from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "talentpark.innovation"
    label = "innovation"
    verbose_name = "创新与培训"

    def ready(self) -> None:
        from talentpark.innovation import access, kernel, shell  # noqa: F401  (scopes and grants, PI fields, menus)
