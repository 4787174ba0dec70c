"""The API kit turns every bad input into a 4xx JSON answer naming the field, in Chinese.

Out-of-range pages, integers larger than their column, NUL bytes, absurd dates and text a
spreadsheet would run as a formula are refused before any service or query sees them, and
the OpenAPI schema declares those error answers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from talentpark.registry.models import Enterprise

FORMULA_REASON = "不能以 = + - @ 等公式符号开头（可能是公式），请改为纯文本"


@pytest.fixture
def office(world):
    client = Client()
    client.force_login(world.alice)
    return client


@pytest.fixture
def hr(world):
    client = Client()
    client.force_login(world.erin)
    return client


def _patch(client: Client, enterprise: Enterprise, body: dict[str, Any]):
    return client.patch(
        f"/api/registry/enterprises/{enterprise.pk}", json.dumps(body), content_type="application/json"
    )


def _only_error(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert len(detail) == 1, detail
    return detail[0]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-3", "10000001", str(10**25)])
def test_out_of_range_page_numbers_are_refused_naming_the_page(world, office, page):
    for url in ("/api/registry/talents", "/api/search", "/api/housing/apartments"):
        error = _only_error(office.get(f"{url}?page={page}"))
        assert error["field"] == "page" and error["message"].startswith("页码：")


@pytest.mark.django_db
def test_a_page_past_the_end_is_an_empty_page_and_the_cap_still_applies(world, office):
    body = office.get("/api/registry/talents?page=10000000&page_size=100000").json()
    assert body["items"] == [] and body["count"] == 2 and body["page_size"] == 200


@pytest.mark.django_db
def test_non_numeric_parameters_name_the_field_in_chinese(world, office):
    assert _only_error(office.get("/api/registry/talents?page=abc")) == {
        "field": "page",
        "message": "页码：应为整数",
    }
    assert _only_error(office.get("/api/registry/talents/abc"))["message"].startswith("记录编号：")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("employee_count", 3_000_000_000, "职工人数"),  # > PostgreSQL integer
        ("employee_count", 10**20, "职工人数"),  # > any integer column
        ("registered_capital", "1e20", "注册资本（万元）"),  # > numeric(14, 2)
        ("registered_capital", "12.345", "注册资本（万元）"),
        ("registered_capital", "NaN", "注册资本（万元）"),
    ],
)
def test_numbers_too_large_for_their_column_are_refused_and_nothing_is_saved(world, hr, field, value, label):
    error = _only_error(_patch(hr, world.enterprise, {field: value, "short_name": "新简称"}))
    assert error["field"] == field and error["message"].startswith(f"{label}：")
    world.enterprise.refresh_from_db()
    assert world.enterprise.short_name == "" and world.enterprise.employee_count == 0


@pytest.mark.django_db
def test_a_record_id_beyond_any_column_is_refused(world, office):
    error = _only_error(office.get(f"/api/registry/talents/{10**25}"))
    assert error["field"] == "pk" and error["message"].startswith("记录编号：")


@pytest.mark.django_db
def test_nul_bytes_are_refused_wherever_they_come(world, office, hr):
    error = _only_error(_patch(hr, world.enterprise, {"address": "济宁\x00路", "short_name": "新简称"}))
    assert error == {"field": "address", "message": "地址：不能包含空字符（\\0）"}
    world.enterprise.refresh_from_db()
    assert world.enterprise.short_name == ""
    for url in ("/api/registry/talents?q=a%00b", "/api/search?q=%00", "/api/registry/talents?degree=%00"):
        error = _only_error(office.get(url))
        assert error["field"] in ("q", "degree") and "不能包含空字符" in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31", "2021-02-30"])
def test_dates_outside_a_sensible_range_are_refused(world, hr, day):
    error = _only_error(_patch(hr, world.enterprise, {"founded_on": day}))
    assert error["field"] == "founded_on" and error["message"].startswith("成立日期：")
    world.enterprise.refresh_from_db()
    assert world.enterprise.founded_on is None


@pytest.mark.django_db
def test_dates_in_the_formats_people_type_are_converted(world, hr):
    r = _patch(hr, world.enterprise, {"founded_on": "2021年3月1日"})
    assert r.status_code == 200 and r.json()["founded_on"] == "2021-03-01"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("name", '=HYPERLINK("http://x")', "企业名称"),
        ("short_name", "+1", "简称"),
        ("address", "@SUM(A1)", "地址"),
        ("contact_name", "-2+3", "联系人"),
        ("description", "\u3000=cmd|' /C calc'!A0", "企业简介"),
    ],
)
def test_text_a_spreadsheet_would_run_is_refused_like_the_excel_import(world, hr, field, value, label):
    error = _only_error(_patch(hr, world.enterprise, {field: value}))
    assert error == {"field": field, "message": f"{label}：{FORMULA_REASON}"}
    world.enterprise.refresh_from_db()
    assert getattr(world.enterprise, field) != value


@pytest.mark.django_db
def test_ordinary_text_with_symbols_inside_is_accepted(world, hr):
    r = _patch(hr, world.enterprise, {"name": "济宁测试A+B有限公司", "description": "年产值=5亿"})
    assert r.status_code == 200, r.content
    world.enterprise.refresh_from_db()
    assert (world.enterprise.name, world.enterprise.description) == ("济宁测试A+B有限公司", "年产值=5亿")


@pytest.mark.django_db
def test_the_openapi_schema_declares_the_error_answers_and_bounds_every_integer(world, office):
    world.alice.is_staff = True
    world.alice.save()
    schema = office.get("/api/openapi.json").json()
    assert schema["components"]["schemas"]["ErrorsOut"]["properties"]["detail"]["type"] == "array"
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 20
    for path, method, op in operations:
        responses = op["responses"]
        for status in ("401", "422"):
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorsOut"), (path, method, status)
        if "{pk}" in path:
            assert "404" in responses, (path, method)
        for param in op.get("parameters", []):
            if param["schema"].get("type") == "integer":
                assert param["schema"]["maximum"] <= 2**63 - 1, (path, param["name"])
    patch = schema["components"]["schemas"]["EnterprisePatch"]["properties"]["employee_count"]
    assert next(s for s in patch["anyOf"] if s.get("type") == "integer")["maximum"] == 2**31 - 1


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"\xff\x0c\xe9c", b"{not json", b"[" * 100_000])
def test_a_body_that_is_not_json_is_refused_like_any_bad_input(world, hr, body):
    r = hr.patch(f"/api/registry/enterprises/{world.enterprise.pk}", body, content_type="application/json")
    assert r.status_code == 422
    assert r.json() == {"detail": [{"field": "__all__", "message": "请求体：不是有效的JSON（UTF-8）"}]}
