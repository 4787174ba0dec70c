"""Schemathesis over the whole OpenAPI schema: no answer is a 500, every answer is declared.

Every operation is called in-process (WSGI) with generated valid and invalid input, as a
bearer-token reader with broad read access (the office) and as a writer (an enterprise's HR,
whose PATCH lands on her own enterprise), checking ``not_a_server_error``,
``response_schema_conformance`` and ``status_code_conformance``. The budget is fixed and
deterministic (``derandomize``, a bounded number of examples per operation), so the test
takes the same path on every run and stays well under two minutes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from talentpark.accounts.models import APIToken

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 8}


def _one_row_per_listing(world: Any) -> dict[str, int]:
    """A record behind every detail endpoint, so 200 answers are checked against their schema."""
    from talentpark.housing.models import ApartmentUnit
    from talentpark.innovation.models import Lecturer
    from talentpark.policies.tests.factories import make_policy
    from talentpark.recruitment.models import PersonnelDemand, Position
    from talentpark.registry.models import IndustryChain, Platform, Project

    zone, enterprise = world.zone, world.enterprise
    chain = IndustryChain.objects.create(zone=zone, code="machinery", name="工程机械及智能装备")
    rows = {
        "talent": world.talent.pk,
        "enterprise": enterprise.pk,
        "chain": chain.pk,
        "platform": Platform.objects.create(
            zone=zone, name="重工院士工作站", kind="academician", level="provincial", enterprise=enterprise
        ).pk,
        "project": Project.objects.create(
            zone=zone,
            name="智能装备产业化",
            kind=Project.Kind.values[0],
            enterprise=enterprise,
            chain=chain,
            investment=Decimal("1200.50"),
            started_on=dt.date(2025, 3, 1),
        ).pk,
        "policy": make_policy(zone).pk,
        "position": Position.objects.create(
            zone=zone,
            enterprise=enterprise,
            title="结构工程师",
            category=Position.Category.ENGINEERING,
            min_degree="21",
            salary_min=8000,
            salary_max=15000,
            published_on=dt.date(2026, 10, 1),
        ).pk,
        "demand": PersonnelDemand.objects.create(
            zone=zone,
            enterprise=enterprise,
            title="液压工程师",
            min_degree="21",
            reported_on=dt.date(2026, 9, 1),
        ).pk,
        "apartment": ApartmentUnit.objects.create(
            zone=zone,
            estate="人才公寓一期",
            building="1号楼",
            unit_no="101",
            kind=ApartmentUnit.Kind.YOUTH,
            layout=ApartmentUnit.Layout.ONE,
            area=Decimal("45.50"),
            monthly_rent=Decimal("800.00"),
        ).pk,
        "lecturer": Lecturer.objects.create(
            zone=zone, name="齐教授", organisation="济宁学院", professional_title="1", specialty="智能制造"
        ).pk,
    }
    rows["talent_timeline"] = world.talent.pk  # GET /registry/talents/{pk}/timeline (一码归集)
    return rows


@contextmanager
def _in_process_requests() -> Iterator[None]:
    """As Django's test client does: a request's end must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema() -> Any:
    from talentpark.api import api

    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api"), default=str))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = WSGIHandler()
    return schema


def _partner_scan(world: Any) -> int:
    """A hospital window for pat and one valid scan of tina's code, behind the record endpoint."""
    from talentpark.core.context import ActionContext
    from talentpark.talentcode import services
    from talentpark.talentcode.models import GreenService, Partner, PartnerAccount

    hospital = Partner.objects.create(zone=world.zone, name="测试区人民医院", kind=Partner.Kind.HOSPITAL)
    PartnerAccount.objects.create(zone=world.zone, user=world.pat, partner=hospital)
    GreenService.objects.create(zone=world.zone, partner=hospital, name="优先挂号", tiers="ABC")
    ctx = ActionContext(user=world.pat, role=world.pat.role, zone_id=world.zone.pk)
    token = services.current_token(world.talent).token
    return services.verify(ctx, world.pat, token).scan.pk


def _fuzz(operation: Any, headers: dict[str, str], path_parameters: dict[str, Any] | None) -> list[int]:
    """Run one operation's fixed budget; returns the status of every answer."""
    seen: list[int] = []
    for mode, examples in EXAMPLES.items():
        strategies = [operation.as_strategy(generation_mode=mode)]
        if path_parameters and mode is GenerationMode.POSITIVE:
            strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies))
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            seen.append(response.status_code)
            case.validate_response(response, checks=CHECKS, headers=headers)

        run()
    return seen


@pytest.mark.django_db(transaction=True)
def test_the_whole_api_answers_within_its_schema_and_never_500(code_tables, world):
    rows = _one_row_per_listing(world)
    _, reader_key = APIToken.issue(world.alice, "fuzz reader")  # the office: reads every registry
    _, writer_key = APIToken.issue(world.erin, "fuzz writer")  # HR: changes her own enterprise
    _, partner_key = APIToken.issue(world.pat, "fuzz partner")  # a hospital window: 人才码
    rows["record_service"] = _partner_scan(world)
    identities = {
        "reader": {"Authorization": f"Bearer {reader_key}"},
        "writer": {"Authorization": f"Bearer {writer_key}"},
        "partner": {"Authorization": f"Bearer {partner_key}"},
    }
    schema = _schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    seen: dict[str, list[int]] = {}
    with _in_process_requests():
        for operation in operations:
            operation_id = operation.definition.raw["operationId"]
            slug = operation_id.split("_", 1)[-1]
            fixed = {"pk": rows[slug]} if "{pk}" in operation.path else None
            for name, headers in identities.items():
                if operation.method.upper() != "GET" and name == "reader":
                    continue  # writes are fuzzed as the writer, on her own enterprise
                if (name == "partner") != operation_id.startswith("talentcode_"):
                    continue  # the partner account calls the 人才码 API, and only it
                seen.setdefault(operation_id, []).extend(_fuzz(operation, headers, fixed))
    answers = [status for statuses in seen.values() for status in statuses]
    assert len(answers) >= 400 and {200, 404, 422} <= set(answers)
    assert 200 in seen["get_talent"] and 200 in seen["update_enterprise"]  # real records, real writes
    assert 200 in seen["talentcode_verify"]  # a partner answered, valid or not
