from django.urls import path

from talentpark.talentcode import office_views, views
from talentpark.talentcode.pages import LISTINGS

app_name = "talentcode"
urlpatterns = [
    path("keys.json", views.keys_json, name="keys"),  # public on purpose: offline verifiers fetch it
    path("", views.my_code, name="mine"),
    path("card/", views.my_card, name="card"),
    path("consent/", views.set_consent, name="consent"),
    path("scan/", views.scan, name="scan"),
    path("scan/<int:scan_id>/record/", views.record, name="record"),
    # the office: partners, their windows, services and accounts; stopping a code
    path("partner/new/", office_views.partner_new, name="partner_new"),
    path("partner/<int:pk>/edit/", office_views.partner_edit, name="partner_edit"),
    path("partner/<int:pk>/window/new/", office_views.window_new, name="window_new"),
    path("partner/<int:pk>/service/new/", office_views.service_new, name="service_new"),
    path("partner/<int:pk>/account/new/", office_views.account_new, name="account_new"),
    path("window/<int:pk>/", office_views.window_edit, name="window_edit"),
    path("service/<int:pk>/", office_views.service_edit, name="service_edit"),
    path("account/<int:pk>/", office_views.account_edit, name="account_edit"),
    path("code/<int:pk>/status/", office_views.code_status, name="code_status"),
    *(u for listing in LISTINGS for u in listing.urls()),
]
