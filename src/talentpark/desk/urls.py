from django.urls import path

from talentpark.desk import report_views, views
from talentpark.desk.pages import LISTINGS

app_name = "desk"
# The request and part lists link to the request's own page, not to a listing's detail page.
OWN_DETAIL = {"request_detail", "queue_detail", "part_detail"}

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.file, name="file"),
    path("suggest/", views.suggest, name="suggest"),
    path("request/<int:pk>/", views.request_detail, name="request_detail"),
    path("request/<int:pk>/reply/", views.reply, name="reply"),
    path("request/<int:pk>/rate/", views.rate, name="rate"),
    path("request/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("request/<int:pk>/ask/", views.ask, name="ask"),
    path("request/<int:pk>/complete/", views.complete, name="complete"),
    path("request/<int:pk>/categorise/", views.categorise, name="categorise"),
    path("request/<int:pk>/part/", views.add_part, name="add_part"),
    path("request/<int:pk>/note/", views.note, name="note"),
    path("request/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("queue/<int:pk>/", views.request_link, name="queue_detail"),
    path("part/<int:pk>/", views.part_link, name="part_detail"),
    path("part/<int:pk>/<str:action>/", views.part_action, name="part_action"),
    path("portfolio/", views.my_portfolio, name="portfolio"),
    path("assign/", views.assign_new, name="assign"),
    path("assignment/<int:pk>/<str:action>/", views.assignment_action, name="assignment_action"),
    path("item/<int:pk>/done/", views.item_done, name="item_done"),
    path("visit/new/", views.visit_new, name="visit_new"),
    path("issue/<int:pk>/request/", views.issue_to_request, name="issue_to_request"),
    path("report/", report_views.report, name="report"),
    path("report.xlsx", report_views.report_xlsx, name="report_xlsx"),
    *(u for listing in LISTINGS for u in listing.urls() if u.name not in OWN_DETAIL),
]
