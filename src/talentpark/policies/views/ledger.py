"""The money pages: paying an approved claim and reversing a payment (posted from the claim
page, each once per idempotency key), and one policy's ledger with its reconciliation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from talentpark.accounts.access import get_for, require_perm, restrict
from talentpark.core.context import ActionContext
from talentpark.core.export import export_options
from talentpark.policies import ledger
from talentpark.policies.models import LedgerEntry, Policy
from talentpark.policies.pages import LEDGER
from talentpark.policies.views.claims import act_on_claim, claim_page, claim_qs
from talentpark.policies.views.common import form_errors


@login_required
@require_POST
def claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the payment of an approved claim; the page's key makes a double submit pay once."""
    claim = get_for(claim_qs(), request.user, "pay", pk=pk)
    key = request.POST.get("idempotency_key", "")
    ctx = ActionContext.from_request(request, reason="拨付")
    try:
        entry = ledger.pay_claim(ctx, claim.pk, key)
    except ValidationError as exc:
        claim.refresh_from_db()
        return claim_page(request, claim, form_errors(exc), "pay")
    messages.success(
        request,
        gettext("已拨付 %(amount)s 元，凭证号 %(voucher)s")
        % {"amount": entry.amount, "voucher": entry.voucher},
    )
    return redirect("policies:claim_detail", pk=claim.pk)


@login_required
@require_POST
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """冲正: undo a payment with a negative entry, for a stated reason."""
    require_perm(request.user, "policies.claim.pay")
    entry = get_for(LedgerEntry, request.user, "view", pk=pk)
    claim = get_for(claim_qs(), request.user, "pay", pk=entry.claim_id)
    reason = request.POST.get("reason", "")
    key = request.POST.get("idempotency_key", "")
    ctx = ActionContext.from_request(request, reason=reason.strip()[:300] or "冲正")
    return act_on_claim(
        request,
        claim,
        f"reverse-{entry.pk}",
        lambda: ledger.reverse_payment(ctx, entry.pk, reason, key),
        gettext("已冲正，预算已释放"),
        {"reason": reason[:200]},
    )


@login_required
@require_GET
def policy_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """台账与对账: the reconciliation figures of one policy and its entries, exportable."""
    require_perm(request.user, "policies.ledger.view")
    policy = get_for(Policy, request.user, "view", pk=pk)
    rec = ledger.reconcile(policy)
    entries = restrict(LedgerEntry.objects.filter(policy=policy).select_related("created_by"), request.user)
    page = Paginator(entries.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "policies/ledger.html",
        {
            "policy": policy,
            "rec": rec,
            "page": page,
            "query": "",
            "export": export_options(LEDGER, request.user) if page.paginator.count else None,
            "active": {"policy": str(policy.pk)},
        },
    )
