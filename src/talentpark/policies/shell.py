"""政策兑现 in the shell: its menu entries and home sections (see ``core.shell``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from talentpark.accounts.access import has_perm, restrict
from talentpark.core import shell
from talentpark.core.roles import Role
from talentpark.policies import selectors
from talentpark.policies.models import Policy

G = "政策兑现"
shell.nav(G, "政策库", "policies:policy_list", "policies.policy.view", order=10)
shell.nav(G, "新建政策", "policies:policy_new", "policies.policy.change", order=20)
shell.nav(G, "政策兑现", "policies:claim_list", "policies.claim.view", order=30)
shell.nav(G, "人工复核", "policies:review_list", "policies.review.view", order=40)
shell.nav(G, "兑现台账", "policies:ledger_list", "policies.ledger.view", order=50)
shell.talent_nav("政策", "policies:policy_list", "policies.policy.view", order=30)
shell.talent_nav("我的兑现", "policies:claim_list", "policies.claim.own", order=40)
shell.home_stat(gettext_noop("政策"), Policy, {}, "policies:policy_list", order=80)


@shell.home_section({Role.TALENT, Role.HR}, "policies/_home_claims.html", order=10)
def _claims(user: Any) -> dict[str, Any]:
    return {"todo": selectors.claims_to_do(user), "progress": selectors.progress(user)}


@shell.home_section({Role.TALENT}, "policies/_home_latest.html", order=30)
def _latest(user: Any) -> dict[str, Any]:
    published = Policy.objects.filter(status=Policy.Status.PUBLISHED)
    return {"policies": restrict(published, user).only("id", "title")[:5]}


@shell.home_section({Role.SPECIALIST, Role.DEPT, Role.OFFICE}, "policies/_home_redemption.html", order=10)
def _redemption(user: Any) -> dict[str, Any] | None:
    if not (has_perm(user, "policies.claim.approve") or has_perm(user, "policies.review.view")):
        return None
    counts = selectors.office_counts(user)
    cards = [
        (gettext_noop("审核中"), "reviewing", reverse("policies:claim_batch"), "policies.claim.approve"),
        (
            gettext_noop("待拨付"),
            "approved",
            reverse("policies:claim_list") + "?status=approved",
            "policies.claim.pay",
        ),
        (gettext_noop("待处理复核"), "open_reviews", reverse("policies:review_list"), "policies.review.view"),
    ]
    shown = [(label, counts[key], url) for label, key, url, perm in cards if has_perm(user, perm)]
    return {"redemption": shown} if shown else None
