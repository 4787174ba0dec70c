"""The field catalogue: every registry fact a policy rule may read, by a stable name.

Each field has a type and a Chinese label (``rules.schema.Field``) and, here, the SQL
that computes it from the registry tables for one record, per database vendor. The
same SQL feeds all three engines: compiled SQL runs on it in place, the per-record
Python engine and Polars read its rows. ``{T}`` in a template is the as-of date
literal and ``{T-<n>y}`` the day from which ``n`` whole years have passed on it, computed in
Python (never the vendors' date arithmetic, which disagrees on 29 February); derived tables
(``joins``) are added only when a referenced field needs them.
Facts from a person's child rows (family, education) are correlated subqueries, so a
query computes them only for the rows its other conditions keep, through the
``person_id`` index.

A field may also offer a *rewrite* (``rules.sql``): SQL on the raw columns that is true
exactly when a comparison of the field with literals is, used when filtering —
``t.tier IN ('A', 'B')`` rather than a test on the CASE that hides expired tiers,
``p.birth_date > DATE '1990-11-22'`` rather than ``age <= 35`` computed for every row.

``docs/policy-rules.md`` renders this catalogue for the office (``talentpark
policy_catalogue``); keep labels and descriptions plain Chinese.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from talentpark.core import codetables
from talentpark.policies.rules import Rewrite
from talentpark.policies.rules.schema import Catalogue, Field, Type

Vendor = str  # "sqlite" | "postgresql"
RewriteFactory = Callable[[Vendor, dt.date], Rewrite]


@dataclass(frozen=True)
class Source:
    field: Field
    sql: str | dict[Vendor, str]
    joins: tuple[str, ...] = ()
    rewrite: RewriteFactory | None = None
    # The same value through a derived table, for queries that compute the field for every
    # record: there PostgreSQL runs one GROUP BY over the child table 1.8x faster than a
    # subquery per row; SQLite is faster per row (docs/benchmarks.md).
    bulk: tuple[str | dict[Vendor, str], tuple[str, ...]] | None = None

    def expr(self, vendor: Vendor, bulk: bool = False) -> str:
        sql = self.bulk[0] if bulk and self.bulk is not None else self.sql
        return sql if isinstance(sql, str) else sql[vendor]

    def joins_for(self, bulk: bool = False) -> tuple[str, ...]:
        return self.bulk[1] if bulk and self.bulk is not None else self.joins


# -- rewrites (see the module docstring) ---------------------------------------------------

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda value, values: value in values,
}


def _holds(op: str, value: Any, literal: Any) -> bool:
    return bool(_COMPARE[op](value, literal))


def _quote(code: str | int) -> str:
    return str(code) if isinstance(code, int) else "'" + code.replace("'", "''") + "'"


def _codes(column: str, mapping: Sequence[tuple[str, Any]], default: Any = None) -> RewriteFactory:
    """A field that maps the codes of one column to values: ``column IN (codes that pass)``.
    Not rewritten when the value of unlisted codes (``default``, None for null) would pass."""

    def factory(vendor: Vendor, today: dt.date) -> Rewrite:
        def rewrite(op: str, literal: object) -> str | None:
            try:
                if default is not None and _holds(op, default, literal):
                    return None
                codes = [code for code, value in mapping if _holds(op, value, literal)]
            except TypeError:
                return None
            if not codes:
                return "1 = 0"
            return f"{column} IN ({', '.join(_quote(c) for c in codes)})"

        return rewrite

    return factory


def _tier(vendor: Vendor, today: dt.date) -> Rewrite:
    """The tier's code, and only while the certification is valid."""
    codes = _codes("t.tier", [(code, code) for code in TIERS])(vendor, today)
    valid = f"(t.tier_valid_until IS NULL OR t.tier_valid_until >= {today_literal(vendor, today)})"

    def rewrite(op: str, literal: object) -> str | None:
        test = codes(op, literal)
        return None if test is None else f"{test} AND {valid}"

    return rewrite


