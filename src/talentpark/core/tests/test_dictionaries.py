"""字典管理: the office's own lists (本地人才计划, import synonyms), their history, and their readers."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from talentpark.accounts.models import User
from talentpark.core import dictionaries
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, CodeSynonym, Dictionary, DictionaryItem
from talentpark.registry.excel.columns import TALENTS
from talentpark.registry.excel.rows import Lookups, validate_rows
from talentpark.registry.excel.tests.helpers import talent_row

pytestmark = pytest.mark.django_db(transaction=True)  # readers are cached until a change commits


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _platform_definitions(db: Any) -> None:
    """The platform-wide definitions the migration seeds (a transactional test flushes them)."""
    migration = importlib.import_module("talentpark.core.migrations.0013_dictionaries_parameters")
    for code, name, description in migration.DICTIONARIES:
        Dictionary.objects.get_or_create(
            zone=None, code=code, defaults={"name": name, "description": description}
        )


def _platform() -> Dictionary:
    return Dictionary.objects.get(zone__isnull=True, code=dictionaries.PROGRAMMES)


def _own(client: Client, world) -> Dictionary:
    """The office's own 本地人才计划, started from the platform's (设置本园区字典)."""
    response = client.post(reverse("core:dictionary_localize", args=[_platform().pk]))
    assert response.status_code == 302
    return Dictionary.objects.get(zone=world.zone, code=dictionaries.PROGRAMMES)


def _add(client: Client, obj: Dictionary, **values: str) -> Any:
    return client.post(reverse("core:dictionary_detail", args=[obj.pk]), {"form": "item", **values})


def _validate(zone, **cells):
    columns = dict(enumerate(TALENTS.columns))
    lookups = Lookups(zone, {c.ref for c in TALENTS.columns if c.ref})
    return validate_rows(TALENTS, columns, [(2, tuple(talent_row(**cells)))], lookups)


def test_the_office_keeps_its_programmes_with_history_and_the_import_reads_them(world):
    alice = _client(world.alice)
    assert alice.get(reverse("core:dictionary_list")).status_code == 200
    own = _own(alice, world)
    added = _add(alice, own, label="济宁高新区英才计划", level="zone", aliases="高新英才、英才计划")
    assert added.status_code == 302, added.content.decode()[:800]
    assert _add(alice, own, label="泰山产业领军人才", level="provincial").status_code == 302
    item = DictionaryItem.objects.get(dictionary=own, label="济宁高新区英才计划")
    assert item.extra == {"level": "zone", "aliases": ["高新英才", "英才计划"]}

    # The import reads the zone's list: an alias becomes the name, and the level is implied.
    result = _validate(world.zone, programme_name="高新英才", programme_level="无")
    assert not result.problems, result.problems
    values = result.rows[0].values
    assert (values["programme_name"], values["programme_level"]) == ("济宁高新区英才计划", "zone")
    clash = _validate(world.zone, programme_name="英才计划", programme_level="省级人才计划")
    assert [p.header for p in clash.problems] == ["入选人才计划"]
    assert "与所填级别不符" in clash.problems[0].reason
    # Another zone has no such programme: the name is kept as written.
    other = _validate(world.other_zone, programme_name="高新英才", programme_level="无")
    assert other.rows[0].values["programme_name"] == "高新英才"

    # 停用: no longer recognised (the reader's cache moved with the zone's version).
    assert alice.post(reverse("core:dictionary_item_action", args=[item.pk, "disable"])).status_code == 302
    assert dictionaries.match(dictionaries.PROGRAMMES, world.zone.pk, "高新英才") is None
    assert _validate(world.zone, programme_name="高新英才").rows[0].values["programme_name"] == "高新英才"
    assert alice.post(reverse("core:dictionary_item_action", args=[item.pk, "enable"])).status_code == 302
    assert alice.post(reverse("core:dictionary_item_action", args=[item.pk, "down"])).status_code == 302
    assert [i.label for i in dictionaries.items(dictionaries.PROGRAMMES, world.zone.pk)] == [
        "泰山产业领军人才",
        "济宁高新区英才计划",
    ]
    edit = reverse("core:dictionary_item_edit", args=[item.pk])
    assert alice.get(edit).status_code == 200
    changed = alice.post(edit, {"label": "高新区英才计划", "value": item.value, "level": "zone", "sort": ""})
    assert changed.status_code == 302

    actions = list(
        AuditLog.objects.filter(object_type="core.dictionary", object_id=str(own.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "core.dictionary.localize",
        "core.dictionary.item_add",
        "core.dictionary.item_add",
        "core.dictionary.item_disable",
        "core.dictionary.item_enable",
        "core.dictionary.item_move",
        "core.dictionary.item_change",
    ]
    page = alice.get(reverse("core:dictionary_detail", args=[own.pk])).content.decode()
    for shown in ("变更历史", "新增字典项", "停用字典项", "调整字典项顺序", "修改字典项", "高新区英才计划"):
        assert shown in page, shown
    assert world.alice.username in page or (world.alice.get_full_name() or "") in page


def test_bad_items_are_refused_naming_the_field_and_nothing_is_saved(world):
    alice = _client(world.alice)
    own = _own(alice, world)
    before = AuditLog.objects.count()
    for values, message in [
        ({"label": "", "level": "zone"}, "显示名称：不能为空"),
        ({"label": "某计划", "level": "national"}, "人才计划级别：请选择省级、市级或区级"),
        ({"label": "=HYPERLINK()", "level": "zone"}, "显示名称：不能以 = + - @ 开头"),
        ({"label": "某计划", "level": "zone", "sort": "第一"}, "排序：必须是整数"),
        ({"label": "某" * 81, "level": "zone"}, "显示名称：不能超过80字"),
    ]:
        response = _add(alice, own, **values)
        assert response.status_code == 400, values
        assert message in response.content.decode(), message
    assert _add(alice, own, label="某计划", level="zone").status_code == 302
    duplicate = _add(alice, own, label="某计划", level="zone")
    assert duplicate.status_code == 400 and "字典值：“某计划”已存在" in duplicate.content.decode()
    assert DictionaryItem.objects.filter(dictionary=own).count() == 1
    assert AuditLog.objects.count() == before + 1
    with pytest.raises(ValidationError) as caught:
        dictionaries.save_dictionary(ActionContext.system(), world.zone.pk, {"code": "Bad Code", "name": ""})
    assert set(caught.value.message_dict) == {"code", "name"}


def test_a_zones_dictionaries_are_sealed_and_the_platforms_are_read_only_to_the_office(world):
    alice = _client(world.alice)
    platform = _platform()
    # The platform's list is shown, not editable by a zone's office.
    assert alice.get(reverse("core:dictionary_detail", args=[platform.pk])).status_code == 200
    assert _add(alice, platform, label="某计划", level="zone").status_code == 403
    own = _own(alice, world)
    assert _add(alice, own, label="某计划", level="zone").status_code == 302
    item = DictionaryItem.objects.get(dictionary=own)
    other_office = User.objects.create_user(
        "olga", password="x-Secret-123", role="office", zone=world.other_zone
    )
    olga = _client(other_office)
    assert olga.get(reverse("core:dictionary_detail", args=[own.pk])).status_code == 404
    assert olga.get(reverse("core:dictionary_item_edit", args=[item.pk])).status_code == 404
    assert olga.post(reverse("core:dictionary_item_action", args=[item.pk, "disable"])).status_code == 404
    assert "某计划" not in olga.get(reverse("core:dictionary_list")).content.decode()
    assert DictionaryItem.objects.get(pk=item.pk).enabled
    for persona in ("bob", "dave", "erin", "tina", "paul"):
        client = _client(getattr(world, persona))
        assert client.get(reverse("core:dictionary_detail", args=[own.pk])).status_code == 403, persona
        assert client.get(reverse("core:synonym_list")).status_code == 403, persona


def test_the_office_adds_an_import_synonym_on_the_page_and_the_import_reads_it(world):
    alice = _client(world.alice)
    assert _validate(world.zone, highest_degree="全日制本科").problems
    refused = alice.post(
        reverse("core:synonym_list"), {"table": "degree", "spelling": "全日制本科", "code": ""}
    )
    assert refused.status_code == 400
    assert not CodeSynonym.objects.filter(zone=world.zone).exists()
    added = alice.post(
        reverse("core:synonym_list"), {"table": "degree", "spelling": "全日制本科", "code": "21"}
    )
    assert added.status_code == 302, added.content.decode()[:800]
    assert _validate(world.zone, highest_degree="全日制本科").rows[0].values["highest_degree"] == "21"
    page = alice.get(reverse("core:synonym_list")).content.decode()
    assert "全日制本科" in page and "新增检索同义词" in page
    # Zone B's office neither sees nor changes zone A's spelling.
    row = CodeSynonym.objects.get(zone=world.zone, spelling="全日制本科")
    olga = _client(
        User.objects.create_user("olga", password="x-Secret-123", role="office", zone=world.other_zone)
    )
    assert "全日制本科" not in olga.get(reverse("core:synonym_list")).content.decode()
    assert olga.post(reverse("core:synonym_change", args=[row.pk]), {"remove": "1"}).status_code == 404
    assert CodeSynonym.objects.filter(pk=row.pk).exists()
    assert alice.post(reverse("core:synonym_change", args=[row.pk]), {"remove": "1"}).status_code == 302
    assert not CodeSynonym.objects.filter(pk=row.pk).exists()


def test_a_superuser_without_a_zone_keeps_the_platform_wide_lists(world):
    root = _client(
        User.objects.create_user("root", password="x-Secret-123", role="office", is_superuser=True)
    )
    for url in (reverse("core:dictionary_list"), reverse("core:synonym_list")):
        assert root.get(url).status_code == 200, url
    platform = _platform()
    assert _add(root, platform, label="泰山学者", level="provincial").status_code == 302
    # Every zone without its own list reads the platform's, at once (each zone's version moved).
    for zone in (world.zone, world.other_zone):
        found = dictionaries.match(dictionaries.PROGRAMMES, zone.pk, "泰山学者")
        assert found is not None and found.extra["level"] == "provincial"
    assert "新增字典项" in root.get(reverse("core:dictionary_detail", args=[platform.pk])).content.decode()


def test_registering_a_talent_uses_the_zones_programme_names(world):
    from talentpark.registry.services import register_talent
    from talentpark.registry.tests.test_services import _input, ctx

    own = dictionaries.localize(
        ActionContext.system(zone_id=world.zone.pk), dictionaries.PROGRAMMES, world.zone.pk
    )
    dictionaries.save_item(
        ActionContext.system(zone_id=world.zone.pk),
        own,
        {"label": "济宁高新区英才计划", "level": "zone", "aliases": "高新英才"},
    )
    talent = register_talent(
        ctx(world.alice), world.zone, _input(programme_name="高新英才", programme_level="")
    )
    assert (talent.programme_name, talent.programme_level) == ("济宁高新区英才计划", "zone")
    with pytest.raises(ValidationError) as caught:
        register_talent(
            ctx(world.alice), world.zone, _input(programme_name="高新英才", programme_level="provincial")
        )
    assert "入选人才计划：" in caught.value.message_dict["programme_level"][0]
