from django.contrib.auth import views as auth_views
from django.urls import path

from talentpark.accounts import online, password_reset, profile, views
from talentpark.accounts.pages import LISTINGS

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", password_reset.password_reset, name="password_reset"),
    path("profile/", profile.profile, name="profile"),
    path("profile-changes/", profile.profile_change_list, name="profile_change_list"),
    path("profile-changes/<int:pk>/review/", profile.profile_change_review, name="profile_change_review"),
    path("sessions/", online.session_list, name="session_list"),
    path("sessions/<int:pk>/end/", online.usersession_end, name="usersession_end"),
    *[u for listing in LISTINGS for u in listing.urls()],
]
