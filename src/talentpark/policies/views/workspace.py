"""The office's rule workspace for one policy.

Versions and the claims they produced, the rule editor with a live preview (htmx), publishing
(with the over-budget second confirmation), recurring cycles and 补充比对, and the run page
that polls its progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentpark.accounts.access import get_for, require_perm, restrict
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.policies import engine, forms, runs, versions
from talentpark.policies.models import Claim, Policy, PolicyVersion, PublishRun
from talentpark.policies.rules import RuleError
from talentpark.policies.views.common import date_or_error, form_errors, is_htmx, policy_for_office
from talentpark.registry.models import Enterprise, Talent

S = Claim.Status


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
    return _workspace(request, policy_for_office(request, pk))


@login_required
@require_POST
def policy_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """启动本期复核: re-check a monthly/yearly benefit for the cycle containing the given day."""
    policy = policy_for_office(request, pk)
    as_of, errors = date_or_error(request.POST.get("as_of", ""), "as_of", gettext("计算日"))
    if errors:
        return _workspace(request, policy, errors)
    try:
        run = runs.start_cycle(ActionContext.from_request(request, reason="周期复核"), policy, as_of)
    except ValidationError as exc:
        return _workspace(request, policy, form_errors(exc))
    return redirect("policies:run_detail", pk=run.pk)


@login_required
@require_POST
def policy_sweep(request: HttpRequest, pk: int) -> HttpResponse:
    """补充比对 now (it also runs every night): notify who qualifies since the policy was published."""
    from talentpark.policies.tasks import sweep_zone

    policy = policy_for_office(request, pk)
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
    policy = policy_for_office(request, pk)
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
        return _editor(request, policy, state, version, form_errors(exc))
    messages.success(request, gettext("草稿已保存（第 %(n)s 版）") % {"n": saved.number})
    return redirect("policies:version_edit", pk=saved.pk)


@login_required
@require_POST
def rule_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: who qualifies under the rule as typed — or its errors, with their positions."""
    policy = policy_for_office(request, pk)
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
    as_of, errors = date_or_error(request.POST.get("as_of", ""), "as_of", gettext("计算日"))
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
            over_budget, errors = exc, form_errors(exc)
        except ValidationError as exc:
            errors = form_errors(exc)
        else:
            url = reverse("policies:run_detail", args=[run.pk])
            if is_htmx(request):
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
    if is_htmx(request):  # errors go into the publish box, in place
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
