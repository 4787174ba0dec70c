"""Policy redemption pages that change state: thin — parse, check permission, call a service, render.

* the office's rule workspace: versions, the rule editor with a live preview (htmx),
  publishing and recurring cycles, and the run page that polls its progress;
* claims: the detail page (the subject confirms, declines or asks for a human review;
  staff approve or reject; the office pays and reverses), and batch review;
* the ledger and reconciliation of one policy, and the human review queue.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentpark.accounts.access import get_for, has_perm, require_perm, restrict
from talentpark.accounts.roles import STAFF_ROLES
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.export import export_options
from talentpark.core.validation import parse_date
from talentpark.policies import access, authoring, engine, forms, ledger, redemption, reviews, runs, versions
from talentpark.policies.models import (
    Claim,
    Decision,
    LedgerEntry,
    Policy,
    PolicyAttachment,
    PolicyVersion,
    PublishRun,
    ReviewRequest,
)
from talentpark.policies.models.policy import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from talentpark.policies.pages import LEDGER
from talentpark.policies.rules import RuleError
from talentpark.policies.workflow import NEXT_STEP
from talentpark.registry.models import Enterprise, Talent

S = Claim.Status


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    """Field → messages; non-field messages under "general" (templates cannot read "__all__")."""
    found = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"general": list(exc.messages)}
    if "__all__" in found:
        found["general"] = found.pop("__all__")
    return found


def _date_or_error(value: str, field: str, label: str) -> tuple[Any, dict[str, list[str]]]:
    try:
        return parse_date(value), {}
    except ValidationError as exc:
        return None, {field: [f"{label}：{m}" for m in exc.messages]}


# =========================================================================== policy authoring


def _policy_form(
    request: HttpRequest,
    policy: Policy | None,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    attachment_errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    zone_id = policy.zone_id if policy is not None else request.user.zone_id  # type: ignore[union-attr]
    errors = errors or {}
    known = {*forms.POLICY_FIELDS, *(f"approver_{n}" for n in range(1, forms.MAX_LEVELS + 1))}
    return render(
        request,
        "policies/policy_form.html",
        {
            "policy": policy,
            "values": values,
            "errors": errors,
            "other_errors": [m for k, ms in errors.items() if k not in known for m in ms],
            "levels": [
                (n, f"approver_{n}", values.get(f"approver_{n}", ""), errors.get(f"approver_{n}", []))
                for n in range(1, forms.MAX_LEVELS + 1)
            ],
            "departments": authoring.approver_choices(zone_id) if zone_id else [],
            "categories": Policy.Category.choices,
            "targets": Policy.Target.choices,
            "modes": Policy.Mode.choices,
            "recurrences": Policy.Recurrence.choices,
            "attachments": policy.attachments.order_by("id") if policy is not None else [],
            "attachment_errors": attachment_errors or {},
            "max_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "accept": ",".join(ATTACHMENT_TYPES),
        },
        status=400 if (errors or attachment_errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_new(request: HttpRequest) -> HttpResponseBase:
    """新建政策: the office writes a policy's metadata and routing; rules come next."""
    require_perm(request.user, "policies.policy.change")
    user: Any = request.user
    if not user.zone_id:
        raise PermissionDenied
    if request.method == "GET":
        return _policy_form(request, None, forms.policy_values(None, user.zone_id))
    values = forms.policy_values_from_post(request.POST)
    try:
        policy = authoring.create_policy(
            ActionContext.from_request(request, reason="新建政策"), user.zone_id, forms.policy_input(values)
        )
    except ValidationError as exc:
        return _policy_form(request, None, values, _errors(exc))
    messages.success(request, gettext("政策已创建，请上传附件并编写兑现规则"))
    return redirect("policies:policy_edit", pk=policy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """编辑政策信息: metadata, routing and attachments."""
    policy = _policy_for_office(request, pk)
    if request.method == "GET":
        return _policy_form(request, policy, forms.policy_values(policy, policy.zone_id))
    values = forms.policy_values_from_post(request.POST)
    try:
        authoring.update_policy(
            ActionContext.from_request(request, reason="编辑政策信息"), policy, forms.policy_input(values)
        )
    except ValidationError as exc:
        return _policy_form(request, policy, values, _errors(exc))
    messages.success(request, gettext("政策信息已保存"))
    return redirect("policies:policy_edit", pk=policy.pk)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy_for_office(request, pk)
    try:
        authoring.add_attachment(
            ActionContext.from_request(request, reason="上传政策附件"),
            policy,
            request.FILES.get("file"),
            request.POST.get("name", ""),
        )
    except ValidationError as exc:
        return _policy_form(
            request, policy, forms.policy_values(policy, policy.zone_id), attachment_errors=_errors(exc)
        )
    messages.success(request, gettext("附件已上传"))
    return redirect("policies:policy_edit", pk=policy.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "policies.policy.change")
    policies = restrict(Policy.objects.all(), request.user, "change")
    try:
        attachment = PolicyAttachment.objects.get(pk=pk, policy__in=policies)
    except PolicyAttachment.DoesNotExist:
        raise Http404 from None
    authoring.remove_attachment(ActionContext.from_request(request, reason="删除政策附件"), attachment)
    messages.success(request, gettext("附件已删除"))
    return redirect("policies:policy_edit", pk=attachment.policy_id)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A policy's attachment, to whoever may see the policy."""
    require_perm(request.user, "policies.policy.view")
    policies = restrict(Policy.objects.all(), request.user, "view")
    try:
        attachment = PolicyAttachment.objects.get(pk=pk, policy__in=policies)
        handle = attachment.file.open("rb")
    except (PolicyAttachment.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    ext = os.path.splitext(attachment.file.name or "")[1].lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{attachment.name}{ext}",
        content_type=ATTACHMENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# =========================================================================== rule workspace


def _policy_for_office(request: HttpRequest, pk: int) -> Policy:
    require_perm(request.user, "policies.policy.change")
    return get_for(Policy, request.user, "change", pk=pk)


def _workspace(
    request: HttpRequest, policy: Policy, cycle_errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    policy_versions = restrict(
        policy.versions.select_related("created_by", "published_by"), request.user
    ).order_by("-number")
    runs = restrict(
        PublishRun.objects.filter(version__policy=policy).select_related("version", "created_by"),
        request.user,
    ).order_by("-id")[:10]
    claims = restrict(Claim.objects.filter(policy=policy), request.user)
    counts = {row["status"]: row["n"] for row in claims.values("status").annotate(n=Count("id"))}
    current = policy.current_version()
    return render(
        request,
        "policies/workspace.html",
        {
            "policy": policy,
            "versions": policy_versions,
            "current": current,
            "current_problems": versions.version_problems(current) if current is not None else [],
            "routing": forms.routing_rows(policy),
            "has_draft": any(v.status == PolicyVersion.Status.DRAFT for v in policy_versions),
            "runs": runs,
            "claim_counts": [(S(k).label, k, n) for k, n in sorted(counts.items())],
            "recurring": policy.recurrence != Policy.Recurrence.ONCE,
            "cycle_errors": cycle_errors or {},
            "cycle_as_of": request.POST.get("as_of") or timezone.localdate().isoformat(),
        },
        status=400 if cycle_errors else 200,
    )


@login_required
@require_GET
def policy_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's workspace for one policy: versions, runs, claims by status, the cycle form."""
    return _workspace(request, _policy_for_office(request, pk))


@login_required
@require_POST
def policy_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """启动本期复核: re-check a monthly/yearly benefit for the cycle containing the given day."""
    policy = _policy_for_office(request, pk)
    as_of, errors = _date_or_error(request.POST.get("as_of", ""), "as_of", gettext("计算日"))
    if errors:
        return _workspace(request, policy, errors)
    try:
        run = runs.start_cycle(ActionContext.from_request(request, reason="周期复核"), policy, as_of)
    except ValidationError as exc:
        return _workspace(request, policy, _errors(exc))
    return redirect("policies:run_detail", pk=run.pk)


@login_required
@require_POST
def policy_sweep(request: HttpRequest, pk: int) -> HttpResponse:
    """补充比对 now (it also runs every night): notify who qualifies since the policy was published."""
    from talentpark.policies.tasks import sweep_zone

    policy = _policy_for_office(request, pk)
    if policy.current_version() is None:
        messages.error(request, gettext("政策尚未发布，无需补充比对"))
        return redirect("policies:policy_rules", pk=policy.pk)
    with transaction.atomic():  # the audit row and the queued task together
        audit.record(ActionContext.from_request(request), "policy.sweep.request", policy)
        sweep_zone.enqueue(policy.zone_id, policy.pk, f"{request.user}发起的补充比对")
    messages.success(request, gettext("已开始补充比对：新符合条件的人才和企业将收到待办，结果见下方计算任务"))
    return redirect("policies:policy_rules", pk=policy.pk)


def _editor(
    request: HttpRequest,
    policy: Policy,
    state: forms.EditorState,
    version: PolicyVersion | None,
    errors: dict[str, list[str]] | None = None,
    publish_errors: dict[str, list[str]] | None = None,
    over_budget: Any = None,
) -> HttpResponse:
    errors = errors or {}
    kinds = (
        [policy.target]
        if policy.target != Policy.Target.BOTH
        else [PolicyVersion.Target.TALENT, PolicyVersion.Target.ENTERPRISE]
    )
    editable = version is None or version.status == PolicyVersion.Status.DRAFT
    action = (
        reverse("policies:version_edit", args=[version.pk])
        if version is not None
        else reverse("policies:version_new", args=[policy.pk])
    )
    response = render(
        request,
        "policies/editor.html",
        {
            "policy": policy,
            "version": version,
            "editable": editable,
            "action": action,
            "values": state.values,
            "rows": forms.clause_rows(state, errors),
            "errors": errors,
            "other_errors": [
                m for k, ms in errors.items() if k in ("status", "clauses", "general") for m in ms
            ],
            "targets": [(k, PolicyVersion.Target(k).label) for k in kinds],
            "outcome_kinds": PolicyVersion.OutcomeKind.choices,
            "catalogues": [forms.catalogue_rows(k) for k in kinds],
            "publish_errors": publish_errors or {},
            "publish_as_of": (request.POST.get("as_of") if over_budget else None)
            or timezone.localdate().isoformat(),
            "over_budget": over_budget,
            # A published version that a publish today would refuse is flagged on its page.
            "problems": (
                versions.version_problems(version)
                if version is not None and version.status != PolicyVersion.Status.DRAFT
                else []
            ),
        },
        status=400 if (errors or publish_errors) else 200,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def version_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A new draft, prefilled from the current rule (or the latest version)."""
    policy = _policy_for_office(request, pk)
    if request.method == "GET":
        base = policy.current_version() or policy.versions.order_by("-number").first()
        return _editor(request, policy, forms.editor_from_version(policy, base), None)
    return _save_or_reshape(request, policy, None)


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A draft in the editor (published and retired versions are shown read-only)."""
    require_perm(request.user, "policies.policy.change")
    version = get_for(PolicyVersion.objects.select_related("policy"), request.user, "change", pk=pk)
    if request.method == "GET":
        return _editor(request, version.policy, forms.editor_from_version(version.policy, version), version)
    return _save_or_reshape(request, version.policy, version)


def _save_or_reshape(request: HttpRequest, policy: Policy, version: PolicyVersion | None) -> HttpResponseBase:
    state = forms.editor_from_post(request.POST)
    op = request.POST.get("op", "save")
    if op != "save":  # a row added or removed: show the form again, save nothing
        response = _editor(request, policy, state, version)
        # After the rows are swapped in, the preview recomputes (the clicked button is gone by then).
        response["HX-Trigger-After-Settle"] = '{"rules-changed": {"target": "#preview"}}'
        return response
    try:
        saved = versions.save_version(
            ActionContext.from_request(request, reason="编辑政策规则"),
            policy,
            state.to_input(),
            version=version,
        )
    except ValidationError as exc:
        return _editor(request, policy, state, version, _errors(exc))
    messages.success(request, gettext("草稿已保存（第 %(n)s 版）") % {"n": saved.number})
    return redirect("policies:version_edit", pk=saved.pk)


@login_required
@require_POST
def rule_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: who qualifies under the rule as typed — or its errors, with their positions."""
    policy = _policy_for_office(request, pk)
    state = forms.editor_from_post(request.POST)
    errors, clean = versions.validate_version(policy, state.to_input())
    ctx: dict[str, Any] = {"policy": policy}
    if errors:
        ctx["errors"] = [m for ms in errors.errors.values() for m in ms]
        return render(request, "policies/_preview.html", ctx)
    probe = PolicyVersion(policy=policy, zone_id=policy.zone_id, **clean)
    as_of = forms.preview_as_of(clean["valid_from"], clean["valid_to"])
    try:
        with transaction.atomic():
            result = engine.preview(probe, as_of)
    except RuleError as exc:
        ctx["errors"] = [p.message for p in exc.errors]
        return render(request, "policies/_preview.html", ctx)
    except DatabaseError:
        ctx["errors"] = [gettext("预览计算失败，请检查公式（如除以零、类型不符）后重试")]
        return render(request, "policies/_preview.html", ctx)
    ctx.update(p=result, as_of=as_of, sample=_sample(request, probe, result.sample))
    ctx["is_tier"] = probe.outcome_kind == PolicyVersion.OutcomeKind.TIER
    ctx["is_amount"] = probe.outcome_kind == PolicyVersion.OutcomeKind.AMOUNT
    ctx["tiers"] = sorted(result.tiers.items())
    return render(request, "policies/_preview.html", ctx)


def _sample(
    request: HttpRequest, version: PolicyVersion, sample: list[tuple[int, Any]]
) -> list[dict[str, Any]]:
    ids = [sid for sid, _ in sample]
    if version.target == PolicyVersion.Target.TALENT:
        names = {
            t.pk: t.person.name
            for t in restrict(Talent.objects.filter(pk__in=ids).select_related("person"), request.user)
        }
        url_name = "registry:talent_detail"
    else:
        names = {e.pk: e.name for e in restrict(Enterprise.objects.filter(pk__in=ids), request.user)}
        url_name = "registry:enterprise_detail"
    rows = []
    for sid, outcome in sample:
        if version.outcome_kind == PolicyVersion.OutcomeKind.AMOUNT:
            shown = f"{engine.to_amount(outcome):,.2f}"
        else:
            shown = "" if outcome is None else str(outcome)
        rows.append(
            {"name": names.get(sid, f"#{sid}"), "url": reverse(url_name, args=[sid]), "outcome": shown}
        )
    return rows


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a saved draft (the page asks to confirm first; over budget, a second time naming
    the figure) and go to its run's progress."""
    require_perm(request.user, "policies.policy.change")
    version = get_for(PolicyVersion.objects.select_related("policy"), request.user, "change", pk=pk)
    as_of, errors = _date_or_error(request.POST.get("as_of", ""), "as_of", gettext("计算日"))
    over_budget: runs.OverBudget | None = None
    if not errors:
        try:
            run = runs.publish(
                ActionContext.from_request(request, reason="发布政策规则"),
                version,
                as_of,
                confirm_amount=request.POST.get("confirm_amount") or None,
            )
        except runs.OverBudget as exc:
            over_budget, errors = exc, _errors(exc)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            url = reverse("policies:run_detail", args=[run.pk])
            if _is_htmx(request):
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
    if _is_htmx(request):  # errors go into the publish box, in place
        return render(
            request,
            "policies/_publish.html",
            {
                "version": version,
                "publish_errors": errors,
                "publish_as_of": request.POST.get("as_of", ""),
                "over_budget": over_budget,
            },
        )
    state = forms.editor_from_version(version.policy, version)
    return _editor(request, version.policy, state, version, publish_errors=errors, over_budget=over_budget)


def _run(request: HttpRequest, pk: int) -> PublishRun:
    require_perm(request.user, "policies.policy.change")
    return get_for(PublishRun.objects.select_related("version__policy"), request.user, "view", pk=pk)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return render(request, "policies/run.html", {"run": run, "policy": run.version.policy})


@login_required
@require_POST
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """重新运行 a failed or stalled run."""
    run = _run(request, pk)
    try:
        runs.retry_run(ActionContext.from_request(request, reason="重新运行计算任务"), run)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("policies:run_detail", pk=run.pk)


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the run's progress; stops polling once it is done or failed."""
    run = _run(request, pk)
    return render(request, "policies/_run_progress.html", {"run": run, "policy": run.version.policy})


# =========================================================================== claims


def _claim_qs() -> Any:
    return Claim.objects.select_related(
        "policy", "version", "decision", "talent__person", "enterprise", "talent__employer"
    )


def _claim_page(
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
        context["materials"] = (
            [
                (f"m{i}", item, given.get(f"m{i}", ""), errors.get(f"m{i}", []))
                for i, item in enumerate(redemption.materials(claim.policy))
            ]
            if claim.status == S.APPLYING
            else []
        )
    request.pii_shown = True  # type: ignore[attr-defined]  # masked bank accounts: never cache the page
    return render(request, "policies/claim.html", context, status=400 if errors else 200)


@never_cache
@login_required
@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_page(request, get_for(_claim_qs(), request.user, "view", pk=pk))


def _act(
    request: HttpRequest, claim: Claim, form: str, call: Any, done: str, values: dict[str, str] | None = None
) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        claim.refresh_from_db()
        return _claim_page(request, claim, _errors(exc), form, values)
    messages.success(request, done)
    return redirect("policies:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """意愿确认 / 一次申报: the subject confirms with the prefilled data (or another account)."""
    claim = get_for(_claim_qs(), request.user, "own", pk=pk)
    data = forms.confirmation_from_post(request.POST)
    values = {
        "account": "other" if not data.use_profile_account else "profile",
        "payee_name": data.payee_name,
        "bank_name": data.bank_name,
        **(data.application or {}),
    }
    ctx = ActionContext.from_request(request, reason="本人确认申领")
    return _act(
        request,
        claim,
        "confirm",
        lambda: redemption.confirm_claim(ctx, claim, data),
        gettext("已确认申领，已提交部门审核"),
        values,
    )


@login_required
@require_POST
def claim_decline(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_for(_claim_qs(), request.user, "own", pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    ctx = ActionContext.from_request(request, reason="本人放弃申领")
    return _act(
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
    claim = get_for(_claim_qs(), request.user, "own", pk=pk)
    reason = request.POST.get("reason", "")
    ctx = ActionContext.from_request(request, reason="申请人工复核")
    return _act(
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
    claim = get_for(_claim_qs(), request.user, "approve", pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    ctx = ActionContext.from_request(request, reason=reason or "审核通过")
    return _act(
        request,
        claim,
        "decide",
        lambda: redemption.approve_claims(ctx, [claim], reason),
        gettext("已审核通过"),
    )


@login_required
@require_POST
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_for(_claim_qs(), request.user, "approve", pk=pk)
    reason = (request.POST.get("reason") or "").strip()[:200]
    ctx = ActionContext.from_request(request, reason=reason or "审核退回")
    return _act(
        request,
        claim,
        "decide",
        lambda: redemption.reject_claims(ctx, [claim], reason),
        gettext("已退回，理由已告知申请人"),
        {"reason": reason},
    )


@login_required
@require_POST
def claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the payment of an approved claim; the page's key makes a double submit pay once."""
    claim = get_for(_claim_qs(), request.user, "pay", pk=pk)
    key = request.POST.get("idempotency_key", "")
    ctx = ActionContext.from_request(request, reason="拨付")
    try:
        entry = ledger.pay_claim(ctx, claim.pk, key)
    except ValidationError as exc:
        claim.refresh_from_db()
        return _claim_page(request, claim, _errors(exc), "pay")
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
    claim = get_for(_claim_qs(), request.user, "pay", pk=entry.claim_id)
    reason = request.POST.get("reason", "")
    key = request.POST.get("idempotency_key", "")
    ctx = ActionContext.from_request(request, reason=reason.strip()[:300] or "冲正")
    return _act(
        request,
        claim,
        f"reverse-{entry.pk}",
        lambda: ledger.reverse_payment(ctx, entry.pk, reason, key),
        gettext("已冲正，预算已释放"),
        {"reason": reason[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_batch(request: HttpRequest) -> HttpResponse:
    """批量审核: tick claims under review, give one reason, approve or return them all (or none)."""
    require_perm(request.user, "policies.claim.approve")
    base = restrict(_claim_qs().filter(status=S.REVIEWING), request.user, "approve").order_by("id")
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
        claims = list(restrict(_claim_qs().filter(pk__in=chosen), request.user, "approve").order_by("pk"))
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
            errors = _errors(exc)
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


# =========================================================================== ledger & reviews


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


def _reviews(
    request: HttpRequest, errors: dict[str, list[str]] | None = None, failed: int = 0
) -> HttpResponse:
    status = request.GET.get("status", ReviewRequest.Status.OPEN)
    if status not in ReviewRequest.Status.values:
        status = ReviewRequest.Status.OPEN
    qs = restrict(
        # Two short joins, not one of ten tables: PostgreSQL spent 11 ms planning that join for
        # 0.7 ms of execution (docs/benchmarks.md, pages).
        ReviewRequest.objects.filter(status=status)
        .select_related("requested_by", "resolved_by")
        .prefetch_related(
            Prefetch(
                "decision",
                Decision.objects.select_related("policy", "talent__person", "enterprise", "claim"),
            )
        ),
        request.user,
    ).order_by("id" if status == ReviewRequest.Status.OPEN else "-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    items = []
    for review in page.object_list:
        decision = review.decision
        try:
            claim: Claim | None = decision.claim
        except Claim.DoesNotExist:
            claim = None
        items.append(
            {
                "review": review,
                "decision": decision,
                "claim": claim,
                "subject": decision.talent.person.name if decision.talent_id else decision.enterprise.name,  # type: ignore[union-attr]
            }
        )
    return render(
        request,
        "policies/reviews.html",
        {
            "items": items,
            "page": page,
            "query": f"status={status}",
            "status": status,
            "statuses": ReviewRequest.Status.choices,
            "can_handle": has_perm(request.user, "policies.review.handle"),
            "errors": errors or {},
            "failed": failed,
            "values": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """人工复核: open requests, each with the decision it questions and a resolve form."""
    require_perm(request.user, "policies.review.view")
    return _reviews(request)


@login_required
@require_POST
def review_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "policies.review.handle")
    review = get_for(ReviewRequest, request.user, "handle", pk=pk)
    ctx = ActionContext.from_request(request, reason="处理人工复核")
    try:
        reviews.resolve_review(
            ctx, review, request.POST.get("outcome", ""), request.POST.get("resolution", "")
        )
    except ValidationError as exc:
        return _reviews(request, _errors(exc), review.pk)
    messages.success(request, gettext("复核已处理，结果已告知申请人"))
    return redirect(reverse("policies:review_list"))
