"""Loading the national code tables shipped under ``core/data`` (see SOURCES.md there).

Used by data migrations (so a fresh database has them) and by the
``load_code_tables`` command (to apply an updated file to a running installation).
Upserts by code: re-running changes nothing.

GB/T 2260 history — every county-level code since 1980 with the years it was in use —
is read from python-stdnum's ``stdnum/cn/loc.dat`` in the installed package (through
``importlib.resources``), the table ``stdnum.cn.ric`` checks birthplaces against. Our
own ``divisions_gb2260.json`` (the current tree with levels and parents) and
``historical_divisions.json`` are applied on top of it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import connections, router, transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> list[dict[str, Any]]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


# -- GB/T 2260 history (python-stdnum's loc.dat) ----------------------------------------


@dataclass(frozen=True)
class DivisionPeriod:
    """One name a code had, from ``start`` to ``end`` (years, inclusive; ``None`` = open)."""

    name: str
    start: int | None = None
    end: int | None = None

    def covers(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


_PERIOD = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
_PROP = re.compile(r'(\w+)="([^"]*)"')
# loc.dat has a few names in traditional characters; the standard's own names are simplified.
_SIMPLIFIED = str.maketrans({"區": "区", "門": "门", "別": "别", "達": "达", "縣": "县", "東": "东"})


def _periods(value: str) -> list[DivisionPeriod]:
    periods = []
    for part in value.split(","):
        match = _PERIOD.match(part)
        if match:
            start, end, name = match.groups()
            periods.append(DivisionPeriod(name, int(start) if start else None, int(end) if end else None))
        else:
            periods.append(DivisionPeriod(part))
    return periods


def _parse_loc_dat(text: str) -> dict[str, tuple[DivisionPeriod, ...]]:
    """``loc.dat`` (stdnum's numdb format): ``NN province="…"`` lines, then indented
    ``NNNN county="[start-end]name,…"`` lines for every code below that province."""
    history: dict[str, list[DivisionPeriod]] = {}
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indented = line[0].isspace()
        prefix, _, rest = line.strip().partition(" ")
        props = dict(_PROP.findall(rest))
        if not indented:
            province = prefix
            code, value = province + "0000", props.get("province", "")
        else:
            code, value = province + prefix, props.get("county", "")
        if len(code) != 6 or not code.isdigit() or not value:
            continue
        periods = _periods(value.translate(_SIMPLIFIED))
        known = history.setdefault(code, [])
        # Provinces are listed once per part of the source; keep the one that says most.
        if known and code.endswith("0000"):
            if any(p.start or p.end for p in periods):
                history[code] = periods
            continue
        known.extend(periods)
    return {code: tuple(periods) for code, periods in history.items()}


@cache
def division_history() -> dict[str, tuple[DivisionPeriod, ...]]:
    """Every GB/T 2260 code (current and abolished) → the periods it was in use."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    history = _parse_loc_dat(text)
    # Our own files win where they know better (and name codes loc.dat has not caught up with).
    for row in read("historical_divisions.json"):
        if row["code"] not in history:
            history[row["code"]] = (DivisionPeriod(row["name"], None, int(row["abolished"])),)
    for row in read("divisions_gb2260.json"):
        if row["code"] not in history:
            history[row["code"]] = (DivisionPeriod(row["name"]),)
    return history


def division_valid_in(code: str, year: int) -> bool | None:
    """Was ``code`` in use in ``year``? ``None`` when GB/T 2260 never had the code.

    The rule of ``stdnum.cn.ric.get_birth_place``: a period without years is always valid.
    """
    periods = division_history().get(code)
    if periods is None:
        return None
    return any(p.covers(year) for p in periods)


def division_span(code: str) -> tuple[int | None, int | None]:
    """First and last year the code was in use (``None``: before the records / still in use)."""
    periods = division_history().get(code, ())
    starts = [p.start for p in periods]
    ends = [p.end for p in periods]
    return (
        None if not periods or None in starts else min(s for s in starts if s is not None),
        None if not periods or None in ends else max(e for e in ends if e is not None),
    )


def _depth(code: str) -> int:
    """Parents sort before children: GB/T 4754 by code length, GB/T 2260 by trailing zeros."""
    if code.isdigit() and len(code) == 6:
        return 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
    return len(code)


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _upsert_tree(model: Any, rows: list[dict[str, Any]]) -> int:
    """Insert or update rows keyed on ``code`` (``parent`` is a code), parents first, in bulk.

    Works with the historical models of data migrations. Returns how many rows were
    created or changed, so a second run returns 0.
    """
    fields = [k for k in rows[0] if k != "code"] if rows else []
    columns = ["parent_id" if f == "parent" else f for f in fields]
    existing = {obj.code: obj for obj in model.objects.all()}
    known = {r["code"] for r in rows} | existing.keys()
    missing = [r["code"] for r in rows if r.get("parent") and r["parent"] not in known]
    if missing:
        raise ValueError(f"{model.__name__}: parents missing for {missing[:5]}")
    created: list[dict[str, Any]] = []
    changes: dict[tuple[tuple[str, Any], ...], list[str]] = {}
    for row in rows:
        values = {col: row[f] for f, col in zip(fields, columns, strict=True)}
        obj = existing.get(row["code"])
        if obj is None:
            created.append(row)
            continue
        changed = tuple((col, value) for col, value in values.items() if getattr(obj, col) != value)
        if changed:
            changes.setdefault(changed, []).append(row["code"])
    created.sort(key=lambda r: _depth(r["code"]))
    with transaction.atomic(using=router.db_for_write(model)):
        _insert(model, ["code", *fields], created)
        for changed, codes in changes.items():  # few distinct changes (a renamed code, new years)
            for start in range(0, len(codes), 500):
                model.objects.filter(code__in=codes[start : start + 500]).update(**dict(changed))
    return len(created) + sum(len(codes) for codes in changes.values())


def _insert(model: Any, fields: list[str], rows: list[dict[str, Any]]) -> None:
    """One executemany: thousands of code rows in well under a second (``bulk_create`` takes
    seconds building model instances), so creating a test database stays fast."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    # Identifiers come from the model's own metadata; every value is a bound parameter.
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[row[f] for f in fields] for row in rows])


def division_rows(*, with_history: bool = True) -> list[dict[str, Any]]:
    """The GB/T 2260 rows to load: every code of python-stdnum's history, with the years it
    was in use, overlaid with our current tree (levels, parents, names) and the
    disambiguated names of ``historical_divisions.json``.

    ``with_history=False`` gives the rows of the first data migration (our own files only).
    """
    current = {r["code"]: r for r in read("divisions_gb2260.json")}
    retired = {r["code"]: r for r in read("historical_divisions.json")}
    history = division_history() if with_history else {}
    codes = set(current) | set(retired) | set(history)
    rows = []
    for code in sorted(codes, key=lambda c: (_depth(c), c)):
        periods = history.get(code, ())
        first, last = division_span(code) if periods else (None, None)
        if code in current:
            row = dict(current[code])
            last = None  # our current list knows it is in use
        else:
            parent = next((p for p in (code[:4] + "00", code[:2] + "0000") if p in codes and p != code), None)
            level = "county" if code[4:] != "00" else "prefecture" if code[2:] != "0000" else "province"
            open_names = [p.name for p in periods if p.end is None]
            name = retired[code]["name"] if code in retired else (open_names or [p.name for p in periods])[-1]
            row = {"code": code, "name": name[:60], "level": level, "parent": parent}
            if code in retired and last is None:
                last = int(retired[code]["abolished"])
        row["is_current"] = last is None and code not in retired
        if with_history:
            row["valid_from"], row["valid_to"] = first, last
        rows.append(row)
    return rows


def load_divisions(Division: Any) -> int:
    """GB/T 2260 into ``Division``: all of it once the model has the validity years (core 0004)."""
    return _upsert_tree(Division, division_rows(with_history=_has_field(Division, "valid_from")))


def load_industries(Industry: Any) -> int:
    """GB/T 4754-2017, all 20 sections, 97 divisions, 473 groups and 1,382 classes."""
    return _upsert_tree(Industry, read("industries_gb4754_2017.json"))


def load_universities(University: Any, Division: Any) -> int:
    provinces = set(Division.objects.filter(level="province").values_list("code", flat=True))
    n = 0
    for row in read("universities.json"):
        University.objects.update_or_create(
            name=row["name"],
            defaults={
                "province_id": row["province_code"] if row["province_code"] in provinces else None,
                "kind": row.get("kind", "本科"),
                "is_985": row["is_985"],
                "is_211": row["is_211"],
                "is_double_first_class": row["is_double_first_class"],
            },
        )
        n += 1
    return n
