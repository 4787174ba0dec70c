from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "talentpark.registry"
    label = "registry"
    verbose_name = "一网四库"

    def ready(self) -> None:
        from talentpark.registry import access, contacts, search_documents  # noqa: F401  (scopes, addresses, search)
