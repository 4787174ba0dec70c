from django.urls import path

from talentpark.signup import views

app_name = "signup"
urlpatterns = [
    path("", views.start, name="start"),
    path("talent/", views.talent, name="talent"),
    path("enterprise/", views.enterprise, name="enterprise"),
    path("done/", views.done, name="done"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/accept/", views.privacy_accept, name="privacy_accept"),
    path("privacy/versions/", views.notice_list, name="notice_list"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<int:pk>/review/", views.registration_review, name="registration_review"),
]
