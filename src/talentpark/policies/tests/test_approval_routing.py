"""Departments act only on what is routed to them: every department × every level × view/approve/reject.

A three-level policy routes level 1 to 住建局 (dave), level 2 to 专员一组 (tom) and level 3 to the
office (alice). cindy handles 人才服务中心 (本部门), carl too but with 本部门及以下 (so 专员一组 is
his as well); neither has level 1 or 3. One claim waits at each level.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from talentpark.accounts.models import Department
from talentpark.accounts.roles import DataScope, Role
from talentpark.core.context import ActionContext
from talentpark.policies import redemption, runs, selectors
from talentpark.policies.models import ApprovalLevel, Claim, ClaimEvent, Policy
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.policies.tests.pagekit import make_phd
from talentpark.registry.tests.factories import TalentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Claim.Status
HANDLERS = ("alice", "dave", "cindy", "tom", "carl")
# level → who may view / decide a claim waiting there (everyone else: 404)
VIEW = {1: {"alice", "dave"}, 2: {"alice", "tom", "carl"}, 3: {"alice"}}
DECIDE = {1: {"dave"}, 2: {"tom", "carl"}, 3: {"alice"}}


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


@pytest.fixture
def routed(world: Any) -> dict[str, Any]:
    users = {
        "alice": world.alice,
        "dave": world.dave,
        "cindy": UserFactory(
            username="cindy",
            role=Role.DEPT,
            zone=world.zone,
            department=world.centre,
            data_scope=DataScope.DEPT,
        ),
        "tom": UserFactory(
            username="tom", role=Role.DEPT, zone=world.zone, department=world.team1, data_scope=DataScope.DEPT
        ),
        "carl": UserFactory(
            username="carl",
            role=Role.DEPT,
            zone=world.zone,
            department=world.centre,
            data_scope=DataScope.DEPT_AND_BELOW,
        ),
    }
    third = TalentFactory(zone=world.zone, employer=world.enterprise, specialist=world.bob)
    for talent in (world.talent, world.carols_talent, third):
        make_phd(world, talent)
    policy = make_policy(world.zone, approval_levels=3, approvers=[world.housing_dept, world.team1, None])
    runs.publish(ctx(world.alice), make_version(policy), AS_OF)
    claims = list(Claim.objects.filter(policy=policy).order_by("pk"))
    assert len(claims) == 3
    by_level = {}
    for level, claim in enumerate(claims, start=1):
        _wait_at(claim, level)
        by_level[level] = claim
    return {"users": users, "claims": by_level, "policy": policy}


def _wait_at(claim: Claim, level: int) -> None:
    Claim.objects.filter(pk=claim.pk).update(status=S.REVIEWING, levels_done=level - 1)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_department_every_level_view_approve_reject(routed) -> None:
    users, claims = routed["users"], routed["claims"]
    clients = {name: _client(u) for name, u in users.items()}
    for level, claim in claims.items():
        for name in HANDLERS:  # views first: deciding a claim lets its handler see it later
            status = clients[name].get(reverse("policies:claim_detail", args=[claim.pk])).status_code
            assert status == (200 if name in VIEW[level] else 404), (name, level, "view")
        for op in ("approve", "reject"):
            for name in HANDLERS:
                events = ClaimEvent.objects.filter(claim=claim).count()
                response = clients[name].post(
                    reverse(f"policies:claim_{op}", args=[claim.pk]), {"reason": "材料齐全"}
                )
                claim.refresh_from_db()
                if name in DECIDE[level]:
                    assert response.status_code == 302, (name, level, op, response.content.decode()[:300])
                    expected = (S.REJECTED,) if op == "reject" else (S.REVIEWING, S.APPROVED)
                    assert (
                        claim.status in expected
                        and ClaimEvent.objects.filter(claim=claim).count() == events + 1
                    )
                    _wait_at(claim, level)
                else:
                    assert response.status_code == 404, (name, level, op)
                    assert (claim.status, claim.levels_done) == (S.REVIEWING, level - 1), (name, level, op)
                    assert ClaimEvent.objects.filter(claim=claim).count() == events


def test_the_services_refuse_a_level_routed_elsewhere_in_chinese(routed) -> None:
    users, claims = routed["users"], routed["claims"]
    for name, level in (("cindy", 2), ("dave", 2), ("alice", 1), ("tom", 3)):
        claim = Claim.objects.get(pk=claims[level].pk)
        for call in (
            lambda c=claim, n=name: redemption.approve_claims(ctx(users[n]), [c], "同意"),
            lambda c=claim, n=name: redemption.reject_claims(ctx(users[n]), [c], "不符合"),
        ):
            with pytest.raises(ValidationError, match=f"第{level}级审核由“.+”负责，您无权处理"):
                call()
        claim.refresh_from_db()
        assert (claim.status, claim.levels_done) == (S.REVIEWING, level - 1)
    # the message names who the level belongs to
    with pytest.raises(ValidationError, match="第2级审核由“专员一组”负责"):
        redemption.approve_claims(ctx(users["cindy"]), [claims[2]])
    # an approved claim waiting for payment is only the office's to return
    Claim.objects.filter(pk=claims[1].pk).update(status=S.APPROVED, levels_done=3)
    with pytest.raises(ValidationError, match="只能由人才办退回"):
        redemption.reject_claims(ctx(users["dave"]), [Claim.objects.get(pk=claims[1].pk)], "不符合")
    redemption.reject_claims(ctx(users["alice"]), [Claim.objects.get(pk=claims[1].pk)], "收款信息有误")


def test_each_home_page_counts_only_its_own_queue(routed) -> None:
    users = routed["users"]
    expected = {"alice": 1, "dave": 1, "cindy": 0, "tom": 1, "carl": 1}
    for name, n in expected.items():
        assert selectors.office_counts(users[name])["reviewing"] == n, name
        home = _client(users[name]).get(reverse("accounts:home"))
        cards = {str(label): count for label, count, _url in home.context["redemption"]}
        assert cards["审核中"] == n, name
        batch = _client(users[name]).get(reverse("policies:claim_batch")).context["page"]
        assert batch.paginator.count == n, name


def test_a_batch_with_a_claim_routed_elsewhere_changes_nothing(routed) -> None:
    users, claims = routed["users"], routed["claims"]
    response = _client(users["tom"]).post(
        reverse("policies:claim_batch"), {"claim": [claims[1].pk, claims[2].pk], "op": "approve"}
    )
    assert response.status_code == 400 and "有 1 项不在您的待审核范围内" in response.content.decode()
    assert [Claim.objects.get(pk=claims[n].pk).levels_done for n in (1, 2)] == [0, 1]


def test_existing_policies_get_a_default_routing_by_category(world) -> None:
    migration = importlib.import_module("talentpark.policies.migrations.0007_approval_levels")
    housing = make_policy(world.zone, title="租房补贴", category=Policy.Category.HOUSING, approval_levels=2)
    medical = make_policy(world.zone, title="医疗保健", category=Policy.Category.MEDICAL, approval_levels=1)
    ApprovalLevel.objects.all().delete()
    migration.route_existing(apps, None)
    routes = {(lv.policy_id, lv.number): lv.approver_id for lv in ApprovalLevel.objects.all()}
    # 住房安居 → the zone's housing department, then the office; no health department → the office
    assert routes == {(housing.pk, 1): world.housing_dept.pk, (housing.pk, 2): None, (medical.pk, 1): None}
    assert Department.objects.filter(zone=world.zone, kind=Department.Kind.HEALTH).count() == 0
