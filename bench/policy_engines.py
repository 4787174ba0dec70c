"""The five engines of ``policy_bench.py``, run in a child process inside Django."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from policy_hand_sql import HAND_SQL, POLICIES, Hand

MAIN_ZONE = "jining-hitech"


# -- the engines (child process, inside Django) -------------------------------------------------


class Bench:
    """The main zone's policy versions, keyed, and what every engine shares."""

    def __init__(self, today: dt.date) -> None:
        from django.db import connection

        from talentpark.core.models import Zone
        from talentpark.demo import policy_rules
        from talentpark.policies import engine
        from talentpark.policies.catalogue import KINDS
        from talentpark.policies.models import PolicyVersion

        self.today = today
        self.vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        self.zone = Zone.objects.get(code=MAIN_ZONE)
        specs = {
            key: getattr(policy_rules, const).versions[number - 1]
            for key, (const, number) in POLICIES.items()
        }
        self.versions: list[tuple[str, Any]] = []
        for v in PolicyVersion.objects.filter(zone=self.zone).select_related("policy").order_by("pk"):
            if not v.clauses:
                continue
            key = next(
                (
                    k
                    for k, s in specs.items()
                    if s.clauses_json() == v.clauses
                    and s.outcome_expr == v.outcome_expr
                    and s.target == v.target
                ),
                None,
            )
            if key is None:
                raise SystemExit(f"version {v.pk} ({v.policy.title} v{v.number}) matches no POLICIES entry")
            self.versions.append((key, v))
        missing = set(POLICIES) - {k for k, _ in self.versions}
        if missing:
            raise SystemExit(f"no version in the database for {sorted(missing)}")
        self.kinds = KINDS
        self.compiled = {key: engine.compiled(v) for key, v in self.versions}
        self.pair_runs = 0
        self.by_kind: dict[str, list[tuple[str, Any]]] = {}
        for key, v in self.versions:
            self.by_kind.setdefault(v.target, []).append((key, v))

    def clause_fields(self, key: str) -> list[str]:
        return sorted({n for names in self.compiled[key].clause_fields for n in names})

    def groups(self, each: bool) -> list[tuple[str, list[tuple[str, Any]]]]:
        """What one load serves: every policy of a record kind (batch), or one policy (``each``)."""
        if each:
            return [(v.target, [(key, v)]) for key, v in self.versions]
        return list(self.by_kind.items())

    def fields_of(self, group: Sequence[tuple[str, Any]]) -> list[str]:
        """The catalogue fields the clauses of a group of policies read."""
        return sorted({n for key, _ in group for n in self.clause_fields(key)})

    def load_query(self, kind_name: str, names: Sequence[str]) -> str:
        kind = self.kinds[kind_name]
        # The faster of the catalogue's two forms for reading every record, measured at seed:
        # PostgreSQL 241 ms with one GROUP BY per child table against 427 ms with a subquery per
        # row (it runs each subplan per row); SQLite the other way round, 269 against 428 ms
        # (an index probe per row is cheap, materialising the aggregates is not).
        bulk = self.vendor == "postgresql"
        columns = kind.columns(self.vendor, self.today, names, bulk=bulk)
        select = ", ".join([f"{kind.id_column} AS id", *(f"{columns[n]} AS {n}" for n in names)])
        where = kind.zone_filter.format(zone=self.zone.pk)
        frm = kind.from_clause(self.vendor, self.today, names, bulk=bulk)
        return f"SELECT {select} FROM {frm} WHERE {where}"  # noqa: S608

    def fetch(self, query: str) -> list[tuple[Any, ...]]:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(query)
            return cur.fetchall()


Result = tuple[dict[str, list[int]], dict[str, float]]  # eligible ids per policy; seconds per step


def _add(times: dict[str, float], step: str, seconds: float) -> None:
    times[step] = times.get(step, 0.0) + seconds


def compiled_query(b: Bench, key: str, v: Any) -> str:
    """The eligibility query ``engine.eligible_rows`` would run, ids only (see the module docstring)."""
    from talentpark.policies import engine

    kind, rule = b.kinds[v.target], b.compiled[key]
    return engine.eligible_query(kind, rule, b.zone.pk, b.today, outcome=False, vendor=b.vendor)


def run_compiled_sql(b: Bench) -> Result:
    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    for key, v in b.versions:
        started = time.perf_counter()
        out[key] = [r[0] for r in b.fetch(compiled_query(b, key, v))]
        times[f"policy:{key}"] = time.perf_counter() - started
    return out, times


