"""A claim's pages: the detail page and the actions posted from it, and batch review.

The subject confirms, declines or asks for a human review; the department that a level is
routed to approves or rejects, one claim or a batch. ``claim_page`` and ``act_on_claim`` are
shared with the payment actions in ``views.ledger``, which post from the same page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentpark.accounts.access import get_for, has_perm, require_perm, restrict
from talentpark.accounts.roles import STAFF_ROLES
from talentpark.core.context import ActionContext
from talentpark.policies import access, forms, redemption, reviews
from talentpark.policies.models import Claim, ClaimDocument, LedgerEntry, Policy, ReviewRequest
from talentpark.policies.views.common import form_errors
from talentpark.policies.workflow import NEXT_STEP
from talentpark.registry.models import Enterprise, Talent
from talentpark.registry.wallet_views import document_response

S = Claim.Status


def claim_qs() -> Any:
    return Claim.objects.select_related(
        "policy", "version", "decision", "talent__person", "enterprise", "talent__employer"
    )


def claim_page(
    request: HttpRequest,
    claim: Claim,
    errors: dict[str, list[str]] | None = None,
    form: str = "",
    values: dict[str, str] | None = None,
) -> HttpResponse:
    """The claim detail page; ``form`` names the action whose ``errors`` are shown."""
    user = request.user
    errors = errors or {}
    owner = has_perm(user, "policies.claim.own") and redemption.owns(user, claim)
    can_confirm = owner and claim.status in (S.NOTIFIED, S.APPLYING)
    open_review = claim.decision.reviews.filter(status=ReviewRequest.Status.OPEN).exists()
    entries = list(
        restrict(LedgerEntry.objects.filter(claim=claim).select_related("created_by"), user).order_by("id")
    )
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    can_pay_role = has_perm(user, "policies.claim.pay")
    decides = has_perm(user, "policies.claim.approve") and access.may_decide(user, claim)
    if claim.talent_id is not None:
        visible = restrict(Talent.objects.filter(pk=claim.talent_id), user).exists()
        subject_url = reverse("registry:talent_detail", args=[claim.talent_id]) if visible else ""
    else:
        visible = restrict(Enterprise.objects.filter(pk=claim.enterprise_id or 0), user).exists()
        subject_url = reverse("registry:enterprise_detail", args=[claim.enterprise_id]) if visible else ""
    context: dict[str, Any] = {
        "subject_url": subject_url if not owner else "",
        "claim": claim,
        "policy": claim.policy,
        "next_step": NEXT_STEP.get(S(claim.status), ""),
        "decision": claim.decision,
        "frozen": forms.decision_rows(claim),
        "events": claim.events.select_related("actor").order_by("id"),
        "reviews": claim.decision.reviews.order_by("-id"),
        "entries": [
            (e, can_pay_role and e.kind == LedgerEntry.Kind.PAYMENT and e.pk not in reversed_ids)
            for e in entries
        ],
        "owner": owner,
        "can_confirm": can_confirm,
        "can_decline": can_confirm,
        "can_request_review": owner and not open_review,
        "can_approve": decides and claim.status == S.REVIEWING,
        "can_reject": decides,
        "waiting_with": (
            (access.approver_of(claim) or gettext("人才办")) if claim.status == S.REVIEWING else None
        ),
        "can_pay": can_pay_role and claim.status == S.APPROVED,
        "is_staff_role": getattr(user, "role", None) in STAFF_ROLES,
        "pay_key": uuid.uuid4().hex,  # one key per rendered page: a double submit pays once
        "errors": errors,
        "form": form,
        "values": values or {},
        "auto": claim.policy.mode == Policy.Mode.AUTO,
        "needs_account": claim.amount > 0,
    }
    if can_confirm:
        pre = redemption.prefill(claim)
        context["prefill"] = pre
        context["profile_account"] = str(pre["bank_account"]) if pre["bank_account"] is not None else ""
        given = values or {}
        suggested = pre["suggested"]
        context["materials"] = (
            [
                (
                    f"m{i}",
                    item,
                    given.get(f"m{i}", ""),
                    errors.get(f"m{i}", []),
                    # 一次申报: what she chose (on a re-rendered form), else the preselected document
                    given.get(f"d{i}", str(suggested.get(f"m{i}", ""))),
                )
                for i, item in enumerate(redemption.materials(claim.policy))
            ]
            if claim.status == S.APPLYING
            else []
        )
        context["wallet_documents"] = pre["documents"]
        context["can_save_back"] = owner and claim.talent_id is not None
    context["submitted_materials"] = _submitted_materials(claim)
    request.pii_shown = True  # type: ignore[attr-defined]  # masked bank accounts: never cache the page
    return render(request, "policies/claim.html", context, status=400 if errors else 200)


def _submitted_materials(claim: Claim) -> list[tuple[str, str, ClaimDocument | None]]:
    """(material, her note, the 材料库 document attached) for each material of a submitted application."""
    if claim.status in (S.NOTIFIED, S.APPLYING):
        return []
    docs = {d.material: d for d in claim.documents.select_related("document")}
    if not docs and not claim.application:
        return []
    rows = [(item, note, docs.pop(item, None)) for item, note in (claim.application or {}).items()]
    return rows + [(item, "", d) for item, d in docs.items()]


@never_cache
@login_required
@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return claim_page(request, get_for(claim_qs(), request.user, "view", pk=pk))


def act_on_claim(
    request: HttpRequest, claim: Claim, form: str, call: Any, done: str, values: dict[str, str] | None = None
) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        claim.refresh_from_db()
        return claim_page(request, claim, form_errors(exc), form, values)
    messages.success(request, done)
    return redirect("policies:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """意愿确认 / 一次申报: the subject confirms with the prefilled data (or another account)."""
    claim = get_for(claim_qs(), request.user, "own", pk=pk)
    data = forms.confirmation_from_post(request.POST)
    data.save_account = request.POST.get("save_account") == "1"
    chosen = {k: request.POST.get(k) or "" for k in request.POST if k[:1] == "d" and k[1:].isdigit()}
    data.documents = {f"m{k[1:]}": int(v) for k, v in chosen.items() if v.isdigit() and len(v) < 12}
    ctx = ActionContext.from_request(request, reason="本人确认申领")
    # 一次申报: new files on the form land in her 材料库 first, then are attached by reference.
    files = {k: f for k, f in request.FILES.items() if k[:1] == "f" and k[1:].isdigit() and len(k) < 5}
    uploaded, upload_errors = redemption.upload_materials(ctx, claim, files)
    data.documents.update(uploaded)
    values = {
        "account": "other" if not data.use_profile_account else "profile",
        "payee_name": data.payee_name,
        "bank_name": data.bank_name,
        "save_account": "1" if data.save_account else "",
        **(data.application or {}),
        **{f"d{k[1:]}": str(v) for k, v in data.documents.items()},
    }
    if upload_errors:
        return claim_page(request, claim, upload_errors, "confirm", values)
    return act_on_claim(
        request,
        claim,
        "confirm",
        lambda: redemption.confirm_claim(ctx, claim, data),
        gettext("已确认申领，已提交部门审核"),
        values,
    )


@never_cache
@login_required
@require_GET
def claimdocument_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A material submitted with a claim, to whoever may see the claim (its reviewers included,
    whose data scope need not cover the talent); each read is audited by ``registry.wallet``."""
    try:
        attached = ClaimDocument.objects.select_related("document").get(pk=pk)
    except ClaimDocument.DoesNotExist:
        raise Http404 from None
    get_for(claim_qs(), request.user, "view", pk=attached.claim_id)  # 403 / 404 as the claim's page
    return document_response(request, attached.document, reason="审核申报材料")


