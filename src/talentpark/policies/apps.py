from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "talentpark.policies"
    label = "policies"
    verbose_name = "政策库"

    def ready(self) -> None:
        from talentpark.policies import (  # noqa: F401  (scopes and grants, notice kinds, search, menus and home, 一码归集)
            access,
            kernel,
            notices,
            schedule,
            search_documents,
            shell,
            timeline,
        )

        schedule.register()  # the nightly 补充比对 as a kind of scheduled job
