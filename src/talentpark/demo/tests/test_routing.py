"""The demo routes each policy's approval levels to its departments (issue: departments act only on
what is routed to them) and keeps one published version that today's checks flag."""

from __future__ import annotations

import io

import pytest

from talentpark.accounts.access import restrict
from talentpark.accounts.models import User
from talentpark.demo.generator import generate
from talentpark.demo.policy_rules import RULES
from talentpark.demo.staff import DEPARTMENTS
from talentpark.policies import versions
from talentpark.policies.models import ApprovalLevel, Claim, Policy, PolicyVersion

SEED_VALUE = 20260101
HOUSING_TITLES = {"济宁高新区人才公寓配租管理办法", "济宁高新区青年人才租房补贴发放办法"}


def test_every_level_of_every_demo_policy_names_a_demo_department_or_the_office() -> None:
    keys = {local for local, _name, _kind in DEPARTMENTS}
    for title, spec in RULES.items():
        assert len(spec.approvers) == spec.approval_levels, title
        assert all(key is None or key in keys for key in spec.approvers), title


@pytest.mark.django_db
def test_the_housing_handler_sees_and_decides_only_housing_claims() -> None:
    generate("tiny", SEED_VALUE, progress=False, stdout=io.StringIO())
    handler = User.objects.get(username="jn_dept_housing")
    for policy in Policy.objects.filter(zone=handler.zone):
        assert policy.levels.count() == policy.approval_levels, policy.title
    housing = ApprovalLevel.objects.filter(approver=handler.department).values_list(
        "policy__title", flat=True
    )
    assert set(housing) == HOUSING_TITLES
    waiting = restrict(Claim.objects.filter(status=Claim.Status.REVIEWING), handler, "approve")
    seen = restrict(Claim.objects.all(), handler)
    assert waiting.exists()
    assert set(seen.values_list("policy__title", flat=True)) <= HOUSING_TITLES
    others = Claim.objects.filter(zone=handler.zone, status=Claim.Status.REVIEWING).exclude(
        policy__title__in=HOUSING_TITLES
    )
    assert others.exists() and not restrict(others, handler).exists()


@pytest.mark.django_db
def test_the_demo_settling_subsidy_v1_is_flagged() -> None:
    generate("tiny", SEED_VALUE, progress=False, stdout=io.StringIO(), redemption=False)
    v1 = PolicyVersion.objects.get(
        policy__title="济宁高新区青年人才安家补贴实施细则", number=1, status=PolicyVersion.Status.PUBLISHED
    )
    assert any("金额依据条款" in p for p in versions.version_problems(v1))