def _anniversary(today: dt.date, years: int) -> dt.date | None:
    """The latest date from which ``years`` whole years have passed on ``today`` (29 Feb → 28 Feb)."""
    year = today.year - years
    if not 1 <= year <= 9999:
        return None
    try:
        return today.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def _whole_years(on_or_before: Callable[[str], str], after: Callable[[str], str]) -> RewriteFactory:
    """A count of whole years since a date: ``years >= n`` is ``date <= anniversary(n)``.

    ``on_or_before(lit)`` / ``after(lit)`` give SQL true exactly when the date is on or before /
    after a date literal (null date: neither)."""

    def factory(vendor: Vendor, today: dt.date) -> Rewrite:
        def cut(n: int) -> str | None:
            day = _anniversary(today, n)
            return None if day is None else today_literal(vendor, day)

        def rewrite(op: str, literal: object) -> str | None:
            if isinstance(literal, bool) or not isinstance(literal, int):
                return None
            n = literal
            at_least_n, at_least_next = cut(n), cut(n + 1)
            if at_least_n is None or at_least_next is None:
                return None
            if op == ">=":
                return on_or_before(at_least_n)
            if op == ">":
                return on_or_before(at_least_next)
            if op == "<":
                return after(at_least_n)
            if op == "<=":
                return after(at_least_next)
            if op == "==":
                return f"{on_or_before(at_least_n)} AND {after(at_least_next)}"
            return None

        return rewrite

    return factory


def _column_years(column: str) -> RewriteFactory:
    return _whole_years(lambda lit: f"{column} <= {lit}", lambda lit: f"{column} > {lit}")


def _latest_years(rows: str, column: str) -> RewriteFactory:
    """Whole years since the latest ``column`` of a person's child ``rows`` (``… WHERE`` prefix)."""
    return _whole_years(
        lambda lit: f"EXISTS ({rows} AND {column} IS NOT NULL) AND NOT EXISTS ({rows} AND {column} > {lit})",
        lambda lit: f"EXISTS ({rows} AND {column} > {lit})",
    )


def _years(vendor_expr_start: str) -> dict[Vendor, str]:
    """Completed years from a date column to the as-of date (age-style; a later date counts back:
    the day before is -1 on both vendors, where PostgreSQL's ``age()`` would say 0)."""
    c = vendor_expr_start
    return {
        "sqlite": (
            f"(CAST(substr({{T}},1,4) AS INTEGER) - CAST(substr({c},1,4) AS INTEGER)"
            f" - (substr({{T}},6,5) < substr({c},6,5)))"
        ),
        "postgresql": (
            f"(CAST(date_part('year', {{T}}) AS INTEGER) - CAST(date_part('year', {c}) AS INTEGER)"
            f" - CASE WHEN date_part('month', {c}) * 100 + date_part('day', {c})"
            f" > date_part('month', {{T}}) * 100 + date_part('day', {{T}}) THEN 1 ELSE 0 END)"
        ),
    }


def _case(column: str, mapping: Sequence[tuple[str, str | int]], default: str = "NULL") -> str:
    whens = " ".join(f"WHEN '{k}' THEN " + (f"'{v}'" if isinstance(v, str) else str(v)) for k, v in mapping)
    return f"CASE {column} {whens} ELSE {default} END"


DEGREES = (("31", "专科"), ("21", "本科"), ("14", "硕士"), ("11", "博士"), ("PD", "博士后"))
TITLES = (("4", "初级"), ("3", "中级"), ("2", "副高级"), ("1", "正高级"))
PROGRAMMES = (("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"), ("zone", "区级"))
HOUSING = (
    ("owned", "自有住房"),
    ("rented", "租房"),
    ("apartment", "人才公寓"),
    ("dormitory", "单位宿舍"),
    ("none", "暂无住房"),
)
SCALES = (("large", "大型"), ("medium", "中型"), ("small", "小型"), ("micro", "微型"))
CHAIN_ROLES = ((1, "链主"), (2, "龙头"), (3, "配套"))
TIERS = ("A", "B", "C", "D", "E")

# GB/T 4754-2017 industries as the registry stores them (``registry_enterprise.industry_id``, a
# key of ``core_industry``, loaded from this file): the code of the level chosen at registration,
# a section letter ("C") or 2, 3 or 4 digits ("39", "391", "3911") — never the letter and digits
# together ("C39"), the way the standard's tables print a division.
INDUSTRY_CODES = frozenset(row["code"] for row in codetables.read("industries_gb4754_2017.json"))
INDUSTRY_FORM = (
    "GB/T 4754-2017 行业代码：门类为一个字母，大类、中类、小类分别为 2、3、4 位数字（不带门类字母）"
)
INDUSTRY_EXAMPLES = ("3911", "391", "39", "C")


