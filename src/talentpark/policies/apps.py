from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "talentpark.policies"
    label = "policies"
    verbose_name = "政策库"

    def ready(self) -> None:
        from talentpark.policies import (  # noqa: F401  (scopes and grants, notice kinds, search, menus and home)
            access,
            notices,
            search_documents,
            shell,
        )
