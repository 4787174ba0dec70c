from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "talentpark.housing"
    label = "housing"
    verbose_name = "人才公寓"

    def ready(self) -> None:
        from talentpark.housing import access  # noqa: F401  (registers scopes)
