from django.urls import path

from talentpark.talentcode import views

app_name = "talentcode"
urlpatterns = [
    path("keys.json", views.keys_json, name="keys"),  # public on purpose: offline verifiers fetch it
    path("", views.my_code, name="mine"),
    path("card/", views.my_card, name="card"),
    path("consent/", views.set_consent, name="consent"),
    path("scan/", views.scan, name="scan"),
    path("scan/<int:scan_id>/record/", views.record, name="record"),
]
