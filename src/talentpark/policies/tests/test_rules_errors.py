"""Authoring errors: every problem found, each a Chinese sentence with clause, line and column."""

from __future__ import annotations

import pytest

from talentpark.policies.rules import (
    Catalogue,
    Clause,
    Field,
    Rule,
    RuleError,
    RuleProblem,
    Type,
    check_expression,
    compile_rule,
)
from talentpark.policies.rules.testing import CATALOGUE


def problems(*exprs: str, outcome: str | None = None, outcome_type: Type = Type.NUMBER) -> list[RuleProblem]:
    articles = ["第二条", "第三条", "第四条", "第五条", "第六条"]
    rule = Rule(
        clauses=tuple(Clause(articles[i], "要求", e) for i, e in enumerate(exprs)),
        outcome=outcome,
        outcome_type=outcome_type,
        outcome_article="第七条",
    )
    with pytest.raises(RuleError) as info:
        compile_rule(rule, CATALOGUE)
    assert str(info.value) == "\n".join(p.message for p in info.value.errors)
    return info.value.errors


def only(expr: str) -> RuleProblem:
    (p,) = problems(expr)
    assert p.part == "clause" and p.clause_index == 0
    return p


@pytest.mark.parametrize(
    ("expr", "message", "line", "column", "field"),
    [
        (
            "degre >= 4",
            "条款 1（第二条）第1行第1列：未知字段“degre”，您是否要写“degree”（学历）？",
            1,
            1,
            "degre",
        ),
        (
            "Papers >= 4",
            "条款 1（第二条）第1行第1列：未知字段“Papers”，您是否要写“papers”（论文数）？",
            1,
            1,
            "Papers",
        ),
        ("age >= 4", "条款 1（第二条）第1行第1列：未知字段“age”", 1, 1, "age"),
        (
            'papers == "abc"',
            '条款 1（第二条）第1行第8列：“papers”是整数，不能与文本 "abc" 比较',
            1,
            8,
            "papers",
        ),
        (
            '"abc" == papers',
            '条款 1（第二条）第1行第7列：“papers”是整数，不能与文本 "abc" 比较',
            1,
            7,
            "papers",
        ),
        (
            "papers == name",
            "条款 1（第二条）第1行第8列：“papers”是整数，不能与文本“name”比较",
            1,
            8,
            "papers",
        ),
        (
            "birth_date < 1990",
            "条款 1（第二条）第1行第12列：“birth_date”是日期，不能与整数 1990 比较",
            1,
            12,
            "birth_date",
        ),
        ("(papers > 1))", "条款 1（第二条）第1行第13列：语法错误，此处不应出现“)”", 1, 13, None),
        ("papers >", "条款 1（第二条）第1行第9列：语法错误，表达式不完整", 1, 9, None),
        ("papers > 1 &&\n", "条款 1（第二条）第1行第14列：语法错误，表达式不完整", 1, 14, None),
        ("papers = 1", "条款 1（第二条）第1行第8列：语法错误，此处不应出现“=”；判断相等请写“==”", 1, 8, None),
        (
            "papers > 1 and full_time",
            "条款 1（第二条）第1行第12列：语法错误，此处不应出现“and”；“并且”请写“&&”",
            1,
            12,
            None,
        ),
        (
            "papers > 1 & full_time",
            "条款 1（第二条）第1行第12列：语法错误，此处不应出现“&”；“并且”请写“&&”，“或者”请写“||”",
            1,
            12,
            None,
        ),
        ('name == "abc', "条款 1（第二条）第1行第9列：语法错误，文本缺少结尾的引号", 1, 9, None),
        ("papers # 1", "条款 1（第二条）第1行第8列：语法错误，无法识别的字符“#”", 1, 8, None),
        (
            "论文数 > 1",
            "条款 1（第二条）第1行第1列：语法错误，“论文数”不是字段名，请写“papers”",
            1,
            1,
            "papers",
        ),
        (
            'papers > 1 &&\n  name < "b"',
            "条款 1（第二条）第2行第8列：文本不能比较大小（各数据库的排序规则不同），请改用 ==、!=、in 或 startsWith",
            2,
            8,
            None,
        ),
        (
            "has_patent > full_time",
            "条款 1（第二条）第1行第12列：“是/否”不能比较大小，请改用 == 或 !=",
            1,
            12,
            None,
        ),
        (
            'tier == "F"',
            "条款 1（第二条）第1行第9列：“tier”（人才层次）没有取值“F”，可选值：A、B、C、D、E",
            1,
            9,
            "tier",
        ),
        (
            '"F" != tier',
            "条款 1（第二条）第1行第1列：“tier”（人才层次）没有取值“F”，可选值：A、B、C、D、E",
            1,
            1,
            "tier",
        ),
        (
            'tier in ["A", "F"]',
            "条款 1（第二条）第1行第15列：“tier”（人才层次）没有取值“F”，可选值：A、B、C、D、E",
            1,
            15,
            "tier",
        ),
        (
            '{"A": true, "G": false}[tier]',
            "条款 1（第二条）第1行第13列：“tier”（人才层次）没有取值“G”，可选值：A、B、C、D、E",
            1,
            13,
            "tier",
        ),
        ("papers", "条款 1（第二条）：条件结果必须是“是/否”，此处得到整数", None, None, None),
        ("null", "条款 1（第二条）：条件结果必须是“是/否”，此处得到null", None, None, None),
        ("", "条款 1（第二条）：条件表达式不能为空", None, None, None),
        ("   ", "条款 1（第二条）：条件表达式不能为空", None, None, None),
        ('name + "x" == "y"', "条款 1（第二条）第1行第6列：“+”只能用于数值，“name”是文本", 1, 6, "name"),
        (
            "papers * has_patent > 1",
            "条款 1（第二条）第1行第8列：“*”只能用于数值，“has_patent”是是/否",
            1,
            8,
            "has_patent",
        ),
        ("papers % 2 == 0", "条款 1（第二条）第1行第8列：不支持取余运算“%”", 1, 8, None),
        (
            "salary / 0 > 1",
            "条款 1（第二条）第1行第10列：除数必须是不为零的数值常量，例如 salary / 12",
            1,
            10,
            None,
        ),
        (
            "salary / papers > 1",
            "条款 1（第二条）第1行第10列：除数必须是不为零的数值常量，例如 salary / 12",
            1,
            10,
            None,
        ),
        ("!papers", "条款 1（第二条）第1行第1列：“!”只能用于“是/否”，“papers”是整数", 1, 1, "papers"),
        ('-name == "a"', "条款 1（第二条）第1行第1列：“-”只能用于数值，“name”是文本", 1, 1, "name"),
        (
            "papers > 1 && salary",
            "条款 1（第二条）第1行第15列：“&&”两侧必须是“是/否”，“salary”是数值",
            1,
            15,
            "salary",
        ),
        (
            "papers > null",
            "条款 1（第二条）第1行第8列：null 只能用 == 或 != 判断（例如 x == null）",
            1,
            8,
            None,
        ),
        (
            "papers + null > 1",
            "条款 1（第二条）第1行第10列：“+”的右侧不能使用 null（判断是否为空请写 x == null 或 x != null）",
            1,
            10,
            None,
        ),
        (
            "papers in [1, null]",
            "条款 1（第二条）第1行第15列：in 的列表中不能有 null（判断是否为空请写 x == null）",
            1,
            15,
            None,
        ),
        ("papers in []", "条款 1（第二条）第1行第11列：in 的列表不能为空", 1, 11, None),
        ("papers in [1, degree_level]", "条款 1（第二条）第1行第15列：in 的列表只能包含常量", 1, 15, None),
        (
            'papers in [1, "2"]',
            '条款 1（第二条）第1行第15列：列表中的文本 "2" 与“papers”（整数）类型不一致',
            1,
            15,
            "papers",
        ),
        (
            "papers in degree_level",
            '条款 1（第二条）第1行第11列：in 的右侧必须是常量列表，例如 x in ["A", "B"]',
            1,
            11,
            None,
        ),
        (
            "[1, 2] == papers",
            '条款 1（第二条）第1行第1列：列表只能写在 in 的右侧，例如 x in ["A", "B"]',
            1,
            1,
            None,
        ),
        (
            '{"A": 1} == papers',
            '条款 1（第二条）第1行第1列：映射只能这样使用：{"A": 1, "B": 2}[字段]',
            1,
            1,
            None,
        ),
        ('{"A": 1, "A": 2}[tier] > 0', '条款 1（第二条）第1行第10列：映射的键 "A" 重复', 1, 10, None),
        ("{1.5: 1}[salary] > 0", "条款 1（第二条）第1行第2列：映射的键必须是文本或整数常量", 1, 2, None),
        (
            '{"A": 1}[papers] > 0',
            '条款 1（第二条）第1行第2列：映射的键文本 "A" 与“papers”（整数）类型不一致',
            1,
            2,
            "papers",
        ),
        (
            '{"A": 1, "B": "x"}[tier] > 0',
            '条款 1（第二条）第1行第15列：映射的值类型不一致：整数 1 与文本 "x"',
            1,
            15,
            None,
        ),
        ('{"A": null}[tier] > 0', "条款 1（第二条）第1行第1列：映射的值不能都是 null", 1, 1, None),
        (
            "papers[0] > 1",
            '条款 1（第二条）第1行第1列：只能对映射常量按键取值，例如 {"A": 500000, "B": 300000}[tier]',
            1,
            1,
            None,
        ),
        (
            'has_patent ? 1 : "a"',
            '条款 1（第二条）第1行第14列：条件运算的两个分支类型不一致：整数 1 与文本 "a"',
            1,
            14,
            None,
        ),
        (
            "has_patent ? null : null",
            "条款 1（第二条）第1行第14列：条件运算的两个分支不能都是 null",
            1,
            14,
            None,
        ),
        (
            "papers ? true : false",
            "条款 1（第二条）第1行第1列：条件运算“? :”的条件必须是“是/否”，此处得到整数",
            1,
            1,
            None,
        ),
        (
            "size(name) > 1",
            "条款 1（第二条）第1行第1列：不支持函数“size”，可用的函数：min、max、date，以及文本的 startsWith",
            1,
            1,
            None,
        ),
        (
            "abs(papers) > 1",
            "条款 1（第二条）第1行第1列：不支持函数“abs”，可用的函数：min、max、date，以及文本的 startsWith",
            1,
            1,
            None,
        ),
        ("name.exists(x, x == 1)", "条款 1（第二条）第1行第5列：不支持宏“.exists()”", 1, 5, None),
        (
            'name.endsWith("x")',
            "条款 1（第二条）第1行第5列：不支持方法“.endsWith()”，文本只能用 startsWith",
            1,
            5,
            None,
        ),
        (
            'papers.startsWith("x")',
            "条款 1（第二条）第1行第7列：startsWith 只能用于文本，“papers”是整数",
            1,
            7,
            "papers",
        ),
        (
            "name.startsWith(tier)",
            '条款 1（第二条）第1行第5列：startsWith 需要一个文本常量参数，例如 industry.startsWith("39")',
            1,
            5,
            None,
        ),
        ("name.first == 1", "条款 1（第二条）第1行第5列：不支持字段选择“.first”", 1, 5, None),
        (
            "min(papers) > 1",
            "条款 1（第二条）第1行第1列：min 需要两个参数，例如 min(salary * 0.5, 500000)",
            1,
            1,
            None,
        ),
        (
            "max(papers, name) > 1",
            "条款 1（第二条）第1行第13列：max 的参数必须是数值，“name”是文本",
            1,
            13,
            "name",
        ),
        (
            "date(name) < today",
            '条款 1（第二条）第1行第1列：date 需要一个日期文本常量，例如 date("2024-01-01")',
            1,
            1,
            None,
        ),
        (
            'date("2024-02-30") < today',
            "条款 1（第二条）第1行第6列：“2024-02-30”不是有效的日期，请写成“2024-01-01”的形式",
            1,
            6,
            None,
        ),
        (
            'date("20240101") < today',
            "条款 1（第二条）第1行第6列：“20240101”不是有效的日期，请写成“2024-01-01”的形式",
            1,
            6,
            None,
        ),
        ("papers > 1u", "条款 1（第二条）第1行第10列：不支持无符号整数，请去掉末尾的“u”", 1, 10, None),
        ('name == b"x"', "条款 1（第二条）第1行第9列：不支持字节串", 1, 9, None),
        (
            "papers > 99999999999999999999",
            "条款 1（第二条）第1行第10列：整数 99999999999999999999 超出范围",
            1,
            10,
            None,
        ),
        ("salary > 1e999", "条款 1（第二条）第1行第10列：数值 1e999 超出范围", 1, 10, None),
        (".papers > 1", "条款 1（第二条）第1行第1列：不支持以“.”开头的名称", 1, 1, None),
        ("Msg{a: 1} == 1", "条款 1（第二条）第1行第1列：不支持对象构造", 1, 1, None),
    ],
)
def test_error_message(
    expr: str, message: str, line: int | None, column: int | None, field: str | None
) -> None:
    p = only(expr)
    assert p.message == message
    assert (p.line, p.column, p.field, p.attribute) == (line, column, field, "expr")