def run_compiled_batch(b: Bench) -> Result:
    """All rules of a record kind in one query (``engine.batch_query``: one scan, a bit per rule)."""
    from talentpark.policies import engine

    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    for kind_name, group in b.groups(each=False):
        started = time.perf_counter()
        rules = [b.compiled[key] for key, _ in group]
        query = engine.batch_query(b.kinds[kind_name], rules, b.zone.pk, b.today, vendor=b.vendor)
        rows = b.fetch(query)
        for i, (key, _) in enumerate(group):
            bit = 1 << i
            out[key] = [rid for rid, mask in rows if mask & bit]
        times[f"kind:{kind_name}"] = time.perf_counter() - started
    return out, times


def run_sql_pair(b: Bench) -> Result:
    """Compiled and hand-written SQL alternately, policy by policy, in one process: their ratio is
    then measured under the same machine load (the order within a pair flips from run to run)."""
    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    hand = Hand(b.vendor, b.zone.pk, b.today)
    b.pair_runs += 1
    for key, v in b.versions:
        found: dict[str, list[int]] = {}
        pair = [
            ("compiled", lambda key=key, v=v: compiled_query(b, key, v)),
            ("hand", lambda key=key: HAND_SQL[key](hand)),
        ]
        for name, query in pair[:: 1 if b.pair_runs % 2 else -1]:
            started = time.perf_counter()
            found[name] = [r[0] for r in b.fetch(query())]
            times[f"{name}:{key}"] = time.perf_counter() - started
        assert sorted(found["compiled"]) == sorted(found["hand"]), key
        out[key] = found["hand"]
    return out, times


def run_eligible_rows(b: Bench) -> Result:
    from talentpark.policies import engine

    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    for key, v in b.versions:
        started = time.perf_counter()
        out[key] = [i for i, _ in engine.eligible_rows(v, b.today)]
        times[f"policy:{key}"] = time.perf_counter() - started
    return out, times


def run_hand_sql(b: Bench) -> Result:
    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    hand = Hand(b.vendor, b.zone.pk, b.today)
    for key, _ in b.versions:
        started = time.perf_counter()
        out[key] = [r[0] for r in b.fetch(HAND_SQL[key](hand))]
        times[f"policy:{key}"] = time.perf_counter() - started
    return out, times


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _first(values: Sequence[Any]) -> Any:
    return next((v for v in values if v is not None), None)


def load_frame(b: Bench, kind_name: str, names: Sequence[str]) -> Any:
    """One query's rows as a Polars frame typed by ``frame_schema`` (plus the ``id`` column).

    PostgreSQL: ``COPY (query) TO STDOUT (FORMAT csv)`` parsed by ``pl.read_csv`` — about a quarter
    faster at 10× than ``fetchall`` (no Python object per value); SQLite has no such path:
    ``fetchall``, then one ``pl.Series`` per column (``pl.read_database`` on the raw sqlite3
    connection and ``pl.DataFrame(rows, orient="row")`` measured no faster).
    """
    import polars as pl
    from django.db import connection

    from talentpark.policies.rules import frame_schema

    schema = {"id": pl.Int64(), **frame_schema(b.kinds[kind_name].catalogue, names)}
    query = b.load_query(kind_name, names)
    if b.vendor == "postgresql":
        data = bytearray()
        with connection.cursor() as cur, cur.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            for chunk in copy:
                data += chunk
        as_text = {n: pl.String() if d == pl.Boolean() else d for n, d in schema.items()}
        if not data:
            return pl.DataFrame(schema=schema)
        frame = pl.read_csv(bytes(data), has_header=False, new_columns=list(schema), schema=as_text)
        return frame.with_columns(pl.col(n) == "t" for n, d in schema.items() if d == pl.Boolean())
    rows = b.fetch(query)
    series = []
    for (name, dtype), values in zip(schema.items(), _columns(rows, len(schema)), strict=True):
        if dtype == pl.Date() and isinstance(_first(values), str):  # SQLite: ISO text (computed dates)
            series.append(pl.Series(name, values, pl.String()).str.to_date("%Y-%m-%d"))
        else:  # SQLite's 0/1 booleans become Boolean here
            series.append(pl.Series(name, values, dtype, strict=False))
    return pl.DataFrame(series)


