from django.apps import AppConfig


class TalentcodeConfig(AppConfig):
    name = "talentpark.talentcode"
    label = "talentcode"
    verbose_name = "人才码"

    def ready(self) -> None:
        # access (grants), checks (the signing algorithm is available), kernel (zone versions),
        # pages (its list on the talent's page), services (notice kind, parameters), shell
        # (navigation, homes), timeline (its source)
        from talentpark.talentcode import access, checks, kernel, pages, schedule, services, shell, timeline  # noqa: F401

        schedule.register()  # the nightly pruning of expired tokens, as a kind of scheduled job