def _industry(name: str, label: str) -> Field:
    return Field(
        name,
        Type.STRING,
        label,
        f'企业登记时选定层级的行业代码；某大类及其下各级请写 {name}.startsWith("39")',
        codes=INDUSTRY_CODES,
        code_form=INDUSTRY_FORM,
        code_examples=INDUSTRY_EXAMPLES,
    )


def _labels(pairs: Iterable[tuple[object, str]]) -> tuple[str, ...]:
    return tuple(label for _, label in pairs)


_DEGREE_LEVELS = [(k, i + 1) for i, (k, _) in enumerate(DEGREES)]
_TITLE_LEVELS = [(k, i + 1) for i, (k, _) in enumerate(TITLES)]
_SKILL_LEVELS = [("5", 1), ("4", 2), ("3", 3), ("2", 4), ("1", 5)]


_CHAIN_ROLE_SQL = "CASE {c} WHEN 1 THEN '链主' WHEN 2 THEN '龙头' WHEN 3 THEN '配套' END"

# Derived tables, one row per key, joined only when a field needs them.
TALENT_JOINS: dict[str, str | dict[Vendor, str]] = {
    "e": "LEFT JOIN registry_enterprise e ON e.id = t.employer_id",
    "cr": (
        "LEFT JOIN (SELECT enterprise_id, MIN(CASE role WHEN 'master' THEN 1 WHEN 'leading' THEN 2"
        " ELSE 3 END) AS r FROM registry_enterprisechainrole GROUP BY enterprise_id) cr"
        " ON cr.enterprise_id = t.employer_id"
    ),
    # Bulk loading only (``Source.bulk``).
    "ed": (
        "LEFT JOIN (SELECT ed.person_id, MAX(ed.graduated_on) AS g,"
        " MAX(CASE WHEN u.is_985 OR u.is_211 OR u.is_double_first_class THEN 1 ELSE 0 END) AS top"
        " FROM registry_education ed JOIN core_university u ON u.id = ed.university_id"
        " GROUP BY ed.person_id) ed ON ed.person_id = t.person_id"
    ),
    "fam": (
        "LEFT JOIN (SELECT person_id,"
        " SUM(CASE WHEN relation = 'child' THEN 1 ELSE 0 END) AS kids,"
        " SUM(CASE WHEN relation = 'child' AND birth_date > {T-18y} THEN 1 ELSE 0 END) AS minors,"
        " MAX(CASE WHEN relation = 'child' THEN birth_date END) AS youngest,"
        " MAX(CASE WHEN relation = 'spouse' THEN 1 ELSE 0 END) AS spouse,"
        " MAX(CASE WHEN relation = 'spouse' AND employment = 'seeking' THEN 1 ELSE 0 END) AS seeking"
        " FROM registry_familymember GROUP BY person_id) fam ON fam.person_id = t.person_id"
    ),
}

# A person's child rows, as the start of a correlated subquery (``… AND condition``).
_EDUCATION = "SELECT 1 FROM registry_education x WHERE x.person_id = t.person_id"
_FAMILY = "SELECT 1 FROM registry_familymember f WHERE f.person_id = t.person_id"
_CHILDREN = _FAMILY + " AND f.relation = 'child'"
_LATEST_GRADUATION = "(SELECT MAX(x.graduated_on) FROM registry_education x WHERE x.person_id = t.person_id)"


def _years_in(rows: str, column: str) -> dict[Vendor, str]:
    """Whole years since the latest ``column`` of a person's child rows, computed inside the
    subquery (so the aggregate runs once, not once per use in the year arithmetic)."""
    return {
        vendor: f"(SELECT {sql} FROM {rows})"  # noqa: S608 — constants only
        for vendor, sql in _years(f"MAX({column})").items()
    }


