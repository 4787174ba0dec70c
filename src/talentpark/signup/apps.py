from django.apps import AppConfig


class SignupConfig(AppConfig):
    name = "talentpark.signup"
    label = "signup"
    verbose_name = "注册与隐私政策"

    def ready(self) -> None:
        # access (scopes), contacts (SMS addresses and phone owners), consent (the login check)
        from talentpark.signup import access, consent, contacts  # noqa: F401
