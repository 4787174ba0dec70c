"""The index follows every service write at once, and a rebuild gives exactly the same rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from talentpark.core.context import ActionContext
from talentpark.core.search import index
from talentpark.core.search.documents import kinds
from talentpark.core.search.engine import search
from talentpark.core.search.index import ROW_COLUMNS
from talentpark.core.search.models import SearchDocument
from talentpark.registry.models import Talent
from talentpark.registry.services import EducationInput, TalentInput, register_talent, update_enterprise
from talentpark.registry.tests.factories import make_id_number

pytestmark = pytest.mark.django_db


def ctx(user):
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id, ip="127.0.0.1", request_id="t")


def _rows():
    return sorted(SearchDocument.objects.values_list(*ROW_COLUMNS))


def test_an_enterprise_renamed_by_the_service_is_found_by_its_new_name_at_once(search_zone):
    w = search_zone.world
    assert not search(w.alice, "擎天柱").hits
    update_enterprise(
        ctx(w.alice), search_zone.luqing, {"name": "山东擎天柱重工有限公司", "short_name": "擎天柱"}
    )
    hits = search(w.alice, "擎天柱").hits
    assert (hits[0].kind, hits[0].title) == ("enterprise", "山东擎天柱重工有限公司")
    # The records that copy its name follow: its talent, platform, project and demand.
    assert {"张三", "鲁擎重工院士工作站", "盾构机主驱动减速机关键技术研究", "液压系统研发人才"} <= {
        h.title for h in hits
    }
    assert "山东鲁擎重工机械股份有限公司" not in {h.title for h in search(w.alice, "鲁擎重工").hits}


def test_a_registered_talent_is_found_at_once_by_name_and_pinyin(search_zone):
    w = search_zone.world
    talent = register_talent(
        ctx(w.alice),
        w.zone,
        TalentInput(
            name="欧阳明华",
            id_number=make_id_number(sex="M"),
            phone="13912345678",
            zone_entry_date="2024-05-01",
            employer_id=search_zone.yunhe.pk,
            educations=[EducationInput(degree="14", major="人工智能", university="山东大学")],
        ),
    )
    for query in ("欧阳明华", "oymh", "ouyangminghua", "欧阳", "人工智能 运河数科"):
        assert ("talent", talent.pk) in {(h.kind, h.object_id) for h in search(w.alice, query).hits}, query
    assert not search(w.alice, "13912345678").hits


def test_a_rolled_back_write_leaves_the_index_as_it_was(search_zone):
    w = search_zone.world
    before = _rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        update_enterprise(ctx(w.alice), search_zone.yunhe, {"short_name": "回滚数科"})
        assert search(w.alice, "回滚数科").hits  # visible inside the transaction
        raise RuntimeError
    assert _rows() == before
    assert search(w.alice, "回滚数科").ignored == ["回滚"]  # no record holds it any more


def test_a_change_that_does_not_touch_the_document_rewrites_nothing(search_zone):
    w = search_zone.world
    before = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    update_enterprise(ctx(w.alice), search_zone.luqing, {"contact_phone": "13811112222"})
    assert list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_the_rebuild_gives_the_same_rows_as_incremental_indexing(search_zone):
    w = search_zone.world
    update_enterprise(ctx(w.alice), search_zone.yunhe, {"name": "济宁运河智算科技集团有限公司"})
    register_talent(
        ctx(w.alice),
        w.zone,
        TalentInput(
            name="赵六", id_number=make_id_number(), phone="13700001111", zone_entry_date="2023-01-01"
        ),
    )
    incremental = _rows()
    index.rebuild()
    assert _rows() == incremental
    SearchDocument.objects.all().delete()
    for kind in kinds():
        index.reindex(kind.model, kind.model._default_manager.values_list("pk", flat=True))
    assert _rows() == incremental


def test_remove_deletes_a_records_row(search_zone):
    index.remove(Talent, [search_zone.lisi.pk])
    assert not search(search_zone.world.alice, "李四").hits
    assert index.reindex("registry.talent", [search_zone.lisi.pk]) == 1
    assert search(search_zone.world.alice, "李四").hits


def test_the_rebuild_command_rebuilds_one_zone_or_all_and_rejects_unknown_names(search_zone):
    out = io.StringIO()
    SearchDocument.objects.filter(zone=search_zone.world.zone).delete()
    call_command("search_rebuild", "--zone", "test-zone", stdout=out, verbosity=0)
    assert "检索索引已重建" in out.getvalue()
    assert search(search_zone.world.alice, "张三").hits
    assert SearchDocument.objects.filter(zone=search_zone.world.other_zone).exists()
    call_command("search_rebuild", "--kind", "policy", stdout=out, verbosity=0)
    with pytest.raises(CommandError, match="园区代码"):
        call_command("search_rebuild", "--zone", "nowhere", stdout=out)
    with pytest.raises(CommandError, match="未知的记录类型"):
        call_command("search_rebuild", "--kind", "spaceship", stdout=out)


def test_documents_are_cut_with_the_zone_dictionary(search_zone):
    from talentpark.core.search.segmenter import segmenter

    assert {"院士工作站", "鲁擎重工", "工程机械及智能装备"} <= segmenter.user_words
    row = SearchDocument.objects.get(kind="platform", object_id=search_zone.academician.pk)
    assert " 院士工作站 " in row.tokens and " 院士 " in row.tokens  # the whole term and its pieces
    person = SearchDocument.objects.get(kind="talent", object_id=search_zone.zhangsan.pk)
    for token in ("张三", "张", "三", "zhangsan", "zs", "zhang", "san"):
        assert f" {token} " in person.tokens, token
    assert person.f_degree == "11" and person.f_tier == "C" and person.f_title == "2"
    assert person.f_chains == f" {search_zone.machinery.pk} " and person.f_roles == " master "
    assert person.f_industry == "35"


def test_a_bulk_rebuild_fills_the_full_text_tables_as_the_triggers_do(search_zone, monkeypatch):
    from django.db import connection

    from talentpark.core.search import backends

    def matches():
        return {
            token: sorted(
                SearchDocument.objects.filter(backends.match([token])).values_list("kind", "object_id")
            )
            for token in ("鲁擎", "zhangsan", "机械", "博士", "运河")
        } | {
            f"={token}": sorted(
                SearchDocument.objects.filter(backends.names_match([token])).values_list("kind", "object_id")
            )
            for token in ("鲁擎重工", "zs", "zhang")
        }

    index.rebuild()  # fewer rows than BULK_ROWS per batch: one trigger per row
    rows, found = _rows(), matches()
    assert any(found.values())
    monkeypatch.setattr(index, "BULK_ROWS", 1)
    index.rebuild()
    assert _rows() == rows
    assert matches() == found
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
                backends.SQLITE_INSERT_TRIGGERS,
            )
            assert cursor.fetchone()[0] == 2  # back in place for the next service write
            cursor.execute(
                "INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rank) VALUES ('integrity-check', 1)"
            )
            cursor.execute(
                "INSERT INTO core_searchdocument_names(core_searchdocument_names, rank)"
                " VALUES ('integrity-check', 1)"
            )
    w = search_zone.world
    update_enterprise(ctx(w.alice), search_zone.yunhe, {"name": "济宁运河星算科技有限公司"})
    assert SearchDocument.objects.filter(backends.match(["星算"]), kind="enterprise").exists()
