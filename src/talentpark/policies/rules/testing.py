"""A small talent catalogue with every field type, and SQL table helpers, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import Catalogue, Field, Type

TIERS = ("A", "B", "C", "D", "E")
DEGREES = ("博士", "硕士", "学士", "大专")

CATALOGUE = Catalogue.of(
    "talent",
    "人才",
    [
        Field("degree_level", Type.INT, "学历层次", "1 大专 … 4 博士"),
        Field("years_in_park", Type.INT, "入区年限", unit="年"),
        Field("papers", Type.INT, "论文数", unit="篇"),
        Field("salary", Type.NUMBER, "年薪", unit="元"),
        Field("score", Type.NUMBER, "评分"),
        Field("has_patent", Type.BOOL, "拥有发明专利"),
        Field("full_time", Type.BOOL, "全职"),
        Field("tier", Type.STRING, "人才层次", choices=TIERS),
        Field("degree", Type.STRING, "学历", choices=DEGREES),
        Field("industry_code", Type.STRING, "行业代码"),
        Field("name", Type.STRING, "姓名"),
        Field("birth_date", Type.DATE, "出生日期"),
        Field("arrival_date", Type.DATE, "入区日期"),
    ],
)


SQL_TYPES = {
    "sqlite": {
        Type.BOOL: "INTEGER",
        Type.INT: "INTEGER",
        Type.NUMBER: "REAL",
        Type.STRING: "TEXT",
        Type.DATE: "TEXT",
    },
    "postgresql": {
        Type.BOOL: "boolean",
        Type.INT: "bigint",
        Type.NUMBER: "double precision",
        Type.STRING: "text",
        Type.DATE: "date",
    },
}


def create_table_sql(catalogue: Catalogue, table: str, dialect: str, *, temporary: bool = True) -> str:
    """DDL for a table holding records of the catalogue (plus an ``id``), stored as the engine assumes."""
    types = SQL_TYPES[dialect]
    cols = ", ".join(f'"{f.name}" {types[f.type]}' for f in catalogue)
    temp = "TEMPORARY " if temporary else ""
    return f'CREATE {temp}TABLE "{table}" (id INTEGER PRIMARY KEY, {cols})'


def sql_row(catalogue: Catalogue, record: Mapping[str, Any], dialect: str) -> tuple[Any, ...]:
    """A record's values in catalogue order; SQLite gets ISO text for dates and 0/1 for booleans."""
    out: list[Any] = []
    for f in catalogue:
        v = record.get(f.name)
        if dialect == "sqlite" and v is not None:
            if f.type is Type.DATE:
                v = v.isoformat()
            elif f.type is Type.BOOL:
                v = int(v)
        out.append(v)
    return tuple(out)
