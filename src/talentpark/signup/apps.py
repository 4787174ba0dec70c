from django.apps import AppConfig


class SignupConfig(AppConfig):
    name = "talentpark.signup"
    label = "signup"
    verbose_name = "注册与隐私政策"

    def ready(self) -> None:
        # access (scopes and grants), contacts (SMS addresses and phone owners), consent (the login
        # check), kernel (PI fields, zone versions), shell (menus), timeline (一码归集: registration
        # and consents)
        from talentpark.signup import access, consent, contacts, kernel, shell, timeline  # noqa: F401
