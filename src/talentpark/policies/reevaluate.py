"""一键直达: a talent or enterprise whose data changed is re-evaluated against every live policy.

The registry announces a change (``registry.signals.records_changed``, sent by its services
inside the change's transaction: a profile edit or its approval, a certified tier, a new talent,
an enterprise's edit, an Excel import — one announcement for the whole batch). ``on_records_changed``
(connected by ``PoliciesConfig.ready``) queues one background task, ``tasks.reevaluate_records``:

* with the database task backend (production: ``django_tasks_db``) the task row is written in
  the same transaction as the change, so it commits with it — or vanishes with a rolled-back one;
* with any other backend (tests run tasks inline) it is queued by ``transaction.on_commit``.

The task (:func:`reevaluate`) widens the change to the records whose facts it moves (a talent's
employer counts its talents; an enterprise's employees read its flags), asks every live version of
the zone about just those records (one batch query per record kind, ``engine.eligible_sets``) and,
for each version that now admits someone without a claim in its current cycle, writes a
``PublishRun`` of purpose 变更比对 through the same path as the publish run and the nightly
补充比对 (``runs._execute_recorded``): decision, claim, inbox/SMS notice. It is idempotent: one claim
per policy, subject and cycle is a constraint, subjects holding one are skipped, and each version's
run takes the subjects' row locks so two tasks for the same talent cannot both write. The nightly
补充比对 stays the safety net (a task lost with its worker, a race it gave up on).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.policies import engine, runs
from talentpark.policies.models import Claim, PolicyVersion, PublishRun
from talentpark.registry.models import Enterprise, Talent

log = logging.getLogger(__name__)
T = PolicyVersion.Target
# Above this many records of one kind the batch query runs over the whole zone (as the sweep
# does) and is intersected in Python, rather than carrying an IN list of every id.
ZONE_WIDE_AFTER = 5000
# Up to this many new candidates a version's run is one transaction holding their row locks;
# more (a large import) run as the sweep's do, committing per batch (``runs.BATCH``), so SQLite's
# write lock is never held for the whole run.
LOCKED_UP_TO = runs.BATCH


def on_records_changed(
    sender: Any,
    *,
    zone_id: int,
    talents: Sequence[int],
    enterprises: Sequence[int],
    reason: str = "",
    **_: Any,
) -> None:
    """``registry.signals.records_changed`` receiver: queue the re-evaluation (never run it here)."""
    from talentpark.policies.tasks import reevaluate_records

    args = (int(zone_id), list(talents), list(enterprises), reason)
    if commits_with_transaction(reevaluate_records):
        reevaluate_records.enqueue(*args)
    else:
        transaction.on_commit(lambda: reevaluate_records.enqueue(*args), robust=True)


def commits_with_transaction(task: Any) -> bool:
    """Does queueing ``task`` write a row on the default database (so it commits with the caller)?"""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def related(
    zone_id: int, talents: Sequence[int], enterprises: Sequence[int], targets: set[str]
) -> tuple[list[int], list[int]]:
    """The changed records and those whose facts they move, for the targets that are live.

    A talent's employer counts her (its talent and doctor counts); an enterprise's employees read
    its flags (``employer_key``, ``employer_high_tech`` …)."""
    talent_ids, enterprise_ids = set(talents), set(enterprises)
    if T.ENTERPRISE in targets and talents:
        enterprise_ids |= set(
            Talent.objects.filter(zone_id=zone_id, pk__in=list(talents), employer__isnull=False).values_list(
                "employer_id", flat=True
            )
        )
    if T.TALENT in targets and enterprises:
        talent_ids |= set(
            Talent.objects.filter(
                zone_id=zone_id, employer_id__in=list(enterprises), status=Talent.Status.ACTIVE
            ).values_list("pk", flat=True)
        )
    return (
        sorted(talent_ids) if T.TALENT in targets else [],
        sorted(enterprise_ids) if T.ENTERPRISE in targets else [],
    )


def reevaluate(
    zone_id: int,
    talents: Sequence[int] = (),
    enterprises: Sequence[int] = (),
    *,
    reason: str = "",
    as_of: dt.date | None = None,
) -> int:
    """Re-evaluate these records against every live policy of the zone; how many newly qualified."""
    as_of = as_of or timezone.localdate()
    live = runs.live_versions(zone_id, as_of)
    if not live:
        return 0
    talent_ids, enterprise_ids = related(zone_id, talents, enterprises, {v.target for v, _ in live})
    ids: dict[str, list[int]] = {T.TALENT: talent_ids, T.ENTERPRISE: enterprise_ids}
    wide = {target: len(chosen) > ZONE_WIDE_AFTER for target, chosen in ids.items()}
    only = {target: (None if wide[target] else chosen) for target, chosen in ids.items()}
    admitted = engine.eligible_sets([v for v, _ in live], as_of, ids=only)
    ctx = ActionContext.system(reason=f"变更比对：{reason}" if reason else "变更比对", zone_id=zone_id)
    newly = 0
    for version, cycle in live:
        candidates = set(admitted.get(version.pk, ()))
        if wide[version.target]:
            candidates &= set(ids[version.target])
        if candidates:
            newly += _run(ctx, version, cycle, as_of, sorted(candidates), reason)
    return newly


def _taken(version: PolicyVersion, cycle: str, ids: Sequence[int]) -> set[int]:
    field = "talent_id" if version.target == T.TALENT else "enterprise_id"
    held = Claim.objects.filter(policy_id=version.policy_id, cycle=cycle, **{f"{field}__in": list(ids)})
    return set(held.order_by().values_list(field, flat=True))


def _run(
    ctx: ActionContext, version: PolicyVersion, cycle: str, as_of: dt.date, candidates: list[int], reason: str
) -> int:
    """One version's 变更比对 run for the candidates without a claim in its cycle, in one transaction
    holding their row locks (a concurrent task for the same record waits, then finds the claim)."""
    held = _taken(version, cycle, candidates)
    if not (new := [i for i in candidates if i not in held]):
        return 0
    if len(new) > LOCKED_UP_TO:
        return _run_in_batches(ctx, version, cycle, as_of, new, reason)
    model = Talent if version.target == T.TALENT else Enterprise
    try:
        with transaction.atomic():
            list(
                model.objects.select_for_update()
                .filter(pk__in=new)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            held = _taken(version, cycle, new)  # again, under the locks
            new = [i for i in new if i not in held]
            if not new:
                return 0
            run = runs._execute_recorded(_start(ctx, version, cycle, as_of, new, reason), candidates=new)
    except IntegrityError:
        # Another writer (the nightly sweep) made a claim for one of them meanwhile: the whole
        # run is rolled back; the next change or sweep finds whoever is still missing.
        log.warning("re-evaluation of version %s for %d record(s) lost a race", version.pk, len(new))
        return 0
    return run.eligible


def _start(
    ctx: ActionContext, version: PolicyVersion, cycle: str, as_of: dt.date, new: list[int], reason: str
) -> PublishRun:
    run = PublishRun.objects.create(
        zone_id=version.zone_id,
        version=version,
        purpose=PublishRun.Purpose.REEVALUATE,
        cycle=cycle,
        as_of=as_of,
        status=PublishRun.Status.RUNNING,
    )
    audit.record(
        ctx, "policy.reevaluate", run, after={"candidates": len(new), "cycle": cycle, "reason": reason}
    )
    return run


def _run_in_batches(
    ctx: ActionContext, version: PolicyVersion, cycle: str, as_of: dt.date, new: list[int], reason: str
) -> int:
    """Many candidates: the sweep's way (each batch commits; the run's page shows its progress, and a
    batch that lost a race marks the run failed, to be run again from there)."""
    with transaction.atomic():
        run = _start(ctx, version, cycle, as_of, new, reason)
    try:
        return runs._execute_recorded(run, candidates=new).eligible
    except IntegrityError:
        log.warning("re-evaluation run %s lost a race; it can be run again from its page", run.pk)
        return 0