# Under 18: fewer than 18 whole years since the birth date, i.e. born after the day from which 18
# whole years have passed (``{T-18y}``, computed in Python like every cut-off: from 29 February
# SQLite's ``date(x, '-18 years')`` lands on 1 March, so a child born on 1 March who is 17 would
# count as an adult there; PostgreSQL's interval lands on 28 February, the calendar's answer).
_MINORS = (
    "(SELECT COUNT(*) FROM registry_familymember f WHERE f.person_id = t.person_id"
    " AND f.relation = 'child' AND f.birth_date > {T-18y})"
)

TALENT_SOURCES: tuple[Source, ...] = (
    Source(
        Field("degree", Type.STRING, "最高学历", "国民教育最高学历（含博士后）", _labels(DEGREES)),
        _case("p.highest_degree", DEGREES),
        rewrite=_codes("p.highest_degree", DEGREES),
    ),
    Source(
        Field("degree_level", Type.INT, "学历等级", "专科=1，本科=2，硕士=3，博士=4，博士后=5"),
        _case("p.highest_degree", _DEGREE_LEVELS),
        rewrite=_codes("p.highest_degree", _DEGREE_LEVELS),
    ),
    Source(
        Field("title", Type.STRING, "专业技术职称", "", ("无", *_labels(TITLES))),
        _case("t.professional_title", TITLES, "'无'"),
        rewrite=_codes("t.professional_title", TITLES, "无"),
    ),
    Source(
        Field("title_level", Type.INT, "职称等级", "无=0，初级=1，中级=2，副高级=3，正高级=4"),
        _case("t.professional_title", _TITLE_LEVELS, "0"),
        rewrite=_codes("t.professional_title", _TITLE_LEVELS, 0),
    ),
    Source(
        Field("skill_level", Type.INT, "职业技能等级", "无=0，五级/初级工=1 … 一级/高级技师=5"),
        _case("t.skill_level", _SKILL_LEVELS, "0"),
        rewrite=_codes("t.skill_level", _SKILL_LEVELS, 0),
    ),
    Source(
        Field("programme", Type.STRING, "入选人才计划", "最高级别的人才计划", ("无", *_labels(PROGRAMMES))),
        _case("t.programme_level", PROGRAMMES, "'无'"),
        rewrite=_codes("t.programme_level", PROGRAMMES, "无"),
    ),
    Source(
        Field("tier", Type.STRING, "人才层次", "人才认定层次；未认定或已过有效期为空", TIERS),
        "CASE WHEN t.tier <> '' AND (t.tier_valid_until IS NULL OR t.tier_valid_until >= {T})"
        " THEN t.tier END",
        rewrite=_tier,
    ),
    Source(Field("tier_valid_until", Type.DATE, "认定有效期至"), "t.tier_valid_until"),
    Source(
        Field("age", Type.INT, "年龄", "按计算日的周岁", unit="岁"),
        _years("p.birth_date"),
        rewrite=_column_years("p.birth_date"),
    ),
    Source(
        Field("sex", Type.STRING, "性别", "", ("男", "女")),
        "CASE p.sex WHEN 'M' THEN '男' WHEN 'F' THEN '女' END",
    ),
    Source(Field("zone_entry_date", Type.DATE, "入区时间"), "t.zone_entry_date"),
    Source(
        Field("years_in_zone", Type.INT, "入区年限", "自入区之日起满的整年数", unit="年"),
        _years("t.zone_entry_date"),
        rewrite=_column_years("t.zone_entry_date"),
    ),
    Source(Field("is_returnee", Type.BOOL, "留学归国人员"), "p.is_returnee"),
    Source(Field("hukou_in_zone", Type.BOOL, "户籍已迁入园区"), "p.hukou_in_zone"),
    Source(Field("graduated_on", Type.DATE, "最近毕业时间"), _LATEST_GRADUATION, bulk=("ed.g", ("ed",))),
    Source(
        Field("years_since_graduation", Type.INT, "毕业年限", "自最近一次毕业满的整年数", unit="年"),
        _years_in("registry_education x WHERE x.person_id = t.person_id", "x.graduated_on"),
        rewrite=_latest_years(_EDUCATION, "x.graduated_on"),
        bulk=(_years("ed.g"), ("ed",)),
    ),
    Source(
        Field("top_university", Type.BOOL, "毕业于985/211/双一流院校"),
        "EXISTS (SELECT 1 FROM registry_education x JOIN core_university u ON u.id = x.university_id"
        " WHERE x.person_id = t.person_id AND (u.is_985 OR u.is_211 OR u.is_double_first_class))",
        bulk=("(COALESCE(ed.top, 0) = 1)", ("ed",)),
    ),
    Source(
        Field("housing", Type.STRING, "住房情况", "", _labels(HOUSING)),
        _case("t.housing", HOUSING),
        rewrite=_codes("t.housing", HOUSING),
    ),
    Source(Field("has_employer", Type.BOOL, "已在区内企业就业"), "(t.employer_id IS NOT NULL)"),
    Source(Field("employer_key", Type.BOOL, "工作单位为重点企业"), "e.is_key", ("e",)),
    Source(Field("employer_high_tech", Type.BOOL, "工作单位为高新技术企业"), "e.is_high_tech", ("e",)),
    Source(
        Field("employer_scale", Type.STRING, "工作单位规模", "", _labels(SCALES)),
        _case("e.scale", SCALES),
        ("e",),
    ),
    Source(_industry("employer_industry", "工作单位行业代码"), "e.industry_id", ("e",)),
    Source(
        Field(
            "employer_chain_role", Type.STRING, "工作单位链上角色", "多条链取最高角色", _labels(CHAIN_ROLES)
        ),
        _CHAIN_ROLE_SQL.format(c="cr.r"),
        ("cr",),
    ),
    Source(
        Field("children_count", Type.INT, "子女数", unit="人"),
        "(SELECT COUNT(*) FROM registry_familymember f WHERE f.person_id = t.person_id AND f.relation = 'child')",
        bulk=("COALESCE(fam.kids, 0)", ("fam",)),
    ),
    Source(
        Field("children_under_18", Type.INT, "未成年子女数", "计算日未满18周岁", unit="人"),
        _MINORS,
        bulk=("COALESCE(fam.minors, 0)", ("fam",)),
    ),
    Source(
        Field("youngest_child_age", Type.INT, "最小子女年龄", "无子女为空", unit="岁"),
        _years_in(
            "registry_familymember f WHERE f.person_id = t.person_id AND f.relation = 'child'", "f.birth_date"
        ),
        rewrite=_latest_years(_CHILDREN, "f.birth_date"),
        bulk=(_years("fam.youngest"), ("fam",)),
    ),
    Source(
        Field("has_spouse", Type.BOOL, "已登记配偶"),
        f"EXISTS ({_FAMILY} AND f.relation = 'spouse')",
        bulk=("(COALESCE(fam.spouse, 0) = 1)", ("fam",)),
    ),
    Source(
        Field("spouse_seeking_job", Type.BOOL, "配偶待就业"),
        f"EXISTS ({_FAMILY} AND f.relation = 'spouse' AND f.employment = 'seeking')",
        bulk=("(COALESCE(fam.seeking, 0) = 1)", ("fam",)),
    ),
)

