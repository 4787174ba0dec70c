"""The province viewer sees figures of the zones in her province, never people.

Paul is Shandong's viewer; the world's second zone lies in 长治 (山西).
"""

from __future__ import annotations

import decimal
import re

import pytest
from django.test import Client
from django.urls import reverse

from talentpark.accounts.access import restrict
from talentpark.accounts.tests.test_access_matrix import API_LISTS, LIST_PAGES
from talentpark.core.models import Zone
from talentpark.core.search import index as search_index
from talentpark.registry.models import Enterprise, Platform, Project

LISTS = [name for name, allowed in LIST_PAGES.items() if "paul" in allowed and name.endswith("_list")]


def _people(world) -> list[str]:
    """Everything that names or reaches a person in the world (and must not reach the province)."""
    e = world.enterprise
    e.contact_name, e.contact_phone = "赵敏敏", "13912340000"
    e.save()
    project = Project.objects.create(
        zone=world.zone,
        name="液压件产线",
        kind="industrial",
        status="building",
        enterprise=e,
        leader=world.talent,
        investment=decimal.Decimal("8800.00"),
    )
    Platform.objects.create(zone=world.zone, name="济宁液压工程中心", kind="eng_centre", level="municipal")
    search_index.reindex(Project, [project.pk])
    search_index.reindex(Enterprise, [e.pk])
    names = [
        "赵敏敏",
        *(t.person.name for t in (world.talent, world.carols_talent, world.foreign_talent)),
    ]
    names += [u.display_name for u in (world.bob, world.carol, world.alice, world.dave) if u.display_name]
    return names


def _clean(body: str, people: list[str], where: str) -> None:
    for needle in people:
        assert needle not in body, (where, needle)
    assert not re.search(r"(?<![\dA-Z])1[3-9]\d[\d*]{4}\d{4}(?![\dA-Z])", body), (
        where
    )  # no phone number, masked or not


@pytest.mark.django_db
def test_the_province_sees_only_the_zones_of_its_province(world):
    assert set(restrict(Enterprise.objects.all(), world.paul).values_list("zone_id", flat=True)) == {
        world.zone.pk
    }
    client = Client()
    client.force_login(world.paul)
    home = client.get(reverse("accounts:home")).content.decode()
    assert world.zone.name in home and world.other_zone.name not in home
    listing = client.get(reverse("registry:enterprise_list")).content.decode()
    assert world.enterprise.name in listing and world.foreign_enterprise.name not in listing
    api = client.get("/api/registry/enterprises").json()
    assert {item["zone_id"] for item in api["items"]} == {world.zone.pk}
    detail = client.get(reverse("registry:enterprise_detail", args=[world.foreign_enterprise.pk]))
    assert detail.status_code == 404


@pytest.mark.django_db
def test_a_province_viewer_without_a_province_sees_no_zone(world):
    world.paul.province_id = None
    world.paul.save()
    assert not restrict(Enterprise.objects.all(), world.paul).exists()
    assert Zone.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_no_page_api_answer_or_export_shows_the_province_a_person(world):
    people = _people(world)
    client = Client()
    client.force_login(world.paul)
    _clean(client.get(reverse("accounts:home")).content.decode(), people, "home")
    checked = 0
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        _clean(response.content.decode(), people, name)
        detail_name = name.replace("_list", "_detail")
        for obj in response.context["page"].object_list:
            page = client.get(reverse(detail_name, args=[obj.pk]))
            assert page.status_code == 200, (detail_name, obj.pk)
            _clean(page.content.decode(), people, f"{detail_name} {obj.pk}")
            checked += 1
        export = client.post(reverse(name.replace("_list", "_export")), {"format": "csv"})
        if export.status_code == 200:
            body = b"".join(export.streaming_content).decode("utf-8-sig")
            _clean(body, people, f"{name} export")
            checked += 1
    for url, allowed in API_LISTS.items():
        if "paul" not in allowed or url == "/api/search":
            continue
        answer = client.get(url)
        assert answer.status_code == 200, url
        _clean(answer.content.decode(), people, url)
        for item in answer.json()["items"]:
            _clean(client.get(f"{url}/{item['id']}").content.decode(), people, f"{url}/{item['id']}")
            checked += 1
    # Search echoes the query; a person is never found, records are found without their people.
    for q in ("赵敏敏", "唐娜"):
        body = client.get(reverse("search:page") + f"?q={q}").content.decode()
        assert "共找到 0 条结果" in body, q
    body = client.get(reverse("search:page") + "?q=液压件产线").content.decode()
    assert "液压件产线" in body
    _clean(body, people, "search 液压件产线")
    assert checked >= 10
    # The office of the zone still sees the contact and the leader.
    office = Client()
    office.force_login(world.alice)
    page = office.get(reverse("registry:enterprise_detail", args=[world.enterprise.pk])).content.decode()
    assert "赵敏敏" in page