def test_every_problem_is_reported() -> None:
    errors = problems('degre >= 4 && tier == "F"', "papers > 1", 'name < "a"', outcome="salary > 1")
    assert [(p.part, p.clause_index, p.column) for p in errors] == [
        ("clause", 0, 1),
        ("clause", 0, 23),
        ("clause", 2, 6),
        ("outcome", None, None),
    ]
    assert errors[3].message == "金额公式：结果必须是数值（金额），此处得到是/否"


def test_outcome_problems_are_located() -> None:
    (p,) = problems("papers > 1", outcome='min(papers, "abc")')
    assert p.message == '金额公式 第1行第13列：min 的参数必须是数值，"abc" 是文本'
    assert (p.part, p.clause_index, p.line, p.column) == ("outcome", None, 1, 13)
    (p,) = problems("papers > 1", outcome="papers > 1 ? 1 : 2", outcome_type=Type.STRING)
    assert p.message == "层次公式：结果必须是文本，此处得到整数"


def test_rule_level_problems() -> None:
    with pytest.raises(RuleError) as info:
        compile_rule(Rule(clauses=()), CATALOGUE)
    assert [p.message for p in info.value.errors] == ["规则至少需要一个条款"]
    with pytest.raises(RuleError) as info:
        compile_rule(
            Rule(clauses=(Clause(" ", "", "papers > 1"),), outcome="papers * 100", outcome_article=""),
            CATALOGUE,
        )
    assert [(p.message, p.attribute) for p in info.value.errors] == [
        ("条款 1：请填写条款依据的政策条文，例如“第三条”", "article"),
        ("条款 1：请用一句话写明条款的要求，例如“具有博士研究生学历”", "text"),
        ("金额公式：请填写金额或层次依据的政策条文，例如“第七条”", "article"),
    ]
    with pytest.raises(RuleError) as info:
        compile_rule(
            Rule(
                clauses=(Clause("第一条", "x", "true"),),
                outcome="today",
                outcome_type=Type.DATE,
                outcome_article="第二条",
            ),
            CATALOGUE,
        )
    assert [(p.message, p.attribute) for p in info.value.errors] == [
        ("结果类型只能是数值（金额）或文本（层次）", "outcome_type")
    ]


