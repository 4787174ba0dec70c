from django.urls import path

from talentpark.core import calendar_views, config_views, views
from talentpark.core.scheduling import views as job_views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("pii-access/", views.audit_list, {"kind": "pii"}, name="pii_access_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox_open"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("inbox/settings/", views.inbox_settings, name="inbox_settings"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_edit, name="announcement_new"),
    path("announcements/<int:pk>/", views.announcement_edit, name="announcement_edit"),
    path(
        "announcements/<int:pk>/publish/",
        views.announcement_status,
        {"status": "published"},
        name="announcement_publish",
    ),
    path(
        "announcements/<int:pk>/withdraw/",
        views.announcement_status,
        {"status": "withdrawn"},
        name="announcement_withdraw",
    ),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/schedule/", job_views.job_schedule, name="job_schedule"),
    path("jobs/<int:pk>/enable/", job_views.job_enable, {"enabled": True}, name="job_enable"),
    path("jobs/<int:pk>/disable/", job_views.job_enable, {"enabled": False}, name="job_disable"),
    path("jobs/<int:pk>/run/", job_views.job_run, name="job_run"),
    path("dictionaries/", config_views.dictionary_list, name="dictionary_list"),
    path("dictionaries/new/", config_views.dictionary_new, name="dictionary_new"),
    path("dictionaries/<int:pk>/", config_views.dictionary_detail, name="dictionary_detail"),
    path("dictionaries/<int:pk>/localize/", config_views.dictionary_localize, name="dictionary_localize"),
    path("dictionaries/items/<int:pk>/", config_views.item_edit, name="dictionary_item_edit"),
    path(
        "dictionaries/items/<int:pk>/<str:action>/", config_views.item_action, name="dictionary_item_action"
    ),
    path("synonyms/", config_views.synonym_list, name="synonym_list"),
    path("synonyms/<int:pk>/", config_views.synonym_change, name="synonym_change"),
    path("parameters/", config_views.parameter_list, name="parameter_list"),
    path("parameters/<str:key>/", config_views.parameter_edit, name="parameter_edit"),
    path("calendar/", calendar_views.calendar_list, name="calendar_list"),
    path("calendar/<str:day>/", calendar_views.calendar_edit, name="calendar_edit"),  # 2027-01-01
    path("calendar/<str:day>/delete/", calendar_views.calendar_delete, name="calendar_delete"),
]
