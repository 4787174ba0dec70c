"""Running a policy version's rule against the registry, where the data lives.

* ``eligible_rows`` — the compiled SQL over the whole zone: ids and outcomes of everyone
  who qualifies, in one query.
* ``preview`` — the office's "who qualifies" figures (count, amount, budget use, the
  clause that most often stops those who narrowly fail), in one aggregate query.
* ``load_records`` — the catalogue values of chosen records, for the per-record Python
  engine that writes each decision's explanation and freezes its inputs.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection

from talentpark.policies.catalogue import KINDS, RecordKind
from talentpark.policies.models import PolicyVersion
from talentpark.policies.rules import Clause, CompiledRule, Rule, SqlRule, Type, compile_rule

CENT = decimal.Decimal("0.01")


def rule_of(version: PolicyVersion) -> Rule:
    outcome_type = Type.STRING if version.outcome_kind == PolicyVersion.OutcomeKind.TIER else Type.NUMBER
    outcome = version.outcome_expr.strip() or None
    if version.outcome_kind == PolicyVersion.OutcomeKind.NONE:
        outcome = None
    return Rule(
        clauses=tuple(Clause(c["article"], c["text"], c["expr"]) for c in version.clauses),
        outcome=outcome,
        outcome_type=outcome_type,
        outcome_article=version.outcome_article,
    )


def compiled(version: PolicyVersion) -> CompiledRule:
    return _compile_cached(version.target, rule_of(version))


@lru_cache(maxsize=256)
def _compile_cached(kind: str, rule: Rule) -> CompiledRule:
    return compile_rule(rule, KINDS[kind].catalogue)


def to_amount(value: Any) -> decimal.Decimal:
    """An outcome as yuan with two decimals (null or negative pays nothing)."""
    if value is None or isinstance(value, str):
        return decimal.Decimal(0)
    amount = decimal.Decimal(repr(float(value))).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    return max(amount, decimal.Decimal(0))


def _vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _sql_parts(
    kind: RecordKind,
    rule: CompiledRule,
    zone_id: int,
    today: dt.date,
    vendor: str | None = None,
    *,
    every_row: bool = False,
) -> tuple[str, str, SqlRule]:
    """FROM (joins for every field of the rule), zone filter, and the rule's SQL forms.

    ``every_row``: the query computes the fields for every record of the zone (the preview's
    clause statistics), so on PostgreSQL the catalogue's bulk forms are used — it runs a
    correlated subquery once per row, 1.8x slower there than one GROUP BY (see
    ``docs/benchmarks.md``); SQLite's index probes per row are the faster of the two."""
    vendor = vendor or _vendor()
    bulk = every_row and vendor == "postgresql"
    columns = kind.columns(vendor, today, rule.fields, bulk=bulk)
    sql = rule.to_sql(vendor, columns, today, rewrites=kind.rewrites(vendor, today))  # type: ignore[arg-type]
    where = kind.zone_filter.format(zone=int(zone_id))
    return kind.from_clause(vendor, today, rule.fields, bulk=bulk), where, sql


def eligible_query(
    kind: RecordKind,
    rule: CompiledRule,
    zone_id: int,
    today: dt.date,
    *,
    outcome: bool = True,
    vendor: str | None = None,
) -> str:
    """``SELECT id[, outcome]`` of the zone's records the rule admits, filtering with the rule's
    rewritten form and joining only what that form and the outcome read."""
    _, zone, sql = _sql_parts(kind, rule, zone_id, today, vendor)
    names = set(sql.where_fields) | (set(rule.outcome_fields) if outcome else set())
    frm = kind.from_clause(vendor or _vendor(), today, sorted(names))
    select = kind.id_column + (f", {sql.outcome or 'NULL'}" if outcome else "")
    return f"SELECT {select} FROM {frm} WHERE {zone} AND ({sql.where})"  # noqa: S608


MASK_BITS = 62  # rules per batch query: one bit each in a signed 64-bit integer


