from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "talentpark.registry"
    label = "registry"
    verbose_name = "一网四库"

    def ready(self) -> None:
        from talentpark.registry import (  # noqa: F401  (scopes and grants, addresses, search, menus and home, 一码归集)
            access,
            contacts,
            search_documents,
            shell,
            timeline,
        )
