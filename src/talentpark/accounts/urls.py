from django.contrib.auth import views as auth_views
from django.urls import path

from talentpark.accounts import online, password_reset, security_views, views
from talentpark.accounts.pages import LISTINGS

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("login/verify/", security_views.otp_verify, name="otp_verify"),
    path("security/", security_views.account_security, name="security"),
    path("security/totp/start/", security_views.otp_start, name="otp_start"),
    path("security/totp/confirm/", security_views.otp_confirm, name="otp_confirm"),
    path("security/totp/remove/", security_views.otp_remove, name="otp_remove"),
    path("user/<int:pk>/otp-reset/", security_views.user_otp_reset, name="user_otp_reset"),
    path("password/reset/", password_reset.password_reset, name="password_reset"),
    path("sessions/", online.session_list, name="session_list"),
    path("sessions/<int:pk>/end/", online.usersession_end, name="usersession_end"),
    *[u for listing in LISTINGS for u in listing.urls()],
]
