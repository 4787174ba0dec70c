"""What a rule can read: typed fields with stable names and Chinese labels.

Pure Python, no Django. A *catalogue* is the set of fields one kind of record
(talent or enterprise) exposes to rules; the Django side maps each field to a
SQL expression and a Python value (``talentpark.policies.catalogue``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field


class Type(enum.StrEnum):
    """The value types a rule works with. Every field and every value may be null."""

    BOOL = "bool"
    INT = "int"
    NUMBER = "number"  # float in Python and Polars, REAL / double precision in SQL
    STRING = "string"
    DATE = "date"  # datetime.date in Python, ISO text in SQLite, date in PostgreSQL

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def numeric(self) -> bool:
        return self in (Type.INT, Type.NUMBER)


_TYPE_LABELS = {
    Type.BOOL: "是/否",
    Type.INT: "整数",
    Type.NUMBER: "数值",
    Type.STRING: "文本",
    Type.DATE: "日期",
}


@dataclass(frozen=True)
class Field:
    """One readable field. ``choices`` (for STRING) lists every value it can take."""

    name: str
    type: Type
    label: str
    description: str = ""
    choices: tuple[str, ...] = ()
    unit: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or not self.name.isascii():
            raise ValueError(f"field name must be an ASCII identifier: {self.name!r}")
        if self.choices and self.type is not Type.STRING:
            raise ValueError(f"only string fields take choices: {self.name}")


@dataclass(frozen=True)
class Catalogue:
    """An ordered set of fields for one kind of record."""

    kind: str  # "talent" or "enterprise"
    label: str  # "人才" / "企业"
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate field names in catalogue {self.kind}")

    @classmethod
    def of(cls, kind: str, label: str, fields: Iterable[Field]) -> Catalogue:
        return cls(kind, label, tuple(fields))

    @property
    def by_name(self) -> Mapping[str, Field]:
        return {f.name: f for f in self.fields}

    def get(self, name: str) -> Field | None:
        return self.by_name.get(name)

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name


# The identifier every rule may read besides the catalogue: the date the rule is
# evaluated for ("as of"). It is a parameter, never a column.
TODAY = "today"
