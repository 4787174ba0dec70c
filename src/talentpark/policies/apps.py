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

        # 一键直达: a registry change queues its re-evaluation against every live policy.
        from talentpark.policies.reevaluate import on_records_changed
        from talentpark.registry.signals import records_changed

        records_changed.connect(on_records_changed, dispatch_uid="policies.reevaluate")
