from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "talentpark.innovation"
    label = "innovation"
    verbose_name = "创新与培训"

    def ready(self) -> None:
        from talentpark.innovation import access  # noqa: F401  (registers scopes)