ENTERPRISE_JOINS: dict[str, str | dict[Vendor, str]] = {
    "cr": (
        "LEFT JOIN (SELECT enterprise_id, MIN(CASE role WHEN 'master' THEN 1 WHEN 'leading' THEN 2"
        " ELSE 3 END) AS r FROM registry_enterprisechainrole GROUP BY enterprise_id) cr"
        " ON cr.enterprise_id = e.id"
    ),
    # "Within the year before the as-of date": approved after the day from which one whole year
    # has passed (``{T-1y}``).
    "pl": (
        "LEFT JOIN (SELECT enterprise_id, COUNT(*) AS n,"
        " SUM(CASE WHEN kind = 'academician' AND level IN ('national', 'provincial')"
        " AND approved_on > {T-1y} THEN 1 ELSE 0 END) AS academician,"
        " SUM(CASE WHEN kind IN ('postdoc_station', 'postdoc_base') AND level IN ('national', 'provincial')"
        " AND approved_on > {T-1y} THEN 1 ELSE 0 END) AS postdoc"
        " FROM registry_platform WHERE enterprise_id IS NOT NULL GROUP BY enterprise_id) pl"
        " ON pl.enterprise_id = e.id"
    ),
    "pj": (
        "LEFT JOIN (SELECT enterprise_id, COUNT(*) AS n, SUM(investment) AS inv FROM registry_project"
        " WHERE kind = 'challenge' AND status IN ('approved', 'building', 'producing')"
        " AND enterprise_id IS NOT NULL GROUP BY enterprise_id) pj ON pj.enterprise_id = e.id"
    ),
    "tc": (
        "LEFT JOIN (SELECT t.employer_id, COUNT(*) AS n,"
        " SUM(CASE WHEN p.highest_degree IN ('11', 'PD') THEN 1 ELSE 0 END) AS doctors"
        " FROM registry_talent t JOIN registry_person p ON p.id = t.person_id"
        " WHERE t.status = 'active' AND t.employer_id IS NOT NULL GROUP BY t.employer_id) tc"
        " ON tc.employer_id = e.id"
    ),
}