def batch_query(
    kind: RecordKind,
    rules: Sequence[CompiledRule],
    zone_id: int,
    today: dt.date,
    *,
    vendor: str | None = None,
    ids: Sequence[int] | None = None,
) -> str:
    """One query for several rules over the zone (one scan instead of one per rule): ``SELECT id,
    mask`` where bit ``i`` of the mask says rule ``i`` admits the record; records no rule admits are
    left out. The mask is computed once per record: the ``OFFSET 0`` keeps both planners from
    merging the subquery into the outer query, which would copy the expression into the filter
    and evaluate it twice (measured: 2× the time; a materialised CTE costs a temporary table).
    ``ids``: only these records (a change's re-evaluation, ``policies.reevaluate``)."""
    if not 0 < len(rules) <= MASK_BITS:
        raise ValueError(f"between 1 and {MASK_BITS} rules per batch query")
    vendor = vendor or _vendor()
    names: set[str] = set()
    bits = []
    for i, rule in enumerate(rules):
        _, _, sql = _sql_parts(kind, rule, zone_id, today, vendor)
        names |= sql.where_fields
        bits.append(f"CASE WHEN {sql.where} THEN {1 << i} ELSE 0 END")
    zone = kind.zone_filter.format(zone=int(zone_id))
    if ids is not None:
        zone += f" AND {kind.id_column} IN ({','.join(str(int(i)) for i in ids) or 'NULL'})"
    frm = kind.from_clause(vendor, today, sorted(names))
    fence = "LIMIT -1 OFFSET 0" if vendor == "sqlite" else "OFFSET 0"
    return (
        f"SELECT rid, mask FROM (SELECT {kind.id_column} AS rid, {' + '.join(bits)} AS mask"  # noqa: S608
        f" FROM {frm} WHERE {zone} {fence}) s WHERE mask <> 0"
    )


def eligible_sets(
    versions: Sequence[PolicyVersion],
    today: dt.date,
    *,
    ids: Mapping[str, Sequence[int] | None] | None = None,
) -> dict[int, list[int]]:
    """Record ids (in no set order) each version's rule admits, by version pk: one query per
    record kind and zone for up to ``MASK_BITS`` versions (the daily 补充比对, ``runs.sweep``).
    ``ids``: by target (``PolicyVersion.Target``), only these records (``None``: the whole zone);
    a target missing from it, or with no ids, is not queried (``policies.reevaluate``)."""
    out: dict[int, list[int]] = {v.pk: [] for v in versions}
    groups: dict[tuple[str, int], list[PolicyVersion]] = {}
    for v in versions:
        groups.setdefault((v.target, v.zone_id), []).append(v)
    for (target, zone_id), group in groups.items():
        kind = KINDS[target]
        only = None if ids is None else ids.get(target, ())
        if ids is not None and only is not None and not only:
            continue
        for start in range(0, len(group), MASK_BITS):
            chunk = group[start : start + MASK_BITS]
            query = batch_query(kind, [compiled(v) for v in chunk], zone_id, today, ids=only)
            with connection.cursor() as cur:
                cur.execute(query)
                rows = cur.fetchall()
            for i, v in enumerate(chunk):
                bit = 1 << i
                out[v.pk] = [rid for rid, mask in rows if mask & bit]
    return out


def eligible_rows(
    version: PolicyVersion, today: dt.date, *, ids: Sequence[int] | None = None, limit: int | None = None
) -> list[tuple[int, Any]]:
    """``(record id, outcome)`` of every record of the zone the version's rule admits."""
    kind = KINDS[version.target]
    query = eligible_query(kind, compiled(version), version.zone_id, today)
    if ids is not None:
        query += f" AND {kind.id_column} IN ({','.join(str(int(i)) for i in ids) or 'NULL'})"
    query += f" ORDER BY {kind.id_column}"
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with connection.cursor() as cur:
        cur.execute(query)
        return [(row[0], row[1]) for row in cur.fetchall()]


