"""一键直达: a change to a talent or an enterprise re-evaluates it against every live policy.

The registry announces the change inside its transaction (``registry.signals``); the policies
app queues ``tasks.reevaluate_records`` there (the database backend: the task row commits or
rolls back with the change) and the task writes claims and notices like the publish run.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from talentpark.accounts.roles import Role
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, Notice
from talentpark.policies import reevaluate, runs
from talentpark.policies.models import Claim, Policy, PolicyVersion, PublishRun
from talentpark.policies.tests.factories import make_policy, make_version
from talentpark.registry import services
from talentpark.registry.excel import importer
from talentpark.registry.models import Talent
from talentpark.registry.tests.factories import PersonFactory, TalentFactory, make_id_number

TASK = "talentpark.policies.tasks.reevaluate_records"
REEVAL = PublishRun.Purpose.REEVALUATE


def office(world: Any) -> ActionContext:
    return ActionContext(user=world.alice, role=Role.OFFICE, zone_id=world.zone.pk)


def tinas(world: Any) -> ActionContext:
    return ActionContext(user=world.tina, role=Role.TALENT, zone_id=world.zone.pk)


def queued() -> list[list[Any]]:
    """The args of every re-evaluation task in the database queue, oldest first."""
    from django_tasks_db.models import DBTaskResult

    return [
        r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at")
    ]


def publish_phd(world: Any) -> Policy:
    """The doctors' policy (employed, doctorate, a year in the zone), published today."""
    policy = make_policy(world.zone)
    runs.publish(office(world), make_version(policy, valid_from=dt.date(2020, 1, 1)))
    return policy


def doctor(world: Any, **kwargs: Any) -> Talent:
    """A doctor registered behind the registry's back (a factory announces nothing)."""
    return TalentFactory(
        zone=world.zone,
        employer=world.enterprise,
        person=PersonFactory(zone=world.zone, highest_degree="11", **kwargs),
        zone_entry_date=dt.date(2023, 3, 1),
    )


def other_housing(talent: Talent) -> str:
    return Talent.Housing.APARTMENT if talent.housing != Talent.Housing.APARTMENT else Talent.Housing.OWNED


# ---------------------------------------------------------------- queued with the change


@pytest.mark.django_db(transaction=True)  # the queue's rows are committed, or rolled back, for real
def test_a_profile_change_queues_its_reevaluation_in_the_same_transaction(world, task_queue) -> None:
    talent = world.talent
    services.update_own_profile(tinas(world), talent, {"housing": other_housing(talent)})
    assert queued() == [[world.zone.pk, [talent.pk], [], "人才档案变更"]]

    talent.refresh_from_db()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.update_own_profile(tinas(world), talent, {"housing": other_housing(talent)})
        assert len(queued()) == 2  # queued inside the change's transaction …
        raise RuntimeError("the change is rolled back")
    assert len(queued()) == 1  # … and gone with it


@pytest.mark.django_db(transaction=True)
def test_every_registry_path_announces_its_change(world, task_queue) -> None:
    """Register, certify, approve a profile change, edit an enterprise (page service and API)."""
    zone, talent, ent = world.zone.pk, world.talent, world.enterprise
    new = services.register_talent(
        office(world),
        world.zone,
        services.TalentInput(
            name="周新", id_number=make_id_number(sex="M"), phone="13905370001", zone_entry_date="2024-01-02"
        ),
    )
    services.set_talent_tier(office(world), talent, Talent.Tier.B, dt.date(2030, 1, 1))
    _, change = services.update_own_profile(
        tinas(world), talent, {"employer": str(world.other_enterprise.pk)}
    )
    assert change is not None and len(queued()) == 2  # a pending request changes nothing yet
    services.review_profile_change(office(world), change, approve=True)
    services.update_enterprise(office(world), ent, {"employee_count": 321})
    services.update_enterprise(office(world), ent, {"employee_count": 321})  # no change: no task
    hr = Client()
    hr.force_login(world.erin)
    r = hr.patch(
        f"/api/registry/enterprises/{ent.pk}", json.dumps({"is_high_tech": True}), "application/json"
    )
    assert r.status_code == 200, r.content
    assert queued() == [
        [zone, [new.pk], [], "人才登记"],
        [zone, [talent.pk], [], "人才认定层次变更"],
        [zone, [talent.pk], [ent.pk], "人才档案变更审核通过"],  # her old employer counts her no more
        [zone, [], [ent.pk], "企业信息变更"],
        [zone, [], [ent.pk], "企业信息变更"],
    ]


@pytest.mark.django_db(transaction=True)
def test_an_import_queues_one_task_for_all_its_rows(world, task_queue, settings, tmp_path) -> None:
    from talentpark.registry.excel.tests.helpers import talent_row, workbook

    settings.VAR_DIR = tmp_path
    publish_phd(world)
    task_queue.run_pending()  # the publish run
    rows = [
        talent_row(name="甲博士", highest_degree="博士研究生", employer=world.enterprise.uscc),
        talent_row(name="乙博士", id_number=make_id_number(sex="F"), sex="女", highest_degree="博士研究生"),
        talent_row(
            name="丙博士",
            id_number=make_id_number(sex="M"),
            highest_degree="博士研究生",
            employer=world.enterprise.uscc,
        ),
        talent_row(name="丁硕士", id_number=make_id_number(sex="M"), employer=world.enterprise.uscc),
    ]
    job = importer.start_import(office(world), world.zone, "talent", "人才.xlsx", workbook(rows))
    assert job.counts["new"] == 4, job.problems
    importer.request_commit(office(world), job)
    imported = dict(
        Talent.objects.filter(zone=world.zone, person__name__contains="士").values_list("person__name", "pk")
    )
    assert len(imported) == 4
    assert queued() == [[world.zone.pk, sorted(imported.values()), [], f"Excel导入（任务 {job.pk}）"]]

    task_queue.run_pending()
    claimed = set(
        Claim.objects.filter(talent__in=imported.values()).values_list("talent__person__name", flat=True)
    )
    assert claimed == {"甲博士", "丙博士"}  # employed doctors; 乙 has no employer, 丁 no doctorate
    assert PublishRun.objects.filter(purpose=REEVAL).count() == 1


