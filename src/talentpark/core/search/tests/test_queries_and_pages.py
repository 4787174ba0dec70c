"""Odd queries never fail; highlights are escaped; facets filter; the page and the API answer."""

from __future__ import annotations

import pytest
from django.test import Client

from talentpark.core.search.engine import search
from talentpark.core.search.highlight import highlight, snippet
from talentpark.core.search.segmenter import QueryTerms
from talentpark.core.search.text import alnum_runs, compact_key, normalize, pinyin_names, split_name
from talentpark.registry.tests.factories import PASSWORD, EnterpriseFactory

BAD_QUERIES = [
    "",
    "   ",
    "张" * 1000,
    "x" * 1000,
    "！？。，、；：“”（）",
    "!@#$%^&*()_+-=[]{}|;':,./<>?`~",
    '"',
    '"张三',
    "*",
    "张*",
    "NEAR(",
    "NEAR(张三 李四)",
    "OR",
    "张三 OR 李四",
    "AND NOT",
    "-",
    "-张三",
    ":",
    "title:张三",
    "^张三",
    "'; DROP TABLE core_searchdocument; --",
    "' | '",
    "!!",
    "a & b | !c",
    "\\",
    "%_%",
    "\x00\x01",
    "🙂🚀",
    "\u200b\u3000",
    "<script>alert(1)</script>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_never_raise_on_the_engine_the_page_or_the_api(search_zone, query):
    w = search_zone.world
    results = search(w.alice, query)
    assert results.query == query.strip()[:200]
    assert len(results.hits) <= results.total and len(results.hits) <= results.page_size
    if not results.terms:  # nothing searchable: an empty answer, not an error
        assert results.total == 0 and results.hits == [] and results.mode == ""
    if "张三" in query and results.terms:
        assert "张三" in [h.title for h in results.hits]
    client = Client()
    client.force_login(w.alice)
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    api = client.get("/api/search", {"q": query})
    if api.status_code == 422:  # refused input (a NUL character) is named, never a 500
        assert api.json()["detail"][0]["field"] == "q", api.content
    else:
        assert api.status_code == 200, api.content
        assert api.json()["total"] == results.total


@pytest.mark.django_db
def test_odd_parameters_are_ignored_not_fatal(search_zone):
    client = Client()
    client.force_login(search_zone.world.alice)
    for params in (
        {"q": "张三", "page": "abc"},
        {"q": "张三", "page": "99999999999999999999"},
        {"q": "张三", "kind": "spaceship"},
        {"q": "张三", "year": "abcd"},
        {"q": "张三", "chain": "' OR 1=1 --"},
        {"q": "张三", "degree": "x" * 500},
    ):
        assert client.get("/search/", params).status_code == 200, params
    assert client.get("/api/search", {"q": "张三", "page": "abc"}).status_code == 422
    odd = client.get("/api/search", {"q": "张三", "page": "-5", "page_size": "100000"})
    if odd.status_code == 422:  # out-of-range numbers are refused naming the field, never a 500
        assert {e["field"] for e in odd.json()["detail"]} <= {"page", "page_size"}, odd.content
    else:
        assert odd.status_code == 200, odd.content


def test_highlighting_escapes_everything_but_the_marks():
    terms = QueryTerms(("java",), (), "java")
    assert (
        str(highlight("<b>Java</b> & JAVA", terms))
        == "&lt;b&gt;<mark>Java</mark>&lt;/b&gt; &amp; <mark>JAVA</mark>"
    )
    assert str(highlight("ＪＡＶＡ工程师", terms)) == "<mark>ＪＡＶＡ</mark>工程师"  # full-width found too
    assert str(highlight("张三", QueryTerms(("zs",), (), "zs"))) == "<mark>张三</mark>"  # found by pinyin
    long = "甲" * 200 + "关键技术" + "乙" * 200
    cut = str(snippet(long, QueryTerms(("关键技术",), (), "关键技术")))
    assert cut.startswith("…") and cut.endswith("…") and "<mark>关键技术</mark>" in cut and len(cut) < 160


@pytest.mark.django_db
def test_a_record_with_html_in_its_name_is_shown_escaped(search_zone):
    from talentpark.core.search.index import rebuild

    EnterpriseFactory(zone=search_zone.world.zone, name='<img src=x onerror="alert(1)">星火科技有限公司')
    rebuild()
    hit = search(search_zone.world.alice, "星火科技").hits[0]
    assert "<img" not in str(hit.title_html) and "&lt;img" in str(hit.title_html)
    assert "<mark>星火科技</mark>" in str(hit.title_html)
    client = Client()
    client.force_login(search_zone.world.alice)
    body = client.get("/search/", {"q": "星火科技"}).content.decode()
    assert "<img src=x" not in body and "&lt;img" in body


def test_text_normalisation_and_pinyin():
    assert normalize("ＡＢＣ３７０") == "abc370"
    assert alnum_runs("c++ 5.0〔2024〕") == ("c", "5", "0", "2024")
    assert compact_key("鲁擎 重工") == "鲁擎重工"
    assert split_name("欧阳明华") == ("欧阳", "明华") and split_name("张三") == ("张", "三")
    assert pinyin_names("张三", person=True) == (["zhangsan", "zs"], ["zhang", "san"])
    assert pinyin_names("单田芳", person=True)[0] == ["shantianfang", "stf"]  # the surname reading
    assert pinyin_names("Smith") == ([], [])


@pytest.mark.django_db
def test_facets_count_and_filter_the_results(search_zone):
    w = search_zone.world
    results = search(w.alice, "鲁擎重工")
    facets = {f.param: {v.value: v for v in f.values} for f in results.facets}
    chain = str(search_zone.machinery.pk)
    assert facets["chain"][chain].label == "工程机械及智能装备"
    assert facets["role"]["master"].label == "链主企业"
    assert facets["category"]["platform.academician"].label == "院士工作站"
    assert facets["industry"]["35"].label == "专用设备制造业"
    only = search(w.alice, "鲁擎重工", filters={"category": "platform.academician"})
    assert [h.title for h in only.hits] == ["鲁擎重工院士工作站"]
    doctors = search(w.alice, "鲁擎重工", filters={"degree": "11"})
    assert {h.kind for h in doctors.hits} == {"talent", "demand"}
    by_year = search(w.alice, "工作站", filters={"year": "2021"})
    assert [h.title for h in by_year.hits] == ["运河数科博士后科研工作站"]
    talents = search(w.alice, "鲁擎重工", kind="talent")
    assert talents.hits[0].title == "张三" and {h.kind for h in talents.hits} == {"talent"}
    assert talents.total == len(talents.hits)
    assert {k.value for k in talents.kind_counts} >= {"enterprise", "platform", "talent"}


@pytest.mark.django_db
def test_results_are_paginated(search_zone):
    first = search(search_zone.world.alice, "鲁擎重工", page_size=2)
    second = search(search_zone.world.alice, "鲁擎重工", page_size=2, page=2)
    assert len(first.hits) == 2 and len(second.hits) == 2
    assert not {(h.kind, h.object_id) for h in first.hits} & {(h.kind, h.object_id) for h in second.hits}
    assert first.pages == -(-first.total // 2)


@pytest.mark.django_db
def test_the_search_page_shows_typed_highlighted_results_linking_to_records(search_zone):
    client = Client()
    client.force_login(search_zone.world.alice)
    body = client.get("/search/", {"q": "院士工作站"}).content.decode()
    assert f'href="/registry/platform/{search_zone.academician.pk}/"' in body
    assert "<mark>院士工作站</mark>" in body
    assert 'class="badge badge-platform"' in body
    assert "facet-toggle" in body and "院士工作站</a>" in body  # the category facet
    filtered = client.get("/search/", {"q": "鲁擎重工", "kind": "talent"}).content.decode()
    assert f'href="/registry/talent/{search_zone.zhangsan.pk}/"' in filtered
    assert client.get("/search/").status_code == 200
    home = client.get("/").content.decode()
    assert 'class="topsearch"' in home and 'action="/search/"' in home


@pytest.mark.django_db
def test_the_search_page_needs_a_login(search_zone):
    response = Client().get("/search/", {"q": "张三"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Client().get("/api/search", {"q": "张三"}).status_code == 401


@pytest.mark.django_db
def test_the_api_returns_typed_hits_facets_and_kind_counts(search_zone):
    client = Client()
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    data = client.get("/api/search", {"q": "鲁擎重工", "page_size": 3}).json()
    assert data["mode"] in ("and", "or") and data["total"] >= 5 and len(data["items"]) == 3
    first = data["items"][0]
    assert first["kind"] == "enterprise" and first["url"] == f"/registry/enterprise/{search_zone.luqing.pk}/"
    assert "<mark>" in first["snippet"] or "<mark>" in first["title_html"]
    assert {k["value"] for k in data["kinds"]} >= {"enterprise", "platform", "talent"}
    assert "chain" in {f["param"] for f in data["facets"]}
    only = client.get(
        "/api/search", {"q": "鲁擎重工", "kind": "platform", "category": "platform.academician"}
    )
    assert [i["title"] for i in only.json()["items"]] == ["鲁擎重工院士工作站"]
    tina = Client()
    tina.force_login(search_zone.world.tina)
    assert not [i for i in tina.get("/api/search", {"q": "张三"}).json()["items"] if i["kind"] == "talent"]