def load_records(
    kind_name: str, zone_id: int, names: Iterable[str], today: dt.date, ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """Catalogue values of the given records, typed as the rules engine expects."""
    kind = KINDS[kind_name]
    vendor = _vendor()
    names = sorted(set(names))
    if not ids:
        return {}
    columns = kind.columns(vendor, today, names)
    select = ", ".join([kind.id_column] + [columns[n] for n in names])
    where = kind.zone_filter.format(zone=int(zone_id))
    id_list = ",".join(str(int(i)) for i in ids)
    query = (
        f"SELECT {select} FROM {kind.from_clause(vendor, today, names)}"  # noqa: S608
        f" WHERE {where} AND {kind.id_column} IN ({id_list})"
    )
    types = {n: kind.catalogue.by_name[n].type for n in names}
    out: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cur:
        cur.execute(query)
        for row in cur.fetchall():
            out[row[0]] = {n: typed(types[n], v) for n, v in zip(names, row[1:], strict=True)}
    return out


def typed(t: Type, value: Any) -> Any:
    """A database value as the rules engine's Python type (SQLite returns text dates, 0/1 bools)."""
    if value is None:
        return None
    if t is Type.DATE:
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if t is Type.BOOL:
        return bool(value)
    if t is Type.INT:
        return int(value)
    if t is Type.NUMBER:
        return float(value)
    return str(value)


def jsonable_record(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in record.items()}


@dataclass
class ClauseStat:
    article: str
    text: str
    failed: int = 0  # records this clause rejects (false or unknown)
    sole_blocker: int = 0  # records that fail only this clause: the "narrowly fail"


@dataclass
class Preview:
    as_of: dt.date
    total: int = 0
    eligible: int = 0
    amount: decimal.Decimal = decimal.Decimal(0)
    budget_total: decimal.Decimal | None = None
    near_miss: int = 0
    clauses: list[ClauseStat] = field(default_factory=list)
    sample: list[tuple[int, Any]] = field(default_factory=list)
    tiers: dict[str, int] = field(default_factory=dict)

    @property
    def budget_percent(self) -> float | None:
        if not self.budget_total:
            return None
        return round(float(self.amount) * 100 / float(self.budget_total), 1)

    @property
    def over_budget(self) -> bool:
        return self.budget_total is not None and self.amount > self.budget_total

    @property
    def top_blocker(self) -> ClauseStat | None:
        ranked = sorted((c for c in self.clauses if c.sole_blocker), key=lambda c: -c.sole_blocker)
        return ranked[0] if ranked else None


def preview(version: PolicyVersion, today: dt.date, sample_size: int = 10) -> Preview:
    """How many qualify, for how much, and which clause stops those who narrowly fail.

    The amount is what a run would pay: the sum over the eligible records of each one's amount
    as ``to_amount`` makes it for its claim (rounded to the fen, never below zero). Summing the
    outcomes in SQL and rounding once would let negative outcomes cancel others' amounts and lose
    the per-record rounding, and SQL's ``round`` is not ``to_amount``'s on every float, so the one
    aggregate query is grouped by the eligible records' outcome: every other figure is a sum that
    adds up across the groups, and each distinct outcome goes through ``to_amount`` once."""
    kind = KINDS[version.target]
    rule = compiled(version)
    frm, where, sql = _sql_parts(kind, rule, version.zone_id, today, every_row=True)
    flags = [f"CASE WHEN ({c}) THEN 1 ELSE 0 END" for c in sql.clauses]
    n = len(flags)
    money = rule.rule.outcome_type is Type.NUMBER and sql.outcome is not None
    inner_cols = [f"{kind.id_column} AS rid", f"CASE WHEN ({sql.eligible}) THEN 1 ELSE 0 END AS ok"]
    if money:
        inner_cols.append(f"{sql.outcome} AS outcome")
    inner_cols += [f"{f} AS c{i}" for i, f in enumerate(flags)]
    passed = " + ".join(f"c{i}" for i in range(n)) or "0"
    # The group: the outcome of an eligible record (NULL for the others); one group without money.
    group = "CASE WHEN ok = 1 THEN outcome END" if money else ""
    aggregates = [
        group or "NULL",
        "COUNT(*)",
        "COALESCE(SUM(ok), 0)",
        f"COALESCE(SUM(CASE WHEN {n} - ({passed}) = 1 THEN 1 ELSE 0 END), 0)",
    ]
    for i in range(n):
        aggregates.append(f"COALESCE(SUM(1 - c{i}), 0)")
        aggregates.append(f"COALESCE(SUM(CASE WHEN c{i} = 0 AND {n} - ({passed}) = 1 THEN 1 ELSE 0 END), 0)")
    query = (
        f"SELECT {', '.join(aggregates)} FROM (SELECT {', '.join(inner_cols)}"  # noqa: S608
        f" FROM {frm} WHERE {where}) r" + (f" GROUP BY {group}" if group else "")
    )
    out = Preview(as_of=today, budget_total=version.policy.budget_total)
    failed = [0] * n
    sole = [0] * n
    with connection.cursor() as cur:
        cur.execute(query)
        for row in cur.fetchall():
            outcome, count, eligible, near = row[0], int(row[1]), int(row[2]), int(row[3])
            out.total += count
            out.eligible += eligible
            out.near_miss += near
            if money and outcome is not None:  # every record of the group is eligible
                out.amount += to_amount(outcome) * count
            for i in range(n):
                failed[i] += int(row[4 + 2 * i])
                sole[i] += int(row[5 + 2 * i])
        out.clauses = [
            ClauseStat(clause.article, clause.text, failed[i], sole[i])
            for i, clause in enumerate(rule.rule.clauses)
        ]
        if rule.rule.outcome_type is Type.STRING and sql.outcome:
            cur.execute(
                f"SELECT {sql.outcome}, COUNT(*) FROM {frm} WHERE {where} AND ({sql.where})"  # noqa: S608
                f" GROUP BY {sql.outcome}"
            )
            out.tiers = {str(k): int(v) for k, v in cur.fetchall() if k is not None}
    out.sample = eligible_rows(version, today, limit=sample_size) if out.eligible else []
    return out
