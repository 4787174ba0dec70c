"""Validating every row of an upload into clean values, with each problem's row, column and reason.

Cells are read by their column's kind with the registry's shared field rules
(:mod:`talentpark.registry.rules`), so a spreadsheet row is held to the same rules as
the registration form and the API. Look-ups (universities, industry and division
codes, this zone's enterprises and chains) are fetched once into dicts: validating
35,000 rows makes no per-row query.

Formulas: openpyxl is opened with ``data_only=False``, so a formula cell reads as its
text. Any cell whose text starts with ``=`` is refused as a formula ("公式"); free-text
cells starting with ``+ - @`` (or a tab) are refused too, since a spreadsheet would run
them. Structured cells (ID numbers, phones, dates, amounts, codes) are parsed strictly,
so ``+86 139…`` is simply a phone number. A leading apostrophe placed before such a
character by our own export (OWASP neutralisation) is removed before the rules run.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from talentpark.core import dictionaries, synonyms
from talentpark.core.models import Division, Industry, University, Zone
from talentpark.core.validation import FieldErrors
from talentpark.core.validators import validate_uscc
from talentpark.registry import rules
from talentpark.registry.excel.columns import (
    AMOUNT,
    BOOL,
    CHAIN,
    CHOICE,
    DATE,
    DIVISION,
    EMAIL,
    ENTERPRISE,
    ID_NUMBER,
    INDUSTRY,
    INT,
    MOBILE,
    REF,
    TEXT,
    UNIVERSITY,
    USCC,
    Column,
    SheetSpec,
)
from talentpark.registry.models import Enterprise, ImportJob, IndustryChain

MAX_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    row: int  # as numbered in Excel
    column: int  # 1-based column index; 0 when it concerns the whole row
    header: str
    reason: str

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.header, self.reason]


class RowErrors(FieldErrors):
    """FieldErrors that also keeps (field, reason) pairs, to place each reason in its cell."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, label: str, reason: str) -> None:
        super().add(field, label, reason)
        self.items.append((field, reason))


@dataclass
class CleanRow:
    row: int
    values: dict[str, Any]


