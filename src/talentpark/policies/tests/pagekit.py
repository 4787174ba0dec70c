"""Helpers shared by the policy page tests: signed-in clients, editor form data, a qualifying talent."""

from __future__ import annotations

from typing import Any

from django.test import Client

from talentpark.policies.tests.factories import PHD_CLAUSES

GOOD_ACCOUNT = "6222020200112345679"  # 19 digits, valid Luhn check digit


def client_for(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(getattr(world, persona))
    return client


def make_phd(world: Any, talent: Any = None, account: str | None = GOOD_ACCOUNT) -> Any:
    """Give a talent (tina's by default) a doctorate and a bank account on her profile."""
    person = (talent or world.talent).person
    person.highest_degree = "11"
    person.bank_name = "中国工商银行济宁分行"
    person.bank_account = account
    person.save()
    return world


def editor_post(**values: str) -> dict[str, Any]:
    """The rule editor's form as a browser posts it: one list entry per clause row."""
    data: dict[str, Any] = {
        "target": "talent",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "outcome_kind": "amount",
        "outcome_expr": 'degree == "博士后" ? 150000 : 100000',
        "outcome_article": "第四条",
        "tier_valid_years": "3",
        "benefit": "",
        "note": "",
        "article": [c["article"] for c in PHD_CLAUSES],
        "text": [c["text"] for c in PHD_CLAUSES],
        "expr": [c["expr"] for c in PHD_CLAUSES],
        "op": "save",
    }
    data.update(values)
    return data
