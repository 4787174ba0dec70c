from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "talentpark.housing"
    label = "housing"
    verbose_name = "人才公寓"

    def ready(self) -> None:
        from talentpark.housing import access, shell  # noqa: F401  (scopes and grants, menus and home)
