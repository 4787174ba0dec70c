from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "talentpark.registry"
    label = "registry"
    verbose_name = "一网四库"

    def ready(self) -> None:
        from talentpark.registry import (  # noqa: F401  (scopes and grants, addresses, kernel entries, search, menus)
            access,
            contacts,
            kernel,
            search_documents,
            shell,
        )
