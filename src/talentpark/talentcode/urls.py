from django.urls import path

from talentpark.talentcode import views

app_name = "talentcode"
urlpatterns = [
    path("keys.json", views.keys_json, name="keys"),  # public on purpose: offline verifiers fetch it
]
