from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentpark.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from talentpark.accounts import access, login_log, pages, shell  # noqa: F401  (grants, receivers, scopes, menus)

        login_log.connect()
