"""Evaluating a policy version over its zone: publishing, recurring cycles, 补充比对, retries.

``publish`` / ``start_cycle`` / ``retry_run`` queue a background task (``tasks.evaluate_policy``)
whose body is ``execute_run``; ``sweep`` (the nightly catch-up) runs in its own task. A run
commits per batch so its progress is visible, and is idempotent: one claim per policy, subject
and cycle is a constraint, and subjects that already have one are skipped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone

from talentpark.core import audit, zone_versions
from talentpark.core.context import ActionContext
from talentpark.core.validation import FieldErrors
from talentpark.policies import engine, notices, versions
from talentpark.policies.models import Claim, ClaimEvent, Decision, Policy, PolicyVersion, PublishRun

log = logging.getLogger(__name__)
S = Claim.Status
BATCH = 500
# Statuses of a claim that keep a recurring benefit going into the next cycle.
ACTIVE_SERIES = (S.REVIEWING, S.APPROVED, S.PAID, S.GRANTED)


def cycle_key(policy: Policy, day: dt.date) -> str:
    if policy.recurrence == Policy.Recurrence.MONTHLY:
        return f"{day:%Y-%m}"
    if policy.recurrence == Policy.Recurrence.YEARLY:
        return f"{day:%Y}"
    return "once"


class OverBudget(ValidationError):
    """Publishing would commit more than the budget: the office must confirm naming the figure."""

    def __init__(self, amount: decimal.Decimal, budget: decimal.Decimal) -> None:
        self.amount, self.budget = amount, budget
        self.text = f"预计兑现 ¥{amount:,.2f}，超出预算 ¥{budget:,.2f}"
        super().__init__({"budget_total": [f"预算总额：{self.text}，请确认后再发布"]})


def publish(
    ctx: ActionContext,
    version: PolicyVersion,
    as_of: dt.date | None = None,
    *,
    confirm_amount: str | decimal.Decimal | None = None,
) -> PublishRun:
    """Publish a draft version and start finding everyone who qualifies (a background task).

    Refused without a 文号 or when the rule fails its own checks. When the preview total exceeds
    the budget it is refused with ``OverBudget`` unless ``confirm_amount`` is that very figure
    (the office's explicit second confirmation, which names it)."""
    as_of = as_of or timezone.localdate()
    policy = version.policy
    errors = FieldErrors()
    if version.status != PolicyVersion.Status.DRAFT:
        errors.add("status", "状态", f"只有草稿可以发布，当前为“{version.get_status_display()}”")
    if not version.is_valid_on(as_of):
        errors.add("valid_from", "适用期", f"{as_of} 不在本版本适用期内")
    if policy.budget_total is None and version.outcome_kind == PolicyVersion.OutcomeKind.AMOUNT:
        errors.add("budget_total", "预算总额", "资金类政策发布前须设定预算")
    for problem in versions.version_problems(version):
        key = "doc_number" if problem.startswith("文号：") else "rule"
        errors.errors.setdefault(key, []).append(problem if key == "doc_number" else f"规则：{problem}")
    errors.raise_if_any()
    confirmed: str | None = None
    if version.outcome_kind == PolicyVersion.OutcomeKind.AMOUNT and policy.budget_total is not None:
        try:
            with transaction.atomic():
                preview = engine.preview(version, as_of)
        except DatabaseError:
            raise ValidationError(
                {"rule": ["规则：预览计算失败，请检查公式（如除以零、类型不符）"]}
            ) from None
        if preview.over_budget:
            figure = preview.amount.quantize(decimal.Decimal("0.01"))
            if _as_amount(confirm_amount) != figure:
                raise OverBudget(figure, policy.budget_total)
            confirmed = OverBudget(figure, policy.budget_total).text
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != PolicyVersion.Status.DRAFT:
            raise ValidationError({"status": ["状态：该版本已被他人发布"]})
        PolicyVersion.objects.filter(policy=policy, status=PolicyVersion.Status.PUBLISHED).update(
            status=PolicyVersion.Status.RETIRED
        )
        locked.status = PolicyVersion.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = ctx.user
        locked.save(update_fields=["status", "published_at", "published_by"])
        Policy.objects.filter(pk=policy.pk).update(
            status=Policy.Status.PUBLISHED, published_on=policy.published_on or as_of
        )
        run = PublishRun.objects.create(
            zone_id=policy.zone_id,
            version=locked,
            purpose=PublishRun.Purpose.PUBLISH,
            cycle=cycle_key(policy, as_of),
            as_of=as_of,
            created_by=ctx.user,
        )
        audit.record(
            ctx,
            "policy.publish",
            locked,
            after={
                "run": run.pk,
                "as_of": as_of.isoformat(),
                "cycle": run.cycle,
                **({"over_budget_confirmed": confirmed} if confirmed else {}),
            },
        )
    _enqueue(run)
    return run


def _as_amount(value: str | decimal.Decimal | None) -> decimal.Decimal | None:
    try:
        return decimal.Decimal(str(value).replace(",", "")).quantize(decimal.Decimal("0.01"))
    except (decimal.InvalidOperation, TypeError, ValueError):
        return None


def start_cycle(ctx: ActionContext, policy: Policy, as_of: dt.date) -> PublishRun:
    """Re-check a recurring benefit for the cycle containing ``as_of`` (a background task)."""
    version = policy.current_version()
    errors = FieldErrors()
    if policy.recurrence == Policy.Recurrence.ONCE:
        errors.add("recurrence", "兑现周期", "一次性政策没有周期复核")
    if version is None:
        errors.add("status", "状态", "政策尚未发布")
    elif not version.is_valid_on(as_of):
        errors.add("as_of", "计算日", f"{as_of} 不在当前版本适用期内")
    errors.raise_if_any()
    assert version is not None
    with transaction.atomic():
        run = PublishRun.objects.create(
            zone_id=policy.zone_id,
            version=version,
            purpose=PublishRun.Purpose.CYCLE,
            cycle=cycle_key(policy, as_of),
            as_of=as_of,
            created_by=ctx.user,
        )
        audit.record(ctx, "policy.cycle.start", policy, after={"run": run.pk, "cycle": run.cycle})
    _enqueue(run)
    return run


def sweep(
    ctx: ActionContext, zone_id: int, as_of: dt.date | None = None, *, policy_id: int | None = None
) -> list[PublishRun]:
    """补充比对 (daily): who qualifies now for a live policy but has nothing in its current cycle —
    talents registered, certified or moved since it was published. One query per record kind for
    every live policy (``engine.eligible_sets``), then the usual decisions and notices for the new
    ones only. A policy is live when its published version applies on ``as_of`` and the run of the
    current cycle has finished (a new cycle is ``start_cycle``'s, not the sweep's). ``policy_id``:
    that policy only (the office's button on its page)."""
    as_of = as_of or timezone.localdate()
    live = live_versions(zone_id, as_of, policy_id=policy_id)
    admitted = engine.eligible_sets([v for v, _ in live], as_of)
    runs: list[PublishRun] = []
    for version, cycle in live:
        field = _subject_field(version)
        taken = set(Claim.objects.filter(policy=version.policy, cycle=cycle).values_list(field, flat=True))
        new = sorted(set(admitted[version.pk]) - taken)
        if not new:
            continue
        with transaction.atomic():
            run = PublishRun.objects.create(
                zone_id=zone_id,
                version=version,
                purpose=PublishRun.Purpose.SWEEP,
                cycle=cycle,
                as_of=as_of,
                status=PublishRun.Status.RUNNING,
                created_by=ctx.user,
            )
            audit.record(ctx, "policy.sweep", run, after={"candidates": len(new), "cycle": cycle})
        runs.append(_execute_recorded(run, candidates=new))
    return runs


def live_versions(
    zone_id: int, as_of: dt.date, *, policy_id: int | None = None
) -> list[tuple[PolicyVersion, str]]:
    """The zone's live versions and their current cycle, in pk order: published, applying on
    ``as_of``, and the run of that cycle finished (a new cycle is ``start_cycle``'s). Two queries."""
    published = PolicyVersion.objects.filter(zone_id=zone_id, status=PolicyVersion.Status.PUBLISHED)
    if policy_id is not None:
        published = published.filter(policy_id=policy_id)
    versions = [v for v in published.select_related("policy").order_by("pk") if v.is_valid_on(as_of)]
    finished = set(
        PublishRun.objects.filter(
            version__in=[v.pk for v in versions], status=PublishRun.Status.DONE
        ).values_list("version_id", "cycle")
    )
    out = []
    for version in versions:
        cycle = cycle_key(version.policy, as_of)
        if (version.pk, cycle) in finished:
            out.append((version, cycle))
    return out


def _enqueue(run: PublishRun) -> None:
    from talentpark.policies.tasks import evaluate_policy

    evaluate_policy.enqueue(run.pk)


def execute_run(run_id: int) -> PublishRun:
    """The task body: evaluate the version over the zone and write decisions and claims."""
    run = PublishRun.objects.select_related("version__policy").get(pk=run_id)
    if run.status == PublishRun.Status.DONE:
        return run
    PublishRun.objects.filter(pk=run.pk).update(
        status=PublishRun.Status.RUNNING, progressed_at=timezone.now()
    )
    return _execute_recorded(run)


def _execute_recorded(run: PublishRun, candidates: Sequence[int] | None = None) -> PublishRun:
    """``_execute``, with a failure recorded on the run (its page offers to run it again)."""
    try:
        _execute(run, candidates)
    except Exception as exc:
        log.exception("policy run %s failed", run.pk)
        PublishRun.objects.filter(pk=run.pk).update(
            status=PublishRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


def retry_run(ctx: ActionContext, run: PublishRun) -> PublishRun:
    """Run a failed or stalled evaluation again (a background task). Decisions and claims already
    written stay; the run skips their subjects (one claim per policy, subject and cycle)."""
    with transaction.atomic():
        locked = PublishRun.objects.select_for_update().get(pk=run.pk)
        if not locked.can_retry:
            if locked.status in (PublishRun.Status.QUEUED, PublishRun.Status.RUNNING):
                why = "正在进行，超过30分钟没有进展时才能重新运行"
            else:
                why = "已完成，无需重新运行"
            raise ValidationError({"run": [f"计算任务：{why}"]})
        before = {"status": locked.status, "done": locked.done, "error": locked.error[:200]}
        locked.status, locked.error, locked.finished_at = PublishRun.Status.QUEUED, "", None
        locked.progressed_at = timezone.now()
        locked.save(update_fields=["status", "error", "finished_at", "progressed_at"])
        audit.record(ctx, "policy.run.retry", locked, before=before, after={"status": locked.status})
    _enqueue(locked)
    locked.refresh_from_db()
    return locked


def _subject_field(version: PolicyVersion) -> str:
    return "talent_id" if version.target == PolicyVersion.Target.TALENT else "enterprise_id"


def _execute(run: PublishRun, candidates: Sequence[int] | None = None) -> None:
    version, policy = run.version, run.version.policy
    field = _subject_field(version)
    rows = engine.eligible_rows(version, run.as_of, ids=candidates)
    if version.outcome_kind == PolicyVersion.OutcomeKind.TIER:
        rows = [(sid, tier) for sid, tier in rows if tier]  # no tier reached: nothing to certify
    taken = set(Claim.objects.filter(policy=policy, cycle=run.cycle).values_list(field, flat=True))
    previous = _previous_series(policy, run.cycle, field) if run.purpose == PublishRun.Purpose.CYCLE else {}
    todo = [(sid, out) for sid, out in rows if sid not in taken]
    eligible_ids = {sid for sid, _ in rows}
    lapsed = [sid for sid in previous if sid not in eligible_ids and sid not in taken]
    PublishRun.objects.filter(pk=run.pk).update(total=len(todo) + len(lapsed), progressed_at=timezone.now())
    system = ActionContext.system(reason=f"政策计算任务 {run.pk}", zone_id=run.zone_id)
    done = eligible = paused = 0
    amount = decimal.Decimal(0)
    for batch in _chunks(todo, BATCH):
        with transaction.atomic():
            made = _write_batch(system, run, [sid for sid, _ in batch], previous, eligible_expected=True)
        done += len(batch)
        eligible += len(made)  # every claim of an eligible batch is a live one
        amount += sum((c.amount for c in made), decimal.Decimal(0))
        PublishRun.objects.filter(pk=run.pk).update(
            done=done, eligible=eligible, amount=amount, progressed_at=timezone.now()
        )
    for batch_ids in _chunks(lapsed, BATCH):
        with transaction.atomic():
            made = _write_batch(system, run, list(batch_ids), previous, eligible_expected=False)
        done += len(batch_ids)
        paused += len(made)
        PublishRun.objects.filter(pk=run.pk).update(done=done, paused=paused, progressed_at=timezone.now())
    with transaction.atomic():
        PublishRun.objects.filter(pk=run.pk).update(status=PublishRun.Status.DONE, finished_at=timezone.now())
        audit.record(
            system,
            "policy.run.done",
            run,
            after={"eligible": eligible, "paused": paused, "amount": str(amount), "cycle": run.cycle},
        )


def _previous_series(policy: Policy, cycle: str, field: str) -> dict[int, Claim]:
    """Subjects whose benefit was running in the latest earlier cycle."""
    earlier = Claim.objects.filter(policy=policy, cycle__lt=cycle).exclude(cycle="once")
    last = earlier.aggregate(c=Max("cycle"))["c"]
    if last is None:
        return {}
    return {getattr(c, field): c for c in earlier.filter(cycle=last, status__in=ACTIVE_SERIES)}


def _write_batch(
    ctx: ActionContext,
    run: PublishRun,
    ids: list[int],
    previous: dict[int, Claim],
    *,
    eligible_expected: bool,
) -> list[Claim]:
    version, policy = run.version, run.version.policy
    rule = engine.compiled(version)
    records = engine.load_records(version.target, version.zone_id, rule.fields, run.as_of, ids)
    subject = _subject_field(version)
    decisions: list[Decision] = []
    claims: list[Claim] = []
    for sid in ids:
        record = records.get(sid)
        if record is None:
            continue
        d = rule.evaluate(record, run.as_of)
        if d.eligible and version.outcome_kind == PolicyVersion.OutcomeKind.TIER and not d.outcome:
            continue
        if d.eligible != eligible_expected:
            # The engines are proven to agree; a difference means the record changed mid-run.
            log.warning("run %s: %s %s changed during the run", run.pk, subject, sid)
            continue
        is_tier = version.outcome_kind == PolicyVersion.OutcomeKind.TIER
        decision = Decision(
            zone_id=version.zone_id,
            policy=policy,
            version=version,
            run=run,
            cycle=run.cycle,
            as_of=run.as_of,
            eligible=d.eligible,
            amount=engine.to_amount(d.outcome) if d.eligible and not is_tier else None,
            tier=str(d.outcome or "") if is_tier and d.eligible else "",
            inputs=engine.jsonable_record(record),
            clauses=d.to_json(),
            explanation=d.explanation or "（无说明）",
            **{subject: sid},
        )
        decisions.append(decision)
        prev = previous.get(sid)
        if not d.eligible:
            status, note = S.PAUSED, f"本期不再符合条件：{d.explanation}"
        elif prev is not None:
            status, note = S.APPROVED, f"周期复核仍符合条件，按上期审核结果续发（上期 {prev.cycle}）"
            if version.outcome_kind != PolicyVersion.OutcomeKind.AMOUNT:
                status = S.GRANTED
        else:
            status = S.APPLYING if policy.mode == Policy.Mode.APPLY else S.NOTIFIED
            note = "系统比对符合条件，已推送"
        claims.append(
            Claim(
                zone_id=version.zone_id,
                policy=policy,
                version=version,
                decision=decision,
                cycle=run.cycle,
                status=status,
                status_reason=note[:300],
                amount=decision.amount or 0,
                tier=decision.tier,
                levels_required=policy.approval_levels,
                levels_done=policy.approval_levels if prev is not None and d.eligible else 0,
                payee_name=prev.payee_name if prev else "",
                bank_name=prev.bank_name if prev else "",
                bank_account=prev.bank_account if prev else None,
                confirmed_at=prev.confirmed_at if prev else None,
                **{subject: sid},
            )
        )
    Decision.objects.bulk_create(decisions)
    for c in claims:
        c.decision_id = c.decision.pk
    Claim.objects.bulk_create(claims)
    ClaimEvent.objects.bulk_create(
        ClaimEvent(
            claim=c, actor=None, actor_name="系统", from_status="", to_status=c.status, note=c.status_reason
        )
        for c in claims
    )
    zone_versions.touch({run.zone_id})  # bulk writes send no signals
    for reached in sorted({str(c.status) for c in claims}):
        notices.claims_moved([c for c in claims if c.status == reached], reached)
    return claims


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
