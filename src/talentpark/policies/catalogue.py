"""The field catalogue: every registry fact a policy rule may read, by a stable name.

Each field has a type and a Chinese label (``rules.schema.Field``) and, here, the SQL
that computes it from the registry tables for one record, per database vendor. The
same SQL feeds all three engines: compiled SQL runs on it in place, the per-record
Python engine and Polars read its rows. ``{T}`` in a template is the as-of date
literal; derived tables (``joins``) are added only when a referenced field needs them.

``docs/policy-rules.md`` renders this catalogue for the office (``talentpark
policy_catalogue``); keep labels and descriptions plain Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from talentpark.policies.rules.schema import Catalogue, Field, Type

Vendor = str  # "sqlite" | "postgresql"


@dataclass(frozen=True)
class Source:
    field: Field
    sql: str | dict[Vendor, str]
    joins: tuple[str, ...] = ()

    def expr(self, vendor: Vendor) -> str:
        return self.sql if isinstance(self.sql, str) else self.sql[vendor]


def _years(vendor_expr_start: str) -> dict[Vendor, str]:
    """Completed years from a date column to the as-of date (age-style)."""
    c = vendor_expr_start
    return {
        "sqlite": (
            f"(CAST(substr({{T}},1,4) AS INTEGER) - CAST(substr({c},1,4) AS INTEGER)"
            f" - (substr({{T}},6,5) < substr({c},6,5)))"
        ),
        "postgresql": f"CAST(date_part('year', age({{T}}, {c})) AS INTEGER)",
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


def _labels(pairs: Iterable[tuple[object, str]]) -> tuple[str, ...]:
    return tuple(label for _, label in pairs)


_CHAIN_ROLE_SQL = "CASE {c} WHEN 1 THEN '链主' WHEN 2 THEN '龙头' WHEN 3 THEN '配套' END"

# Derived tables, one row per key, joined only when a field needs them.
TALENT_JOINS: dict[str, str | dict[Vendor, str]] = {
    "e": "LEFT JOIN registry_enterprise e ON e.id = t.employer_id",
    "cr": (
        "LEFT JOIN (SELECT enterprise_id, MIN(CASE role WHEN 'master' THEN 1 WHEN 'leading' THEN 2"
        " ELSE 3 END) AS r FROM registry_enterprisechainrole GROUP BY enterprise_id) cr"
        " ON cr.enterprise_id = t.employer_id"
    ),
    "ed": (
        "LEFT JOIN (SELECT ed.person_id, MAX(ed.graduated_on) AS g,"
        " MAX(CASE WHEN u.is_985 OR u.is_211 OR u.is_double_first_class THEN 1 ELSE 0 END) AS top"
        " FROM registry_education ed JOIN registry_university u ON u.id = ed.university_id"
        " GROUP BY ed.person_id) ed ON ed.person_id = t.person_id"
    ),
    "fam": {
        "sqlite": (
            "LEFT JOIN (SELECT person_id,"
            " SUM(CASE WHEN relation = 'child' THEN 1 ELSE 0 END) AS kids,"
            " SUM(CASE WHEN relation = 'child' AND birth_date > date({T}, '-18 years') THEN 1 ELSE 0 END)"
            " AS minors,"
            " MAX(CASE WHEN relation = 'child' THEN birth_date END) AS youngest,"
            " MAX(CASE WHEN relation = 'spouse' THEN 1 ELSE 0 END) AS spouse,"
            " MAX(CASE WHEN relation = 'spouse' AND employment = 'seeking' THEN 1 ELSE 0 END) AS seeking"
            " FROM registry_familymember GROUP BY person_id) fam ON fam.person_id = t.person_id"
        ),
        "postgresql": (
            "LEFT JOIN (SELECT person_id,"
            " SUM(CASE WHEN relation = 'child' THEN 1 ELSE 0 END) AS kids,"
            " SUM(CASE WHEN relation = 'child' AND birth_date > {T} - INTERVAL '18 years' THEN 1 ELSE 0 END)"
            " AS minors,"
            " MAX(CASE WHEN relation = 'child' THEN birth_date END) AS youngest,"
            " MAX(CASE WHEN relation = 'spouse' THEN 1 ELSE 0 END) AS spouse,"
            " MAX(CASE WHEN relation = 'spouse' AND employment = 'seeking' THEN 1 ELSE 0 END) AS seeking"
            " FROM registry_familymember GROUP BY person_id) fam ON fam.person_id = t.person_id"
        ),
    },
}

TALENT_SOURCES: tuple[Source, ...] = (
    Source(
        Field("degree", Type.STRING, "最高学历", "国民教育最高学历（含博士后）", _labels(DEGREES)),
        _case("p.highest_degree", DEGREES),
    ),
    Source(
        Field("degree_level", Type.INT, "学历等级", "专科=1，本科=2，硕士=3，博士=4，博士后=5"),
        _case("p.highest_degree", [(k, i + 1) for i, (k, _) in enumerate(DEGREES)]),
    ),
    Source(
        Field("title", Type.STRING, "专业技术职称", "", ("无", *_labels(TITLES))),
        _case("t.professional_title", TITLES, "'无'"),
    ),
    Source(
        Field("title_level", Type.INT, "职称等级", "无=0，初级=1，中级=2，副高级=3，正高级=4"),
        _case("t.professional_title", [(k, i + 1) for i, (k, _) in enumerate(TITLES)], "0"),
    ),
    Source(
        Field("skill_level", Type.INT, "职业技能等级", "无=0，五级/初级工=1 … 一级/高级技师=5"),
        _case("t.skill_level", [("5", 1), ("4", 2), ("3", 3), ("2", 4), ("1", 5)], "0"),
    ),
    Source(
        Field("programme", Type.STRING, "入选人才计划", "最高级别的人才计划", ("无", *_labels(PROGRAMMES))),
        _case("t.programme_level", PROGRAMMES, "'无'"),
    ),
    Source(
        Field("tier", Type.STRING, "人才层次", "人才认定层次；未认定或已过有效期为空", TIERS),
        "CASE WHEN t.tier <> '' AND (t.tier_valid_until IS NULL OR t.tier_valid_until >= {T})"
        " THEN t.tier END",
    ),
    Source(Field("tier_valid_until", Type.DATE, "认定有效期至"), "t.tier_valid_until"),
    Source(Field("age", Type.INT, "年龄", "按计算日的周岁", unit="岁"), _years("p.birth_date")),
    Source(
        Field("sex", Type.STRING, "性别", "", ("男", "女")),
        "CASE p.sex WHEN 'M' THEN '男' WHEN 'F' THEN '女' END",
    ),
    Source(Field("zone_entry_date", Type.DATE, "入区时间"), "t.zone_entry_date"),
    Source(
        Field("years_in_zone", Type.INT, "入区年限", "自入区之日起满的整年数", unit="年"),
        _years("t.zone_entry_date"),
    ),
    Source(Field("is_returnee", Type.BOOL, "留学归国人员"), "p.is_returnee"),
    Source(Field("hukou_in_zone", Type.BOOL, "户籍已迁入园区"), "p.hukou_in_zone"),
    Source(Field("graduated_on", Type.DATE, "最近毕业时间"), "ed.g", ("ed",)),
    Source(
        Field("years_since_graduation", Type.INT, "毕业年限", "自最近一次毕业满的整年数", unit="年"),
        _years("ed.g"),
        ("ed",),
    ),
    Source(
        Field("top_university", Type.BOOL, "毕业于985/211/双一流院校"),
        "(COALESCE(ed.top, 0) = 1)",
        ("ed",),
    ),
    Source(
        Field("housing", Type.STRING, "住房情况", "", _labels(HOUSING)),
        _case("t.housing", HOUSING),
    ),
    Source(Field("has_employer", Type.BOOL, "已在区内企业就业"), "(t.employer_id IS NOT NULL)"),
    Source(Field("employer_key", Type.BOOL, "工作单位为重点企业"), "e.is_key", ("e",)),
    Source(Field("employer_high_tech", Type.BOOL, "工作单位为高新技术企业"), "e.is_high_tech", ("e",)),
    Source(
        Field("employer_scale", Type.STRING, "工作单位规模", "", _labels(SCALES)),
        _case("e.scale", SCALES),
        ("e",),
    ),
    Source(
        Field("employer_industry", Type.STRING, "工作单位行业代码", "GB/T 4754-2017，如 C39"),
        "e.industry_id",
        ("e",),
    ),
    Source(
        Field(
            "employer_chain_role", Type.STRING, "工作单位链上角色", "多条链取最高角色", _labels(CHAIN_ROLES)
        ),
        _CHAIN_ROLE_SQL.format(c="cr.r"),
        ("cr",),
    ),
    Source(
        Field("children_count", Type.INT, "子女数", unit="人"),
        "COALESCE(fam.kids, 0)",
        ("fam",),
    ),
    Source(
        Field("children_under_18", Type.INT, "未成年子女数", "计算日未满18周岁", unit="人"),
        "COALESCE(fam.minors, 0)",
        ("fam",),
    ),
    Source(
        Field("youngest_child_age", Type.INT, "最小子女年龄", "无子女为空", unit="岁"),
        _years("fam.youngest"),
        ("fam",),
    ),
    Source(Field("has_spouse", Type.BOOL, "已登记配偶"), "(COALESCE(fam.spouse, 0) = 1)", ("fam",)),
    Source(
        Field("spouse_seeking_job", Type.BOOL, "配偶待就业"),
        "(COALESCE(fam.seeking, 0) = 1)",
        ("fam",),
    ),
)

ENTERPRISE_JOINS: dict[str, str | dict[Vendor, str]] = {
    "cr": (
        "LEFT JOIN (SELECT enterprise_id, MIN(CASE role WHEN 'master' THEN 1 WHEN 'leading' THEN 2"
        " ELSE 3 END) AS r FROM registry_enterprisechainrole GROUP BY enterprise_id) cr"
        " ON cr.enterprise_id = e.id"
    ),
    "pl": {
        vendor: (
            "LEFT JOIN (SELECT enterprise_id, COUNT(*) AS n,"  # noqa: S608 — constants only
            " SUM(CASE WHEN kind = 'academician' AND level IN ('national', 'provincial')"
            f" AND approved_on > {since} THEN 1 ELSE 0 END) AS academician,"
            " SUM(CASE WHEN kind IN ('postdoc_station', 'postdoc_base') AND level IN ('national', 'provincial')"
            f" AND approved_on > {since} THEN 1 ELSE 0 END) AS postdoc"
            " FROM registry_platform WHERE enterprise_id IS NOT NULL GROUP BY enterprise_id) pl"
            " ON pl.enterprise_id = e.id"
        )
        for vendor, since in (
            ("sqlite", "date({T}, '-1 year')"),
            ("postgresql", "{T} - INTERVAL '1 year'"),
        )
    },
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
    Source(Field("industry", Type.STRING, "行业代码", "GB/T 4754-2017，如 C39"), "e.industry_id"),
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

    def columns(self, vendor: Vendor, today: dt.date, names: Iterable[str] | None = None) -> dict[str, str]:
        wanted = set(names) if names is not None else None
        lit = today_literal(vendor, today)
        return {
            s.field.name: s.expr(vendor).replace("{T}", lit)
            for s in self.sources
            if wanted is None or s.field.name in wanted
        }

    def from_clause(self, vendor: Vendor, today: dt.date, names: Iterable[str]) -> str:
        needed: list[str] = []
        for name in names:
            for j in self.source(name).joins:
                if j not in needed:
                    needed.append(j)
        lit = today_literal(vendor, today)
        parts = [self.base]
        for j in needed:
            sql = self.joins[j]
            parts.append((sql if isinstance(sql, str) else sql[vendor]).replace("{T}", lit))
        return " ".join(parts)


def today_literal(vendor: Vendor, today: dt.date) -> str:
    iso = today.isoformat()
    return f"DATE '{iso}'" if vendor == "postgresql" else f"'{iso}'"


TALENT = RecordKind(
    kind="talent",
    label="人才",
    base="registry_talent t JOIN registry_person p ON p.id = t.person_id",
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
            values = "、".join(f.choices) if f.choices else f.unit
            lines.append(f"| `{f.name}` | {f.label} | {f.type.label} | {values} | {f.description} |")
        lines.append("")
    return "\n".join(lines)