ENTERPRISE_SOURCES: tuple[Source, ...] = (
    Source(Field("scale", Type.STRING, "企业规模", "", _labels(SCALES)), _case("e.scale", SCALES)),
    Source(Field("is_key", Type.BOOL, "重点企业"), "e.is_key"),
    Source(Field("is_high_tech", Type.BOOL, "高新技术企业"), "e.is_high_tech"),
    Source(Field("employee_count", Type.INT, "职工人数", unit="人"), "e.employee_count"),
    Source(
        Field("registered_capital", Type.NUMBER, "注册资本", unit="万元"),
        {
            "sqlite": "CAST(e.registered_capital AS REAL)",
            "postgresql": "CAST(e.registered_capital AS float8)",
        },
    ),
    Source(Field("founded_years", Type.INT, "成立年限", unit="年"), _years("e.founded_on")),
    Source(_industry("industry", "行业代码"), "e.industry_id"),
    Source(
        Field("chain_role", Type.STRING, "链上角色", "多条链取最高角色", _labels(CHAIN_ROLES)),
        _CHAIN_ROLE_SQL.format(c="cr.r"),
        ("cr",),
    ),
    Source(Field("platform_count", Type.INT, "创新平台数", unit="个"), "COALESCE(pl.n, 0)", ("pl",)),
    Source(
        Field(
            "new_academician_stations",
            Type.INT,
            "近一年新认定省级以上院士工作站数",
            "认定时间在计算日前一年内",
            unit="个",
        ),
        "COALESCE(pl.academician, 0)",
        ("pl",),
    ),
    Source(
        Field(
            "new_postdoc_stations",
            Type.INT,
            "近一年新设省级以上博士后工作站（基地）数",
            "含博士后科研工作站、博士后创新实践基地",
            unit="个",
        ),
        "COALESCE(pl.postdoc, 0)",
        ("pl",),
    ),
    Source(
        Field("challenge_projects", Type.INT, "在实施揭榜挂帅项目数", unit="个"),
        "COALESCE(pj.n, 0)",
        ("pj",),
    ),
    Source(
        Field("challenge_investment", Type.NUMBER, "揭榜挂帅项目总投资", unit="万元"),
        {"sqlite": "CAST(COALESCE(pj.inv, 0) AS REAL)", "postgresql": "CAST(COALESCE(pj.inv, 0) AS float8)"},
        ("pj",),
    ),
    Source(Field("talent_count", Type.INT, "在区人才数", unit="人"), "COALESCE(tc.n, 0)", ("tc",)),
    Source(Field("doctor_count", Type.INT, "博士人才数", unit="人"), "COALESCE(tc.doctors, 0)", ("tc",)),
)


