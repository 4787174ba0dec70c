from django.urls import path

from talentpark.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("pii-access/", views.audit_list, {"kind": "pii"}, name="pii_access_list"),
]
