from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "talentpark.registry"
    label = "registry"
    verbose_name = "一网四库"

    def ready(self) -> None:
        from talentpark.registry import (  # noqa: F401  (grants, addresses, kernel entries, search, menus, 一码归集)
            access,
            contacts,
            kernel,
            search_documents,
            shell,
            timeline,
        )
