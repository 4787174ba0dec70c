from django.urls import path

from talentpark.policies import views
from talentpark.policies.pages import CLAIMS, LISTINGS

app_name = "policies"

# The claim's detail page is a hand-written view (actions by role), under the listing's URL name.
_listing_urls = [
    u for listing in LISTINGS for u in listing.urls() if not (listing is CLAIMS and u.name == "claim_detail")
]

urlpatterns = [
    # Before the listings' "claim/<pk>/": fixed paths first.
    path("claim/review/", views.claim_batch, name="claim_batch"),
    path("policy/new/", views.policy_new, name="policy_new"),
    *_listing_urls,
    path("claim/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claim/<int:pk>/confirm/", views.claim_confirm, name="claim_confirm"),
    path("claim/<int:pk>/decline/", views.claim_decline, name="claim_decline"),
    path("claim/<int:pk>/review-request/", views.claim_review_request, name="claim_review_request"),
    path("claim/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("claim/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("claim/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("ledger/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("policy/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policy/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachment/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("policy/<int:pk>/rules/", views.policy_rules, name="policy_rules"),
    path("policy/<int:pk>/rules/new/", views.version_new, name="version_new"),
    path("policy/<int:pk>/rules/preview/", views.rule_preview, name="rule_preview"),
    path("policy/<int:pk>/cycle/", views.policy_cycle, name="policy_cycle"),
    path("policy/<int:pk>/sweep/", views.policy_sweep, name="policy_sweep"),
    path("policy/<int:pk>/ledger/", views.policy_ledger, name="policy_ledger"),
    path("version/<int:pk>/", views.version_edit, name="version_edit"),
    path("version/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("run/<int:pk>/", views.run_detail, name="run_detail"),
    path("run/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("run/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/resolve/", views.review_resolve, name="review_resolve"),
]
