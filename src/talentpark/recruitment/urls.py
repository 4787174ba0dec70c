from django.urls import path

from talentpark.recruitment import fair_views, views
from talentpark.recruitment.pages import LISTINGS

app_name = "recruitment"
urlpatterns = [
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("jobs/<int:pk>/talents/", views.talents_for, name="talents_for"),
    path("searches/", views.search_save, name="search_save"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("me/", views.mine, name="mine"),
    path("me/profile/", views.seeker, name="seeker"),
    path("me/application/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("me/interview/<int:pk>/pick/", views.pick_slot, name="pick_slot"),
    path("me/interview/<int:pk>/decline/", views.decline, name="decline"),
    path("occupations/", views.occupation_search, name="occupation_search"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_form, name="post_new"),
    path("posts/<int:pk>/edit/", views.post_form, name="post_edit"),
    path("posts/<int:pk>/<str:action>/", views.post_action, name="post_action"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("application/<int:pk>/", views.application, name="application"),
    path("application/<int:pk>/move/", views.move, name="move"),
    path("application/<int:pk>/invite/", views.invite, name="invite"),
    path("demands/new/", views.demand_form, name="demand_new"),
    path("demands/<int:pk>/edit/", views.demand_form, name="demand_edit"),
    path("demands/<int:pk>/status/", views.demand_status, name="demand_status"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_action, name="review_action"),
    path("fairs/", fair_views.fair_list, name="fair_list"),
    path("fairs/new/", fair_views.fair_new, name="fair_new"),
    path("fairs/<int:pk>/", fair_views.fair, name="fair"),
    path("fairs/<int:pk>/register/", fair_views.fair_register, name="fair_register"),
    path("fairs/<int:pk>/booth/", fair_views.fair_booth, name="fair_booth"),
    path("fairs/<int:pk>/check-in/", fair_views.fair_check_in, name="fair_check_in"),
    path("booths/<int:pk>/intend/", fair_views.fair_intend, name="fair_intend"),
    path("booths/<int:pk>/apply/", fair_views.fair_apply, name="fair_apply"),
    *(u for listing in LISTINGS for u in listing.urls()),
]
