from django.urls import path

from talentpark.policies.pages import CLAIMS, LISTINGS
from talentpark.policies.views import authoring, claims, ledger, reviews, workspace

app_name = "policies"

# The claim's detail page is a hand-written view (actions by role), under the listing's URL name.
_listing_urls = [
    u for listing in LISTINGS for u in listing.urls() if not (listing is CLAIMS and u.name == "claim_detail")
]

urlpatterns = [
    # Before the listings' "claim/<pk>/": fixed paths first.
    path("claim/review/", claims.claim_batch, name="claim_batch"),
    path("policy/new/", authoring.policy_new, name="policy_new"),
    *_listing_urls,
    path("claim/<int:pk>/", claims.claim_detail, name="claim_detail"),
    path("claim/<int:pk>/confirm/", claims.claim_confirm, name="claim_confirm"),
    path("claim-document/<int:pk>/", claims.claimdocument_download, name="claimdocument_download"),
    path("claim/<int:pk>/decline/", claims.claim_decline, name="claim_decline"),
    path("claim/<int:pk>/review-request/", claims.claim_review_request, name="claim_review_request"),
    path("claim/<int:pk>/approve/", claims.claim_approve, name="claim_approve"),
    path("claim/<int:pk>/reject/", claims.claim_reject, name="claim_reject"),
    path("claim/<int:pk>/pay/", ledger.claim_pay, name="claim_pay"),
    path("ledger/<int:pk>/reverse/", ledger.entry_reverse, name="entry_reverse"),
    path("policy/<int:pk>/edit/", authoring.policy_edit, name="policy_edit"),
    path("policy/<int:pk>/attachments/", authoring.attachment_add, name="attachment_add"),
    path("attachment/<int:pk>/", authoring.attachment_download, name="attachment_download"),
    path("attachment/<int:pk>/remove/", authoring.attachment_remove, name="attachment_remove"),
    path("policy/<int:pk>/rules/", workspace.policy_rules, name="policy_rules"),
    path("policy/<int:pk>/rules/new/", workspace.version_new, name="version_new"),
    path("policy/<int:pk>/rules/preview/", workspace.rule_preview, name="rule_preview"),
    path("policy/<int:pk>/cycle/", workspace.policy_cycle, name="policy_cycle"),
    path("policy/<int:pk>/sweep/", workspace.policy_sweep, name="policy_sweep"),
    path("policy/<int:pk>/ledger/", ledger.policy_ledger, name="policy_ledger"),
    path("version/<int:pk>/", workspace.version_edit, name="version_edit"),
    path("version/<int:pk>/publish/", workspace.version_publish, name="version_publish"),
    path("run/<int:pk>/", workspace.run_detail, name="run_detail"),
    path("run/<int:pk>/progress/", workspace.run_progress, name="run_progress"),
    path("run/<int:pk>/retry/", workspace.run_retry, name="run_retry"),
    path("review/", reviews.review_list, name="review_list"),
    path("review/<int:pk>/resolve/", reviews.review_resolve, name="review_resolve"),
]