@dataclass
class Validated:
    rows: list[CleanRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_total: int = 0
    bad_rows: int = 0
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.problem_total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


class Lookups:
    """Code tables and the zone's own records, fetched once per validation."""

    def __init__(self, zone: Zone, refs: Iterable[str]) -> None:
        refs = set(refs)
        self.zone = zone
        self.universities: dict[str, int] = {}
        self.industries: dict[str, str] = {}
        self.industry_names: dict[str, str] = {}
        self.divisions: dict[str, bool] = {}
        self.enterprises: dict[str, int] = {}
        self.enterprise_names: dict[str, list[int]] = {}
        self.chains: dict[str, int] = {}
        # Office spellings of coded values (男性, 大学本科 …): CodeSynonym rows of this zone.
        self.synonyms = synonyms.all_synonyms(zone.pk)
        # Local talent programmes (字典管理 → 本地人才计划): their names and the levels they imply.
        self.programme = dictionaries.matcher(dictionaries.PROGRAMMES, zone.pk)
        self._aliases: dict[str, dict[str, str]] = {}
        if UNIVERSITY in refs:
            for pk, name in University.objects.values_list("pk", "name"):
                self.universities[rules.clean_free_text(name)] = pk
                self.universities.setdefault(_nfkc(rules.clean_free_text(name)), pk)
        if INDUSTRY in refs:
            for code, name in Industry.objects.filter(level=Industry.Level.CLASS).values_list("code", "name"):
                self.industries[code] = name
                self.industry_names.setdefault(name, code)
        if DIVISION in refs:
            self.divisions = dict(Division.objects.values_list("code", "is_current"))
        if ENTERPRISE in refs:
            for pk, uscc, name in Enterprise.objects.filter(zone=zone).values_list("pk", "uscc", "name"):
                self.enterprises[uscc] = pk
                self.enterprise_names.setdefault(rules.clean_free_text(name), []).append(pk)
        if CHAIN in refs:
            self.chains = {
                rules.clean_free_text(n): pk
                for pk, n in IndustryChain.objects.filter(zone=zone).values_list("pk", "name")
            }

    def aliases(self, column: Column) -> dict[str, str]:
        """The column's own aliases and the synonym table of its choices, merged once."""
        found = self._aliases.get(column.key)
        if found is None:
            table = synonyms.table_of(column.choices)
            found = self._aliases[column.key] = {**column.aliases, **self.synonyms.get(table, {})}
        return found

    def resolve(self, column: Column, raw: Any, errors: RowErrors) -> Any:
        text = rules.clean_free_text(raw)
        key, label = column.key, column.header
        if column.ref == UNIVERSITY:
            pk = self.universities.get(text) or self.universities.get(_nfkc(text))
            if pk is None:
                errors.add(key, label, gettext("“%(value)s”不在院校代码表中") % {"value": text[:40]})
            return pk
        if column.ref == ENTERPRISE:
            code = rules.leading_code(raw, 18)
            if code in self.enterprises:
                return self.enterprises[code]
            named = self.enterprise_names.get(text, [])
            if len(named) == 1:
                return named[0]
            if len(named) > 1:
                errors.add(key, label, gettext("本园区有多家同名企业，请填写统一社会信用代码"))
            else:
                errors.add(key, label, gettext("不是本园区登记的企业（请核对代码，或先导入企业）"))
            return None
        if column.ref == INDUSTRY:
            code = rules.leading_code(raw, 4)
            if code in self.industries:
                return code
            if text in self.industry_names:
                return self.industry_names[text]
            errors.add(
                key, label, gettext("“%(value)s”不是GB/T 4754-2017行业小类代码") % {"value": text[:40]}
            )
            return None
        if column.ref == DIVISION:
            code = rules.leading_code(raw, 6)
            current = self.divisions.get(code)
            if current is None or (column.required and not current):
                errors.add(key, label, gettext("“%(value)s”不是有效的行政区划代码") % {"value": text[:40]})
                return None
            return code
        if column.ref == CHAIN:
            pk = self.chains.get(text)
            if pk is None:
                errors.add(key, label, gettext("“%(value)s”不是本园区的产业链") % {"value": text[:40]})
            return pk
        raise ValueError(column.ref)


def _as_text(raw: Any) -> Any:
    """Numbers typed into text columns come back as numbers: turn whole ones into digits."""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return raw


def parse_cell(column: Column, raw: Any, errors: RowErrors, lookups: Lookups) -> Any:
    """The clean value of one cell, or ``None`` with a problem added to ``errors``."""
    key, label = column.key, column.header
    if isinstance(raw, str):
        if len(raw) > 1 and raw[0] == "'" and raw[1] in "=+-@":
            raw = raw[1:]  # our own export's neutralised cell
        if raw.lstrip().startswith("="):
            errors.add(
                key, label, gettext("单元格含公式或以“=”开头，只能导入数值或文本（可“选择性粘贴→数值”）")
            )
            return None
    blank = raw is None or (isinstance(raw, str) and not rules.clean_free_text(raw))
    if blank:
        if column.required:
            errors.add(key, label, gettext("不能为空"))
            return None
        return column.default if column.kind in (TEXT, EMAIL, CHOICE, BOOL, INT) else None
    kind = column.kind
    if kind == TEXT:
        return rules.free_text(errors, key, label, _as_text(raw), max_len=column.max_len, formula_guard=True)
    if kind == ID_NUMBER:
        if isinstance(raw, float):
            errors.add(key, label, gettext("被存成了数字，末几位已丢失：请把该列设为文本格式后重新填写"))
            return None
        return str(_as_text(raw))
    if kind == MOBILE:
        return rules.mobile(errors, key, label, _as_text(raw))
    if kind == DATE:
        return rules.date_value(errors, key, label, raw, not_future=column.not_future)
    if kind == CHOICE:
        assert column.choices is not None
        return rules.choice(
            errors, key, label, _as_text(raw), column.choices, aliases=lookups.aliases(column)
        )
    if kind == BOOL:
        return rules.boolean(errors, key, label, raw)
    if kind == INT:
        return rules.non_negative_int(errors, key, label, raw)
    if kind == AMOUNT:
        return rules.non_negative_amount(errors, key, label, raw)
    if kind == EMAIL:
        return rules.email(errors, key, label, raw)
    if kind == USCC:
        return errors.check(key, label, validate_uscc, str(_as_text(raw)))
    if kind == REF:
        return lookups.resolve(column, raw, errors)
    raise ValueError(kind)


# -- cross-field rules per kind --------------------------------------------------


def _talent_row(values: dict[str, Any], errors: RowErrors, raw: dict[str, Any], lookups: Lookups) -> None:
    rid = None
    if values.get("id_number") is not None:
        rid = rules.resident_id(
            errors,
            values["id_number"],
            sex=values.get("sex") or "",
            birth_date=values.get("birth_date"),
            field="id_number",
            label="身份证号",
        )
    values["id_number"] = rid
    has_uni = values.get("university") is not None or raw.get("university") not in (None, "")
    if has_uni and not values.get("highest_degree") and raw.get("highest_degree") in (None, ""):
        errors.add("highest_degree", "最高学历", gettext("填写毕业院校时须同时填写最高学历"))
    for key, header in (("major", "所学专业"), ("graduated_on", "毕业时间")):
        if values.get(key) and not has_uni:
            errors.add(key, header, gettext("须同时填写毕业院校"))
    if values.get("programme_name"):
        # The zone's 本地人才计划 dictionary: its name for the programme, and the level it implies.
        level = values.get("programme_level")
        implied, values["programme_name"] = rules.programme(
            errors, lookups.programme, level or "", values["programme_name"]
        )
        if "programme_level" in values and level is not None:
            values["programme_level"] = implied


def _enterprise_row(values: dict[str, Any], errors: RowErrors, raw: dict[str, Any], lookups: Lookups) -> None:
    code, division = values.get("uscc"), values.get("division")
    if code and division and code[2:4] != division[:2]:
        errors.add(
            "uscc", "统一社会信用代码", gettext("第3至8位的登记管理机关行政区划与企业注册地不在同一省份")
        )


ROW_RULES: dict[str, Callable[[dict[str, Any], RowErrors, dict[str, Any], Lookups], None]] = {
    ImportJob.Kind.TALENT: _talent_row,
    ImportJob.Kind.ENTERPRISE: _enterprise_row,
}


def row_key(spec: SheetSpec, values: dict[str, Any]) -> tuple[Any, ...] | None:
    """The upsert key of a clean row (None when a key cell is invalid)."""
    key = []
    for name in spec.key:
        value = values.get(name)
        if name == "id_number":
            value = value.number if value is not None else None
            if value is None:
                return None
        elif value is None and name != "enterprise":
            return None
        key.append(value)
    return tuple(key)


def validate_rows(
    spec: SheetSpec,
    columns: dict[int, Column],
    rows: Iterable[tuple[int, tuple[Any, ...]]],
    lookups: Lookups,
    progress: Callable[[int], None] | None = None,
) -> Validated:
    """Every row through its cell and cross-field rules; duplicates of the key within the file."""
    result = Validated()
    positions = {c.key: i + 1 for i, c in columns.items()}
    headers = {c.key: c.header for c in columns.values()}
    cross = ROW_RULES.get(spec.kind)
    first_seen: dict[tuple[Any, ...], int] = {}
    duplicates: dict[int, list[int]] = {}
    for count, (number, cells) in enumerate(rows, start=1):
        errors = RowErrors()
        values: dict[str, Any] = {}
        raw: dict[str, Any] = {}
        for index, column in columns.items():
            cell = cells[index] if index < len(cells) else None
            raw[column.key] = cell
            values[column.key] = parse_cell(column, cell, errors, lookups)
        if cross is not None:
            cross(values, errors, raw, lookups)
        if not errors:
            key = row_key(spec, values)
            if key is not None:
                if key in first_seen:
                    duplicates.setdefault(first_seen[key], []).append(number)
                else:
                    first_seen[key] = number
        if errors:
            result.bad_rows += 1
            for key_name, reason in errors.items:
                result.add(Problem(number, positions.get(key_name, 0), headers.get(key_name, ""), reason))
        else:
            result.rows.append(CleanRow(number, values))
        if progress is not None and count % 1000 == 0:
            progress(count)
        result.total = count
    if duplicates:
        _report_duplicates(spec, duplicates, positions, headers, result)
    result.problems.sort(key=lambda p: (p.row, p.column))
    return result


def _report_duplicates(
    spec: SheetSpec,
    duplicates: dict[int, list[int]],
    positions: dict[str, int],
    headers: dict[str, str],
    result: Validated,
) -> None:
    column = spec.key[0]
    at, header = positions.get(column, 0), headers.get(column, "")
    bad: set[int] = set()
    for first, later in duplicates.items():
        group = [first, *later]
        for number in group:
            others = "、".join(str(n) for n in group if n != number)
            result.add(
                Problem(
                    number,
                    at,
                    header,
                    gettext("与第%(rows)s行重复（%(key)s相同），同一文件中每条记录只能出现一次")
                    % {"rows": others, "key": spec.key_label},
                )
            )
            bad.add(number)
    result.bad_rows += len(bad)
    result.rows = [r for r in result.rows if r.row not in bad]
