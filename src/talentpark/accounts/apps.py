from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentpark.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from talentpark.accounts import (  # noqa: F401  (grants, receivers, scopes, kernel entries, menus)
            access,
            kernel,
            login_log,
            pages,
            security,  # records each sign-in's next step
            shell,
        )

        login_log.connect()
