"""Broad queries: the top-k cut, bounded counts, facets over what is shown, two-word ranking,
the dictionary warm-up — on SQLite and on PostgreSQL (CI runs this file on both).

The small test zone never reaches the production thresholds, so the tests lower them
(``FULL_SCORING_LIMIT = 0`` sends every query through the top-k cut) and compare with the
full scoring every match gets below them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections import Counter

import pytest

from talentpark.core.search import backends, engine
from talentpark.core.search.engine import search
from talentpark.core.search.index import rebuild
from talentpark.core.search.models import SearchDocument
from talentpark.core.search.segmenter import Segmenter, segmenter
from talentpark.recruitment.models import Position

BROAD = ["工程师", "鲁擎重工", "运河数科", "工作站", "测试", "有限公司", "研发", "zs", "机械工程 博士"]


def _page(results):
    return [(h.kind, h.object_id, h.score) for h in results.hits]


def _full(monkeypatch):
    monkeypatch.setattr(engine, "FULL_SCORING_LIMIT", 10**9)


def _top_k(monkeypatch):
    monkeypatch.setattr(engine, "FULL_SCORING_LIMIT", 0)


@pytest.mark.django_db
@pytest.mark.parametrize("query", BROAD)
def test_the_top_k_cut_returns_the_pages_full_scoring_returns(search_zone, monkeypatch, query):
    alice = search_zone.world.alice
    for page_size, facets in ((2, False), (3, False), (20, True)):
        _full(monkeypatch)
        full = [search(alice, query, page=p, page_size=page_size, with_facets=facets) for p in (1, 2, 3)]
        _top_k(monkeypatch)
        cut = [search(alice, query, page=p, page_size=page_size, with_facets=facets) for p in (1, 2, 3)]
        assert full[0].hits, query
        assert [_page(r) for r in cut] == [_page(r) for r in full], (query, page_size)
        assert cut[0].total == full[0].total and cut[0].total_exact
        assert [(k.value, k.count) for k in cut[0].kind_counts] == [
            (k.value, k.count) for k in full[0].kind_counts
        ]
    for kind in {k.value for k in full[0].kind_counts}:  # each kind's tab too
        _full(monkeypatch)
        expected = _page(search(alice, query, kind=kind, page_size=2))
        _top_k(monkeypatch)
        assert _page(search(alice, query, kind=kind, page_size=2)) == expected, (query, kind)


@pytest.mark.django_db
def test_ties_on_a_rounded_score_break_by_kind_and_id_under_the_cut(search_zone, monkeypatch):
    # 王五 and 王六 are the same record but for the name: equal weight, equal score.
    alice = search_zone.world.alice
    _full(monkeypatch)
    talents = [h for h in search(alice, "运河数科").hits if h.kind == "talent"]
    assert len(talents) >= 2 and talents[0].score == talents[1].score
    for page in (1, 2, 3, 4, 5):
        _full(monkeypatch)
        expected = _page(search(alice, "运河数科", page=page, page_size=1, with_facets=False))
        _top_k(monkeypatch)
        assert _page(search(alice, "运河数科", page=page, page_size=1, with_facets=False)) == expected, page


@pytest.mark.django_db
def test_broad_counts_stop_at_the_cap_and_say_so(search_zone, monkeypatch):
    alice = search_zone.world.alice
    _full(monkeypatch)
    exact = search(alice, "运河数科")
    exact_counts = {k.value: k.count for k in exact.kind_counts}
    _top_k(monkeypatch)
    monkeypatch.setattr(engine, "COUNT_CAP", 1)
    capped = search(alice, "运河数科")
    assert not capped.total_exact and capped.facets_sampled
    assert {k.value: (k.count, k.more) for k in capped.kind_counts} == {
        kind: (min(n, 1), n > 1) for kind, n in exact_counts.items()
    }
    assert capped.total == len(exact_counts)
    assert _page(capped) == _page(exact)  # only the counting is bounded, not the ranking
    from django.test import Client

    client = Client()
    client.force_login(alice)
    assert max(exact_counts.values()) > 1
    body = client.get("/search/", {"q": "运河数科"}).content.decode()
    assert f"找到超过 {capped.total} 条结果" in body and "<small>1+</small>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", [_full, _top_k])
def test_facet_counts_are_what_clicking_the_value_finds(search_zone, monkeypatch, path):
    alice = search_zone.world.alice
    path(monkeypatch)
    results = search(alice, "鲁擎重工")
    assert not results.facets_sampled and results.facets
    for facet in results.facets:
        for value in facet.values:
            narrowed = search(alice, "鲁擎重工", filters={facet.param: value.value})
            assert narrowed.total == value.count, (facet.param, value.value)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [_full, _top_k])
def test_sampled_facets_count_exactly_the_rows_they_say(search_zone, monkeypatch, path):
    alice = search_zone.world.alice
    path(monkeypatch)
    monkeypatch.setattr(engine, "MAX_RESULTS", 4)  # facets over the best 4 results
    results = search(alice, "鲁擎重工", page_size=4)
    assert results.facets_sampled and len(results.hits) == 4
    shown = SearchDocument.objects.filter(
        kind__in={h.kind for h in results.hits}, object_id__in={h.object_id for h in results.hits}
    )
    rows = [d for d in shown if (d.kind, d.object_id) in {(h.kind, h.object_id) for h in results.hits}]
    expected = Counter(d.f_industry for d in rows if d.f_industry)
    industry = next(f for f in results.facets if f.param == "industry")
    assert {v.value: v.count for v in industry.values} == dict(expected)
    chains = Counter(c for d in rows for c in d.f_chains.split())
    chain = next(f for f in results.facets if f.param == "chain")
    assert {v.value: v.count for v in chain.values} == dict(chains)


@pytest.fixture
def medicine_jobs(search_zone):
    """Two positions for "医药 博士": one holds both words in its title but is long (light);
    one holds 医药 in its title and 博士 only as its degree, and is short (heavy)."""
    zone, yunhe = search_zone.world.zone, search_zone.yunhe
    filler = " ".join(str(n) for n in range(100))  # 100 distinct tokens: a light document
    both = Position.objects.create(
        zone=zone,
        enterprise=yunhe,
        title="医药研发博士",
        category=Position.Category.MEDICAL,
        min_degree="21",
        description=filler,
        salary_min=9000,
        salary_max=15000,
        published_on=dt.date(2025, 3, 1),
    )
    one = Position.objects.create(
        zone=zone,
        enterprise=yunhe,
        title="医药代表",
        category=Position.Category.SALES,
        min_degree="11",  # 博士研究生
        salary_min=9000,
        salary_max=15000,
        published_on=dt.date(2025, 3, 1),
    )
    rebuild()
    return both, one


@pytest.mark.django_db
@pytest.mark.parametrize("path", [_full, _top_k])
@pytest.mark.parametrize("query", ["医药 博士", "博士 医药"])
def test_two_words_rank_records_holding_both_in_their_names_first(medicine_jobs, monkeypatch, path, query):
    both, one = medicine_jobs
    path(monkeypatch)
    from talentpark.accounts.models import User

    alice = User.objects.get(username="alice")
    hits = [(h.kind, h.object_id, h.score) for h in search(alice, query).hits]
    ids = [object_id for kind, object_id, _ in hits if kind == "position"]
    assert ids.index(both.pk) < ids.index(one.pk)
    score = {object_id: s for kind, object_id, s in hits if kind == "position"}
    assert score[one.pk] > score[both.pk]  # by score alone the one-word record would lead
    assert hits[0][:2] == ("position", both.pk)
    # One word: score decides.
    single = [h.object_id for h in search(alice, "医药博士").hits if h.kind == "position"]
    assert single.index(one.pk) < single.index(both.pk)


def test_a_query_of_several_words_keeps_each_words_tokens():
    terms = segmenter.query_terms("博士  医药 ")
    assert terms.words == (("博士",), ("医药",))
    assert segmenter.query_terms("博士医药").words == ()
    assert segmenter.query_terms("博士 博士").words == ()  # one word, typed twice


@pytest.mark.django_db(transaction=True)
def test_the_dictionary_loads_in_the_background_when_the_asgi_app_starts(world, monkeypatch):
    from talentpark.core.search import segmenter as module
    from talentpark.registry.tests.factories import EnterpriseFactory

    EnterpriseFactory(zone=world.zone, name="济宁擎天柱液压科技有限公司", short_name="擎天柱液压")
    fresh = Segmenter()
    monkeypatch.setattr(module, "segmenter", fresh)
    assert not fresh.user_words
    started = []
    real = module.warm_up_in_background

    def recording():
        thread = real()
        started.append(thread)
        return thread

    monkeypatch.setattr(module, "warm_up_in_background", recording)
    sys.modules.pop("talentpark.asgi", None)
    importlib.import_module("talentpark.asgi")
    assert len(started) == 1 and started[0].daemon
    started[0].join(timeout=120)
    assert not started[0].is_alive()
    assert "擎天柱液压" in fresh.user_words
    assert fresh.query_terms("擎天柱液压").phrases == ("擎天柱液压",)


def test_django_setup_does_not_load_the_dictionary():
    import subprocess

    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'talentpark.settings');"
        "django.setup();"
        "from talentpark.core.search.segmenter import segmenter;"
        "print(segmenter._jieba is None and not segmenter.user_words)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "True", out.stderr


# -- the per-kind counts ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "tina", "erin", "paul", "pat"])
def test_bounded_counts_are_the_exact_counts_of_what_the_user_may_see(search_zone, monkeypatch, persona):
    """Each kind is counted under its own access condition: below the cap the counts are the
    full scoring's exact counts for every persona; capped, they never exceed what she may see."""
    user = getattr(search_zone.world, persona)
    for query in ("测试", "有限公司", "工程师", "研发", "zs"):
        _full(monkeypatch)
        exact = search(user, query)
        exact_counts = {k.value: k.count for k in exact.kind_counts}
        _top_k(monkeypatch)
        cut = search(user, query)
        assert {k.value: k.count for k in cut.kind_counts} == exact_counts, (persona, query)
        assert cut.total == exact.total and cut.total_exact
        for kind, n in exact_counts.items():  # each kind tab counts the same
            tab = search(user, query, kind=kind)
            assert tab.total == n and _page(tab) == _page(search_full(monkeypatch, user, query, kind))
        monkeypatch.setattr(engine, "COUNT_CAP", 1)
        capped = search(user, query)
        counted = {k.value: (k.count, k.more) for k in capped.kind_counts}
        if exact.mode == "and":
            assert counted == {kind: (1, n > 1) for kind, n in exact_counts.items()}, (persona, query)
        else:  # a capped count keeps to the AND matches (no OR fallback): fewer kinds, never others
            assert counted.keys() <= exact_counts.keys() and all(n == 1 for n, _ in counted.values())
        monkeypatch.setattr(engine, "COUNT_CAP", engine.MAX_RESULTS)


def search_full(monkeypatch, user, query, kind):
    _full(monkeypatch)
    try:
        return search(user, query, kind=kind)
    finally:
        _top_k(monkeypatch)


@pytest.mark.django_db
def test_counts_never_reach_into_another_zone(search_zone, monkeypatch):
    # 外区人 and 长治外区电子 live in the other zone: alice's index rows match, her counts must not.
    alice = search_zone.world.alice
    _top_k(monkeypatch)
    for query in ("外区人", "长治外区电子", "有限公司"):
        matches = SearchDocument.objects.filter(backends.match(segmenter.query_terms(query).required))
        outside = matches.exclude(zone=search_zone.world.zone)
        if query != "有限公司":
            assert outside.exists() and not matches.filter(zone=search_zone.world.zone).exists()
        results = search(alice, query)
        visible = matches.filter(zone=search_zone.world.zone)
        assert results.total <= visible.count(), query
        assert not {(h.kind, h.object_id) for h in results.hits} & set(
            outside.values_list("kind", "object_id")
        )