def test_blank_outcome_means_none() -> None:
    rule = compile_rule(Rule(clauses=(Clause("第一条", "x", "true"),), outcome="  "), CATALOGUE)
    assert rule.outcome_expr is None


def test_check_expression_for_live_editing() -> None:
    assert check_expression("papers >= 1", CATALOGUE, Type.BOOL) == []
    assert check_expression("salary * 0.5", CATALOGUE, Type.NUMBER) == []
    assert check_expression('"A"', CATALOGUE, Type.STRING) == []
    (p,) = check_expression("papers >= 1 &&\n  degre", CATALOGUE, Type.BOOL)
    assert p.message == "第2行第3列：未知字段“degre”，您是否要写“degree”（学历）？"
    assert (p.part, p.clause_index, p.line, p.column, p.field) == ("clause", None, 2, 3, "degre")
    (p,) = check_expression("papers >= 1", CATALOGUE, Type.NUMBER)
    assert p.message == "结果必须是数值（金额），此处得到是/否"
    assert p.part == "outcome"
    (p,) = check_expression("", CATALOGUE, Type.NUMBER)
    assert p.message == "公式不能为空"


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    expr = "(" * 3000 + "true" + ")" * 3000
    (p,) = check_expression(expr, CATALOGUE, Type.BOOL)
    assert "嵌套过深" in p.message


