from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "talentpark.policies"
    label = "policies"
    verbose_name = "政策库"

    def ready(self) -> None:
        from talentpark.policies import access, notices, schedule, search_documents  # noqa: F401  (scopes, notice kinds, search kinds)

        schedule.register()  # the nightly 补充比对 as a kind of scheduled job