@login_required
@require_POST
def claim_decline(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_for(claim_qs(), request.user, "own", pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    ctx = ActionContext.from_request(request, reason="本人放弃申领")
    return act_on_claim(
        request,
        claim,
        "decline",
        lambda: redemption.decline_claim(ctx, claim, reason),
        gettext("已放弃该项待遇"),
    )


@login_required
@require_POST
def claim_review_request(request: HttpRequest, pk: int) -> HttpResponse:
    """申请人工复核 of the automated decision (PIPL art. 24)."""
    claim = get_for(claim_qs(), request.user, "own", pk=pk)
    reason = request.POST.get("reason", "")
    ctx = ActionContext.from_request(request, reason="申请人工复核")
    return act_on_claim(
        request,
        claim,
        "review",
        lambda: reviews.request_review(ctx, claim.decision, reason),
        gettext("已提交人工复核申请，处理结果将在此页显示"),
        {"reason": reason[:1000]},
    )


@login_required
@require_POST
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_for(claim_qs(), request.user, "approve", pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    ctx = ActionContext.from_request(request, reason=reason or "审核通过")
    return act_on_claim(
        request,
        claim,
        "decide",
        lambda: redemption.approve_claims(ctx, [claim], reason),
        gettext("已审核通过"),
    )


@login_required
@require_POST
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_for(claim_qs(), request.user, "approve", pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    ctx = ActionContext.from_request(request, reason=reason or "审核退回")
    return act_on_claim(
        request,
        claim,
        "decide",
        lambda: redemption.reject_claims(ctx, [claim], reason),
        gettext("已退回，理由已告知申请人"),
        {"reason": reason},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_batch(request: HttpRequest) -> HttpResponse:
    """批量审核: tick claims under review, give one reason, approve or return them all (or none)."""
    require_perm(request.user, "policies.claim.approve")
    base = restrict(claim_qs().filter(status=S.REVIEWING), request.user, "approve").order_by("id")
    policy_id = (request.GET.get("policy") or "").strip()
    q = (request.GET.get("q") or "").strip()[:50]
    qs = base
    if policy_id.isdigit():
        qs = qs.filter(policy_id=int(policy_id))
    if q:
        qs = qs.filter(Q(talent__person__name__icontains=q) | Q(enterprise__name__icontains=q))
    errors: dict[str, list[str]] = {}
    chosen: set[str] = set()
    reason = ""
    if request.method == "POST":
        chosen = {i for i in request.POST.getlist("claim") if i.isdigit()}
        reason = (request.POST.get("reason") or "").strip()[:200]
        claims = list(restrict(claim_qs().filter(pk__in=chosen), request.user, "approve").order_by("pk"))
        ctx = ActionContext.from_request(request, reason=reason or "批量审核")
        outside = len(chosen) - len(claims)
        try:
            if outside:  # all or nothing: a claim not in her queue spoils the batch
                raise ValidationError(
                    {
                        "claims": [
                            gettext("审核事项：所选事项中有 %(n)s 项不在您的待审核范围内") % {"n": outside}
                        ]
                    }
                )
            if request.POST.get("op") == "reject":
                done = redemption.reject_claims(ctx, claims, reason)
                messages.success(request, gettext("已退回 %(n)s 项") % {"n": len(done)})
            else:
                done = redemption.approve_claims(ctx, claims, reason)
                messages.success(request, gettext("已通过 %(n)s 项") % {"n": len(done)})
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            return redirect(request.get_full_path())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    policies = restrict(Policy.objects.filter(pk__in=base.values("policy_id")), request.user).order_by("-id")
    query = "&".join(f"{k}={v}" for k, v in (("policy", policy_id), ("q", q)) if v)
    return render(
        request,
        "policies/batch.html",
        {
            "page": page,
            "query": query,
            "policies": policies,
            "policy_id": policy_id,
            "q": q,
            "errors": errors,
            "problems": [m for ms in errors.values() for m in ms],
            "chosen": chosen,
            "reason": reason,
        },
        status=400 if errors else 200,
    )
