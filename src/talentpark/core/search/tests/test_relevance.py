"""A fixed Chinese query set and the records it must put first — on SQLite and on PostgreSQL.

CI runs this file twice (with and without ``DATABASE_URL``): the same expectations, and the
same full top-5 lists in ``GOLDEN``, prove both vendors rank alike.
"""

from __future__ import annotations

import pytest

from talentpark.core.search.engine import search

pytestmark = pytest.mark.django_db

# query → (kind, title) of the first result, searched by the office (alice).
EXPECTED_FIRST = {
    "院士工作站": ("platform", "鲁擎重工院士工作站"),
    "鲁擎重工": ("enterprise", "山东鲁擎重工机械股份有限公司"),
    "运河数科": ("enterprise", "济宁运河数字科技集团有限公司"),
    "山东鲁擎重工机械股份有限公司": ("enterprise", "山东鲁擎重工机械股份有限公司"),
    "lqzg": ("enterprise", "山东鲁擎重工机械股份有限公司"),
    "luqingzhonggong": ("enterprise", "山东鲁擎重工机械股份有限公司"),
    "张三": ("talent", "张三"),
    "zs": ("talent", "张三"),
    "zhangsan": ("talent", "张三"),
    "ZhangSan": ("talent", "张三"),
    "zhang san": ("talent", "张三"),
    "lisi": ("talent", "李四"),
    "唐娜": ("talent", "唐娜"),
    "安家补贴": ("policy", "测试高新区青年人才安家补贴实施细则"),
    "济高新发〔2024〕12号": ("policy", "测试高新区青年人才安家补贴实施细则"),
    "java工程师": ("position", "Java开发工程师"),
    "ＪＡＶＡ 开发": ("position", "Java开发工程师"),
    "博士后科研工作站": ("platform", "运河数科博士后科研工作站"),
    "孵化器": ("platform", "测试高新区智能制造科技企业孵化器"),
    "盾构机": ("project", "盾构机主驱动减速机关键技术研究"),
    "液压 研发": ("demand", "液压系统研发人才"),
}


@pytest.mark.parametrize("query", list(EXPECTED_FIRST))
def test_the_expected_record_comes_first(search_zone, query):
    results = search(search_zone.world.alice, query)
    assert results.hits, query
    first = results.hits[0]
    assert (first.kind, first.title) == EXPECTED_FIRST[query]


# The whole top 5 (kind, title) of a few queries with several matches and ties: the order
# must be the same on both vendors, so these lists are checked on SQLite and on PostgreSQL.
GOLDEN = {
    "鲁擎重工": [
        ("enterprise", "山东鲁擎重工机械股份有限公司"),
        ("platform", "鲁擎重工院士工作站"),
        ("demand", "液压系统研发人才"),
        ("project", "盾构机主驱动减速机关键技术研究"),
        ("talent", "张三"),
    ],
    "工作站": [
        ("platform", "鲁擎重工院士工作站"),
        ("platform", "运河数科博士后科研工作站"),
        ("policy", "测试高新区青年人才安家补贴实施细则"),
    ],
    "工程师": [
        ("position", "Java开发工程师"),
        ("talent", "王五"),  # ties with 王六: kind, then object id, decide
        ("talent", "王六"),
        ("talent", "李四"),
        ("platform", "鲁擎重工院士工作站"),
    ],
    "运河数科": [
        ("enterprise", "济宁运河数字科技集团有限公司"),
        ("platform", "运河数科博士后科研工作站"),
        ("talent", "王五"),
        ("talent", "王六"),
        ("position", "Java开发工程师"),
    ],
    "测试工程师": [  # OR mode: records holding both tokens first, then by score
        ("talent", "王五"),
        ("talent", "王六"),
        ("position", "Java开发工程师"),
        ("talent", "李四"),
        ("enterprise", "济宁测试重工股份有限公司"),  # the world's employer: 测试 in its name
    ],
}


@pytest.mark.parametrize("query", list(GOLDEN))
def test_the_top_five_are_the_same_on_every_vendor(search_zone, query):
    hits = search(search_zone.world.alice, query).hits[:5]
    assert [(h.kind, h.title) for h in hits] == GOLDEN[query]


def test_a_doctor_of_mechanical_engineering_and_a_demand_for_one_lead(search_zone):
    hits = search(search_zone.world.alice, "机械工程 博士").hits
    assert {(h.kind, h.title) for h in hits[:2]} == {("talent", "张三"), ("demand", "液压系统研发人才")}


def test_a_token_no_record_holds_is_ignored_not_fatal(search_zone):
    results = search(search_zone.world.alice, "张三 xyzzy")
    assert results.ignored == ["xyzzy"]
    assert results.hits[0].title == "张三"


def test_and_first_then_or_when_too_few_match(search_zone):
    both = search(search_zone.world.alice, "张三 鲁擎重工")
    assert both.mode == "or"  # one AND match is less than a page
    assert (both.hits[0].kind, both.hits[0].title) == ("talent", "张三")  # holds every term: first
    assert {h.title for h in both.hits} >= {"山东鲁擎重工机械股份有限公司", "鲁擎重工院士工作站"}
    many = search(search_zone.world.alice, "鲁擎重工", page_size=2)
    assert many.mode == "and" and many.total > 2


def test_a_user_dictionary_term_ranks_records_that_hold_it_whole(search_zone):
    # 院士工作站 is a zone term: the academician workstation holds it whole and comes first,
    # while the postdoc station (工作站 without 院士) is not an AND match.
    results = search(search_zone.world.alice, "院士工作站")
    titles = [h.title for h in results.hits]
    assert titles[0] == "鲁擎重工院士工作站"
    assert "<mark>院士工作站</mark>" in str(results.hits[0].snippet)