# ---------------------------------------------------------------- what the task does


@pytest.mark.django_db(transaction=True)  # the worker and the cached home see only what committed
def test_a_change_that_qualifies_her_becomes_a_claim_in_her_inbox_and_on_her_home(world, task_queue) -> None:
    policy = publish_phd(world)
    task_queue.run_pending()
    talent = world.talent
    assert not Claim.objects.filter(talent=talent).exists()  # 本科: not a doctor yet

    _, change = services.update_own_profile(tinas(world), talent, {"highest_degree": "11"})
    assert change is not None
    task_queue.run_pending()
    assert not Claim.objects.filter(talent=talent).exists()  # pending: the record is unchanged
    services.review_profile_change(office(world), change, approve=True)
    task_queue.run_pending()

    claim = Claim.objects.get(policy=policy, talent=talent)
    assert claim.status == Claim.Status.NOTIFIED and claim.decision.run.purpose == REEVAL
    assert claim.decision.explanation
    notice = Notice.objects.get(recipient=world.tina, kind="policy.claim")
    assert "博士安家补贴" in notice.text
    assert AuditLog.objects.filter(action="policy.reevaluate").count() == 1
    home = Client()
    home.force_login(world.tina)
    assert "博士安家补贴" in home.get("/").content.decode()


@pytest.mark.django_db
def test_a_change_that_does_not_newly_qualify_creates_nothing(
    world, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    publish_phd(world)
    bystander = doctor(world)  # qualifies, unclaimed: re-evaluating the zone would find her
    talent = world.talent
    ran: list[int] = []
    original = reevaluate.reevaluate
    monkeypatch.setattr(reevaluate, "reevaluate", lambda *a, **k: ran.append(original(*a, **k)) or ran[-1])
    with django_capture_on_commit_callbacks(execute=True):
        services.update_own_profile(tinas(world), talent, {"housing": other_housing(talent)})
    assert ran == [0]  # the task ran (inline, after the commit) and found nothing new
    assert not Claim.objects.filter(talent__in=[talent, bystander]).exists()
    assert not PublishRun.objects.filter(purpose=REEVAL).exists()
    assert not Notice.objects.filter(kind="policy.claim").exists()
    # A doctor who already holds her claim is not notified again either.
    assert reevaluate.reevaluate(world.zone.pk, [bystander.pk]) == 1
    assert reevaluate.reevaluate(world.zone.pk, [bystander.pk, talent.pk]) == 0
    assert Claim.objects.filter(talent=bystander).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("locked_up_to", [reevaluate.LOCKED_UP_TO, 0], ids=["locked", "in-batches"])
def test_running_it_twice_creates_nothing_twice(world, monkeypatch, locked_up_to) -> None:
    monkeypatch.setattr(reevaluate, "LOCKED_UP_TO", locked_up_to)  # 0: as a large import's run
    policy = publish_phd(world)
    newcomer = doctor(world, user=world.pat)  # a login to notify (any user will do)
    assert reevaluate.reevaluate(world.zone.pk, [newcomer.pk], reason="测试") == 1
    assert reevaluate.reevaluate(world.zone.pk, [newcomer.pk], reason="测试") == 0
    assert Claim.objects.filter(policy=policy, talent=newcomer).count() == 1
    assert Notice.objects.filter(recipient=world.pat, kind="policy.claim").count() == 1
    assert PublishRun.objects.filter(purpose=REEVAL).count() == 1


@pytest.mark.django_db
def test_a_policy_still_being_published_is_left_to_its_own_run(world, monkeypatch) -> None:
    monkeypatch.setattr(runs, "_enqueue", lambda run: None)  # the publish run has not run yet
    publish_phd(world)
    newcomer = doctor(world)
    assert reevaluate.reevaluate(world.zone.pk, [newcomer.pk]) == 0
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_an_enterprise_change_reevaluates_it_and_its_talents(
    world, django_capture_on_commit_callbacks
) -> None:
    high_tech = [{"article": "第二条", "text": "高新技术企业", "expr": "is_high_tech"}]
    for_firms = make_policy(world.zone, title="高企奖励", target=Policy.Target.ENTERPRISE)
    runs.publish(
        office(world),
        make_version(
            for_firms, target=PolicyVersion.Target.ENTERPRISE, clauses=high_tech, outcome_expr="200000"
        ),
    )
    for_staff = make_policy(world.zone, title="高企人才津贴")
    staff_rule = [{"article": "第二条", "text": "在高新技术企业工作", "expr": "employer_high_tech"}]
    runs.publish(office(world), make_version(for_staff, clauses=staff_rule, outcome_expr="5000"))
    assert not Claim.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_enterprise(office(world), world.enterprise, {"is_high_tech": True})
    firm = Claim.objects.get(policy=for_firms)
    assert firm.enterprise_id == world.enterprise.pk and firm.amount == 200000
    staff = Claim.objects.get(policy=for_staff)
    assert staff.talent_id == world.talent.pk  # tina works there; carol's employer is not high-tech
    assert Notice.objects.filter(
        recipient=world.erin, kind="policy.claim", text__contains="高企奖励"
    ).exists()
    assert Notice.objects.filter(
        recipient=world.tina, kind="policy.claim", text__contains="高企人才津贴"
    ).exists()
