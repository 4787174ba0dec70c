from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentpark.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from talentpark.accounts import login_log, pages  # noqa: F401  (registers scopes and receivers)

        login_log.connect()
