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
    """One readable field.

    A *coded* STRING field takes its values from a closed set, in the form the data holds them:
    ``choices`` lists them all when they are few (shown in full to the policy editor), ``codes``
    holds a code table too long to list (GB/T 4754 industries), with ``code_form`` saying in plain
    Chinese how its codes are written and ``code_examples`` a few of them. A rule comparing a coded
    field with a value outside its set is refused (it could never be true, or never false).
    """

    name: str
    type: Type
    label: str
    description: str = ""
    choices: tuple[str, ...] = ()
    unit: str = ""
    codes: frozenset[str] = frozenset()
    code_form: str = ""
    code_examples: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or not self.name.isascii():
            raise ValueError(f"field name must be an ASCII identifier: {self.name!r}")
        if (self.choices or self.codes) and self.type is not Type.STRING:
            raise ValueError(f"only string fields take choices or codes: {self.name}")
        if self.choices and self.codes:
            raise ValueError(f"a field lists its choices or holds a code table, not both: {self.name}")
        if self.codes and not (self.code_form and self.code_examples):
            raise ValueError(f"a code table needs its form and examples: {self.name}")
        wrong = [c for c in self.code_examples if c not in self.codes]
        if wrong:
            raise ValueError(f"examples not in the code table of {self.name}: {wrong}")

    @property
    def coded(self) -> bool:
        """True when the field's values form a closed set (``choices`` or ``codes``)."""
        return bool(self.choices or self.codes)

    def admits(self, value: str) -> bool:
        """Whether the data can hold ``value`` (always, for a field that is not coded)."""
        if self.choices:
            return value in self.choices
        return not self.codes or value in self.codes

    def admits_prefix(self, prefix: str) -> bool:
        """Whether some value the data can hold starts with ``prefix``."""
        values = self.choices or self.codes
        return not values or any(v.startswith(prefix) for v in values)


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
