"""Policies and rule versions for tests."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any

from talentpark.accounts.models import Department
from talentpark.core.models import Zone
from talentpark.policies.models import ApprovalLevel, Policy, PolicyVersion

AS_OF = dt.date(2026, 11, 2)

PHD_CLAUSES = [
    {"article": "第二条", "text": "在区内企业就业", "expr": "has_employer"},
    {"article": "第三条", "text": "具有博士研究生及以上学历", "expr": "degree_level >= 4"},
    {"article": "第五条", "text": "入区满1年", "expr": "years_in_zone >= 1"},
]


def make_policy(zone: Zone, approvers: Sequence[Department | None] | None = None, **kwargs: Any) -> Policy:
    """A publishable policy. Its levels are routed to ``approvers`` (None: the office); by default
    the last level is the office's (alice) and those before it the zone's 住建局 (dave), if any."""
    defaults: dict[str, Any] = {
        "title": "博士安家补贴",
        "doc_number": "测人才〔2026〕1号",
        "issuing_body": "测试区人才工作领导小组",
        "category": Policy.Category.SUBSIDY,
        "target": Policy.Target.TALENT,
        "budget_total": decimal.Decimal("1000000"),
        "approval_levels": 2,
        "full_text": "第一条　目的。\n第二条　适用范围。\n第三条　学历要求。\n第四条　标准。\n第五条　年限。",
    }
    defaults.update(kwargs)
    policy = Policy.objects.create(zone=zone, **defaults)
    if approvers is None:
        housing = Department.objects.filter(zone=zone, kind=Department.Kind.HOUSING).order_by("pk").first()
        approvers = [housing] * (policy.approval_levels - 1) + [None]
    for number, dept in enumerate(approvers, start=1):
        ApprovalLevel.objects.create(zone=zone, policy=policy, number=number, approver=dept)
    return policy


def make_version(policy: Policy, **kwargs: Any) -> PolicyVersion:
    defaults: dict[str, Any] = {
        "target": PolicyVersion.Target.TALENT,
        "valid_from": dt.date(2026, 1, 1),
        "clauses": PHD_CLAUSES,
        "outcome_kind": PolicyVersion.OutcomeKind.AMOUNT,
        "outcome_expr": 'degree == "博士后" ? 150000 : 100000',
        "outcome_article": "第四条",
        "number": (policy.versions.count() + 1),
    }
    defaults.update(kwargs)
    return PolicyVersion.objects.create(zone=policy.zone, policy=policy, **defaults)