@dataclass(frozen=True)
class RecordKind:
    kind: str
    label: str
    base: str  # FROM … (alias of the record row is the first table)
    id_column: str
    zone_filter: str
    sources: tuple[Source, ...]
    joins: dict[str, str | dict[Vendor, str]]

    @property
    def catalogue(self) -> Catalogue:
        return Catalogue.of(self.kind, self.label, (s.field for s in self.sources))

    def source(self, name: str) -> Source:
        return next(s for s in self.sources if s.field.name == name)

    def columns(
        self, vendor: Vendor, today: dt.date, names: Iterable[str] | None = None, *, bulk: bool = False
    ) -> dict[str, str]:
        """SQL per field; ``bulk`` for a query that reads every record (derived tables)."""
        wanted = set(names) if names is not None else None
        return {
            s.field.name: fill_dates(s.expr(vendor, bulk), vendor, today)
            for s in self.sources
            if wanted is None or s.field.name in wanted
        }

    def rewrites(self, vendor: Vendor, today: dt.date) -> dict[str, Rewrite]:
        return {s.field.name: s.rewrite(vendor, today) for s in self.sources if s.rewrite is not None}

    def from_clause(self, vendor: Vendor, today: dt.date, names: Iterable[str], *, bulk: bool = False) -> str:
        needed: list[str] = []
        for name in names:
            for j in self.source(name).joins_for(bulk):
                if j not in needed:
                    needed.append(j)
        parts = [self.base]
        for j in needed:
            sql = self.joins[j]
            parts.append(fill_dates(sql if isinstance(sql, str) else sql[vendor], vendor, today))
        return " ".join(parts)


def today_literal(vendor: Vendor, today: dt.date) -> str:
    iso = today.isoformat()
    return f"DATE '{iso}'" if vendor == "postgresql" else f"'{iso}'"


_YEARS_BEFORE = re.compile(r"\{T-(\d+)y\}")


def fill_dates(sql: str, vendor: Vendor, today: dt.date) -> str:
    """A template's dates as literals: ``{T}`` the as-of date, ``{T-<n>y}`` the latest date from which
    ``n`` whole years have passed on it (the calendar's cut-off, the same on both vendors; the
    vendors' own date arithmetic disagrees from 29 February, see ``_MINORS``)."""

    def years_before(m: re.Match[str]) -> str:
        day = _anniversary(today, int(m.group(1)))
        return today_literal(vendor, day or dt.date.min)

    return _YEARS_BEFORE.sub(years_before, sql.replace("{T}", today_literal(vendor, today)))


TALENT = RecordKind(
    kind="talent",
    label="人才",
    # A LEFT JOIN (person_id is NOT NULL, so the rows are the same) lets both planners drop the
    # person row when a rule reads none of its columns.
    base="registry_talent t LEFT JOIN registry_person p ON p.id = t.person_id",
    id_column="t.id",
    zone_filter="t.zone_id = {zone} AND t.status = 'active'",
    sources=TALENT_SOURCES,
    joins=TALENT_JOINS,
)
ENTERPRISE = RecordKind(
    kind="enterprise",
    label="企业",
    base="registry_enterprise e",
    id_column="e.id",
    zone_filter="e.zone_id = {zone}",
    sources=ENTERPRISE_SOURCES,
    joins=ENTERPRISE_JOINS,
)
KINDS = {"talent": TALENT, "enterprise": ENTERPRISE}


def catalogue(kind: str) -> Catalogue:
    return KINDS[kind].catalogue


def render_markdown() -> str:
    """The field catalogue as the office reads it (docs/policy-rules.md is generated from this)."""
    lines = [
        "# 政策规则可用字段（字段目录）",
        "",
        "<!-- Generated by `talentpark policy_catalogue`; do not edit by hand. -->",
        "",
        "规则用 CEL 表达式书写，只能读取下列字段；`today` 为计算日。"
        "所有字段都可能为空：含空值的比较结果为“无法判断”，不计为符合。",
        "",
        "文本字段按数据中存储的形式比较：列出取值的字段只能与所列取值比较，代码字段只能与代码表中的代码"
        "比较（`==`、`!=`、`in`、映射的键和 `startsWith` 的前缀都是如此），写了不可能出现的值，规则无法保存。",
        "",
    ]
    for kind in KINDS.values():
        lines += [
            f"## {kind.label}（{kind.kind}）",
            "",
            "| 字段名 | 含义 | 类型 | 取值/单位 | 说明 |",
            "|---|---|---|---|---|",
        ]
        for s in kind.sources:
            f = s.field
            if f.choices:
                values = "、".join(f.choices)
            elif f.codes:
                values = "代码，如 " + "、".join(f.code_examples)
            else:
                values = f.unit
            about = "；".join(x for x in (f.code_form, f.description) if x)
            lines.append(f"| `{f.name}` | {f.label} | {f.type.label} | {values} | {about} |")
        lines.append("")
    return "\n".join(lines)