def test_column_counts_characters_not_bytes() -> None:
    (p,) = check_expression('name == "张三" && papres > 1', CATALOGUE, Type.BOOL)
    assert p.column == 17


def test_today_is_reserved_and_date_typed() -> None:
    assert check_expression('today > date("2020-01-01")', CATALOGUE, Type.BOOL) == []
    (p,) = check_expression("today > 1", CATALOGUE, Type.BOOL)
    assert p.message == "第1行第7列：“today”是日期，不能与整数 1 比较"


def test_catalogue_without_choices_accepts_any_string() -> None:
    cat = Catalogue.of("enterprise", "企业", [Field("scale", Type.STRING, "规模")])
    assert check_expression('scale == "巨型"', cat, Type.BOOL) == []


# -- coded fields: a value the data cannot hold is an authoring error ------------------------------

INDUSTRIES = frozenset({"C", "39", "391", "3911", "3914", "I", "65", "651", "6511"})
CODED = Catalogue.of(
    "enterprise",
    "企业",
    [
        Field(
            "industry",
            Type.STRING,
            "行业代码",
            codes=INDUSTRIES,
            code_form="门类为一个字母，大类、中类、小类分别为 2、3、4 位数字",
            code_examples=("3911", "39", "C"),
        ),
        Field("degree", Type.STRING, "最高学历", choices=("本科", "硕士", "博士")),
        Field("note", Type.STRING, "备注"),
    ],
)
FORM = "门类为一个字母，大类、中类、小类分别为 2、3、4 位数字，例如 3911、39、C"


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            'industry == "C39"',
            f"第1行第13列：“industry”（行业代码）没有代码“C39”：{FORM}；您是否要写“39”？"
            '（含其下各级代码请写 industry.startsWith("39")）',
        ),
        (
            '"C3911" != industry',
            f"第1行第1列：“industry”（行业代码）没有代码“C3911”：{FORM}；您是否要写“3911”？",
        ),
        (
            'industry in ["3911", "c"]',
            f"第1行第22列：“industry”（行业代码）没有代码“c”：{FORM}；您是否要写“C”？",
        ),
        ('industry == "3999"', f"第1行第13列：“industry”（行业代码）没有代码“3999”：{FORM}"),
        (
            '{"3911": 1, "C39": 2}[industry] > 0',
            f"第1行第13列：“industry”（行业代码）没有代码“C39”：{FORM}；您是否要写“39”？"
            '（含其下各级代码请写 industry.startsWith("39")）',
        ),
        (
            'industry.startsWith("C39")',
            f'第1行第21列：“industry”（行业代码）没有以“C39”开头的代码，{FORM}；您是否要写 industry.startsWith("39")？',
        ),
        ('industry.startsWith("7")', f"第1行第21列：“industry”（行业代码）没有以“7”开头的代码，{FORM}"),
        ('degree == "大学"', "第1行第11列：“degree”（最高学历）没有取值“大学”，可选值：本科、硕士、博士"),
        (
            'degree in ["博士", "硕士研究生"]',
            "第1行第18列：“degree”（最高学历）没有取值“硕士研究生”，可选值：本科、硕士、博士；您是否要写“硕士”？",
        ),
        (
            'degree.startsWith("大")',
            "第1行第19列：“degree”（最高学历）没有以“大”开头的取值，可选值：本科、硕士、博士",
        ),
    ],
)
def test_a_coded_field_compared_with_a_value_it_cannot_hold_is_refused(expr: str, message: str) -> None:
    problems = check_expression(expr, CODED, Type.BOOL)
    assert [p.message for p in problems] == [message]
    assert problems[0].field == ("degree" if "degree" in expr else "industry")