def run_polars(b: Bench, each: bool) -> Result:
    import polars as pl

    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    for kind_name, group in b.groups(each):
        started = time.perf_counter()
        frame = load_frame(b, kind_name, b.fields_of(group))
        loaded = time.perf_counter()
        _add(times, f"load:{kind_name}", loaded - started)
        exprs = [
            pl.col("id").filter(b.compiled[key].to_polars(b.today).eligible).implode().alias(key)
            for key, _ in group
        ]
        row = frame.select(exprs).row(0, named=True)
        for key, _ in group:
            out[key] = row[key]
        _add(times, f"eval:{kind_name}", time.perf_counter() - loaded)
        if each:
            times[f"policy:{group[0][0]}"] = time.perf_counter() - started
    return out, times


def python_converters(b: Bench, kind_name: str, names: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    """Per column, what ``engine.typed`` does to its values here (None: nothing to do)."""
    from talentpark.policies.rules import Type

    fields = b.kinds[kind_name].catalogue.by_name

    def to_date(v: Any) -> Any:
        return dt.date.fromisoformat(v[:10]) if isinstance(v, str) else v

    def to_bool(v: Any) -> Any:
        return None if v is None else bool(v)

    return [{Type.DATE: to_date, Type.BOOL: to_bool}.get(fields[n].type) for n in names]


def run_python(b: Bench, each: bool) -> Result:
    out: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    today = b.today
    for kind_name, group in b.groups(each):
        started = time.perf_counter()
        names = b.fields_of(group)
        rows = b.fetch(b.load_query(kind_name, names))
        columns = _columns(rows, len(names) + 1)
        ids = columns[0]
        typed = [
            values if conv is None else list(map(conv, values))
            for conv, values in zip(python_converters(b, kind_name, names), columns[1:], strict=True)
        ]
        records = [dict(zip(names, values, strict=True)) for values in zip(*typed, strict=True)]
        loaded = time.perf_counter()
        _add(times, f"load:{kind_name}", loaded - started)
        for key, _ in group:
            eval_started = time.perf_counter()
            eligible = b.compiled[key].eligible
            out[key] = [i for i, r in zip(ids, records, strict=True) if eligible(r, today)]
            times[f"policy:{key}"] = time.perf_counter() - (started if each else eval_started)
    return out, times


class OpenFiscaEngine:
    def __init__(self) -> None:
        started = time.perf_counter()
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import openfisca_model

        self.model = openfisca_model
        self.tbs = openfisca_model.TalentParkPolicies()
        self.build_s = time.perf_counter() - started
        self.inputs = {
            "talent": {n: t for n, t, _ in openfisca_model.TALENT_INPUTS},
            "enterprise": {n: t for n, t, _ in openfisca_model.ENTERPRISE_INPUTS},
        }
        self.codes = {name: openfisca_model.enum_codes(enum) for name, enum in openfisca_model.ENUMS.items()}

    def arrays(self, name: str, kind: type, values: Sequence[Any]) -> dict[str, Any]:
        """One catalogue column as the model's input array(s); nulls only where the model has a mask."""
        import numpy as np

        n = len(values)
        if kind is self.model.Enum:
            return {name: np.fromiter(map(self.codes[name].__getitem__, values), dtype=np.int16, count=n)}
        if name in self.model.NULLABLE_INTS:
            raw = np.array(values, dtype=np.float64)  # None → nan
            known = ~np.isnan(raw)
            return {name: np.where(known, raw, -1).astype(np.int32), f"{name}_known": known}
        if kind is dt.date:
            array = np.array(values, dtype="datetime64[D]")  # ISO text or date objects; None → NaT
            if np.isnat(array).any():
                raise ValueError(f"null in {name}")
            return {name: array}
        if kind is bool:
            if None in values:
                raise ValueError(f"null in {name}")
            return {name: np.array(values, dtype=np.bool_)}
        dtype = np.int32 if kind is int else np.float32
        return {name: np.array(values, dtype=dtype)}  # a None raises (int) or is caught below (float)

    def arrays_from_series(self, name: str, kind: type, series: Any) -> dict[str, Any]:
        """The same as ``arrays`` from a Polars column (PostgreSQL's CSV path)."""
        import numpy as np
        import polars as pl

        if kind is self.model.Enum:
            codes = {k: v for k, v in self.codes[name].items() if k is not None}
            series = series.replace_strict(codes, return_dtype=pl.Int16())
            if None in self.codes[name]:
                series = series.fill_null(self.codes[name][None])
        elif name in self.model.NULLABLE_INTS:
            known = series.is_not_null().to_numpy()
            return {name: series.fill_null(-1).cast(pl.Int32()).to_numpy(), f"{name}_known": known}
        if series.null_count():
            raise ValueError(f"null in {name}")
        dtype = {bool: np.bool_, int: np.int32, float: np.float32, dt.date: "datetime64[D]"}.get(kind)
        array = series.to_numpy()
        return {name: array.astype(dtype) if dtype is not None else array}

    def null_check(self, b: Bench, n: int = 5000) -> int:
        """Untimed self-check: ``n`` random records per kind, a fifth of each nullable input null, give
        the same answer here and in ``compiled.eligible`` (the demo data has few or no such nulls)."""
        import random

        import numpy as np
        from openfisca_core.simulations import SimulationBuilder

        rng = random.Random(20261122)
        bounds = {"age": 70, "children_under_18": 4, "years_since_graduation": 12}

        def value(kind_name: str, name: str, kind: type) -> Any:
            nullable = name in self.model.NULLABLE_INTS or (
                kind is self.model.Enum and None in self.codes[name]
            )
            if nullable and rng.random() < 0.2:
                return None
            if kind is self.model.Enum:
                return rng.choice(b.kinds[kind_name].catalogue.by_name[name].choices)
            if kind is bool:
                return rng.random() < 0.5
            if kind is dt.date:
                return dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3300))
            if kind is float:
                return rng.choice([0.0, rng.uniform(0, 5000)])
            return rng.randrange(bounds.get(name, 9))

        checked = 0
        for kind_name, group in b.groups(False):
            inputs = self.inputs[kind_name]
            records = [
                {name: value(kind_name, name, kind) for name, kind in inputs.items()} for _ in range(n)
            ]
            simulation = SimulationBuilder().build_default_simulation(self.tbs, n)
            for name, kind in inputs.items():
                for input_name, array in self.arrays(name, kind, [r[name] for r in records]).items():
                    simulation.set_input(input_name, "2000", array)
            for key, _ in group:
                expected = np.array([b.compiled[key].eligible(r, b.today) for r in records])
                got = np.asarray(simulation.calculate(self.model.variable_of(key), "2000"), dtype=bool)
                if (expected != got).any():
                    raise SystemExit(f"OpenFisca model disagrees with the rule on {key} for random records")
                checked += 1
        return checked

    def run(self, b: Bench, each: bool) -> Result:
        import numpy as np
        from openfisca_core.simulations import SimulationBuilder

        out: dict[str, list[int]] = {}
        times: dict[str, float] = {}
        period = str(b.today.year)
        for kind_name, group in b.groups(each):
            started = time.perf_counter()
            names = b.fields_of(group)
            inputs = self.inputs[kind_name]
            if not set(names) <= set(inputs):
                raise SystemExit(f"OpenFisca model inputs {sorted(inputs)} lack some of {names}")
            arrays: dict[str, Any] = {}
            if b.vendor == "postgresql":  # COPY → CSV → frame → arrays (see load_frame)
                frame = load_frame(b, kind_name, names)
                ids = frame["id"].to_numpy()
                for name in names:
                    arrays.update(self.arrays_from_series(name, inputs[name], frame[name]))
            else:
                rows = b.fetch(b.load_query(kind_name, names))
                columns = _columns(rows, len(names) + 1)
                ids = np.array(columns[0], dtype=np.int64)
                for name, values in zip(names, columns[1:], strict=True):
                    arrays.update(self.arrays(name, inputs[name], values))
                for name, array in arrays.items():
                    if array.dtype.kind == "f" and np.isnan(array).any():
                        raise ValueError(f"null in {name}")
            simulation = SimulationBuilder().build_default_simulation(self.tbs, max(len(ids), 1))
            for name, array in arrays.items():
                simulation.set_input(name, period, array)
            loaded = time.perf_counter()
            _add(times, f"load:{kind_name}", loaded - started)
            for key, _ in group:
                eligible = simulation.calculate(self.model.variable_of(key), period)
                out[key] = ids[np.asarray(eligible, dtype=bool)[: len(ids)]].tolist()
            _add(times, f"eval:{kind_name}", time.perf_counter() - loaded)
            if each:
                times[f"policy:{group[0][0]}"] = time.perf_counter() - started
        return out, times