def test_a_rule_with_an_impossible_code_does_not_compile_and_names_the_field() -> None:
    rule = Rule(
        clauses=(Clause("第三条", "属于计算机制造业", 'industry in ["C39", "C391"]'),),
        outcome='industry.startsWith("39") ? 100000 : 50000',
        outcome_article="第四条",
    )
    with pytest.raises(RuleError) as exc:
        compile_rule(rule, CODED)
    assert [(p.part, p.clause_index, p.field, p.column) for p in exc.value.errors] == [
        ("clause", 0, "industry", 14),
        ("clause", 0, "industry", 21),
    ]
    assert exc.value.errors[0].message.startswith(
        "条款 1（第三条）第1行第14列：“industry”（行业代码）没有代码“C39”"
    )


def test_codes_the_data_holds_and_free_text_are_accepted() -> None:
    for expr in (
        'industry == "3911"',
        'industry in ["C", "39", "6511"]',
        'industry != "I"',
        'industry.startsWith("39") || industry.startsWith("65")',
        'industry.startsWith("")',
        'degree in ["博士", "硕士"]',
        'degree.startsWith("博")',
        'note == "C39"',
        'note.startsWith("任意")',
    ):
        assert check_expression(expr, CODED, Type.BOOL) == [], expr


def test_a_code_table_needs_its_form_and_real_examples() -> None:
    with pytest.raises(ValueError, match="form and examples"):
        Field("industry", Type.STRING, "行业代码", codes=INDUSTRIES)
    with pytest.raises(ValueError, match="examples not in the code table"):
        Field("industry", Type.STRING, "行业代码", codes=INDUSTRIES, code_form="…", code_examples=("C39",))
    with pytest.raises(ValueError, match="choices or codes"):
        Field("n", Type.INT, "数", codes=INDUSTRIES, code_form="…", code_examples=("39",))
